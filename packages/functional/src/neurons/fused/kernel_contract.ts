/**
 * The contract of the fused multi-step neuron kernels (what a backend implements to provide them),
 * in the style of tfjs's `kernel_names.ts`:
 *
 * `SnntsNeuronMultiStep`: the whole charge -> fire -> reset recurrence over T steps.
 * - inputs: `x` `[T, ...S]` (or `[...S]` when `repeated`: the same frame at every step) and
 *   optionally `v0` `[...S]` (else every neuron starts at `attrs.v0Value`), float32.
 * - outputs, in order: spikes `[T, ...S]`, `V[T-1]` `[...S]`, then `H` `[T, ...S]` (the charged
 *   potential, when `saveH`; the gradient needs it), then `V` `[T, ...S]` (when `storeVSeq`).
 *
 * `SnntsNeuronMultiStepGrad`: its backward pass (same attrs).
 * - inputs: `dSpike` `[T, ...S]`, `dV` `[...S]` (gradient of `V[T-1]`), `h` `[T, ...S]`, and `dVSeq`
 *   `[T, ...S]` when `storeVSeq`.
 * - outputs: `dx` (shaped like `x`: summed over time when `repeated`) and `dv0` `[...S]`.
 *
 * `SnntsPLIFMultiStep` / `SnntsPLIFMultiStepGrad`: the same for PLIF (`charge: 'plif'`, only where a
 * backend registers them), with two more inputs: `v0` (always given) and `k` (a scalar,
 * `sigmoid(w)`, in place of `1/tau`). The gradient kernel also takes `x`, `v0` and `k` and outputs
 * `dk` (a scalar) after `dx` and `dv0`.
 *
 * Arithmetic follows the composed ops exactly (float32 rounding after each operation, in the same
 * order), so forward values match the composed path bit for bit on `cpu`.
 */

/**
 * Kernel name of the fused forward recurrence. A backend provides it with `registerFusedKernel`.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { NEURON_MULTI_STEP } from '@snnts/functional';
 * console.log(hasFusedKernel(NEURON_MULTI_STEP, 'cpu')); // true
 * ```
 */
export const NEURON_MULTI_STEP = 'SnntsNeuronMultiStep';

/**
 * Kernel name of its backward pass (run by the gradient registered for `NEURON_MULTI_STEP`).
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { NEURON_MULTI_STEP_GRAD } from '@snnts/functional';
 * console.log(hasFusedKernel(NEURON_MULTI_STEP_GRAD, 'wasm')); // true
 * ```
 */
export const NEURON_MULTI_STEP_GRAD = 'SnntsNeuronMultiStepGrad';

/**
 * Kernel name of the fused PLIF recurrence (see the file header).
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { PLIF_MULTI_STEP } from '@snnts/functional';
 * console.log(hasFusedKernel(PLIF_MULTI_STEP, 'cpu')); // true
 * ```
 */
export const PLIF_MULTI_STEP = 'SnntsPLIFMultiStep';

/**
 * Kernel name of the PLIF backward pass.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { PLIF_MULTI_STEP_GRAD } from '@snnts/functional';
 * console.log(hasFusedKernel(PLIF_MULTI_STEP_GRAD, 'cpu')); // true
 * ```
 */
export const PLIF_MULTI_STEP_GRAD = 'SnntsPLIFMultiStepGrad';

/** Attributes of both kernels (plain values, so they fit tfjs's `NamedAttrMap`). */
export interface NeuronMultiStepAttrs {
  /** Number of time steps. */
  T: number;
  /** Charge: `'if'` (`H = V + X`), `'lif'` (see `lifCharge`) or `'plif'` (`plifCharge`, PLIF kernels only). */
  charge: 'if' | 'lif' | 'plif';
  /** LIF τ (ignored for IF). */
  tau: number;
  /** LIF: whether the input is divided by τ. */
  decayInput: boolean;
  /** LIF resting potential. */
  vRest: number;
  /** Firing threshold. */
  vThreshold: number;
  /** Soft reset (`V = H - S·V_th`) instead of hard reset to `vReset`. */
  softReset: boolean;
  /** Hard-reset potential (ignored with soft reset). */
  vReset: number;
  /** Cut the reset's gradient through the spike. */
  detachReset: boolean;
  /** Surrogate class name (`''`: plain Heaviside, forward only). */
  surrogate: string;
  /** JSON of the surrogate's `params()`. */
  surrogateParams: string;
  /** `x` is one frame used at every step. */
  repeated: boolean;
  /** Initial potential when there is no `v0` input. */
  v0Value: number;
  /** Output `H` (needed for the gradient). */
  saveH: boolean;
  /** Output every post-reset `V[t]`. */
  storeVSeq: boolean;
}
