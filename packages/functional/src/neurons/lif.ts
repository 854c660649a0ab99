/**
 * Leaky integrate-and-fire neuron, the pure functions.
 *
 * Charge, with `V_rest = vReset` (or 0 for soft reset):
 * - `decayInput: true`:  `H[t] = V[t-1] + (X[t] - (V[t-1] - V_rest)) / τ`
 * - `decayInput: false`: `H[t] = V[t-1] - (V[t-1] - V_rest) / τ + X[t]`
 *
 * then fire and reset as in `common.ts`. `τ > 1`.
 */
import * as tf from '@tensorflow/tfjs';
import { assertNumber, toTensor } from '@snnts/core';
import { resolveNeuronOptions, type NeuronOptions } from './common.js';
import { withChargeSpec } from './fused/charge_spec.js';
import { neuronMultiStep, neuronStep, prepareState, type MultiStepExecOptions, type MultiStepResult, type StepExecOptions, type StepResult } from './dynamics.js';

/** LIF options: the shared neuron options plus the time constant. */
export interface LIFOptions extends NeuronOptions {
  /** Membrane time constant τ > 1 (default 2.0). */
  tau?: number;
  /** Whether the input is divided by τ too (default `true`, as spikingjelly). */
  decayInput?: boolean;
}

/**
 * spikingjelly's LIF defaults.
 *
 * @example
 * ```ts
 * import { LIF_DEFAULTS } from '@snnts/functional';
 * console.log(LIF_DEFAULTS); // { tau: 2, decayInput: true }
 * ```
 */
export const LIF_DEFAULTS = { tau: 2.0, decayInput: true } as const;

/**
 * Validates τ (> 1, as spikingjelly asserts) and returns it.
 *
 * @internal
 * @example
 * ```ts
 * import { checkTau } from '@snnts/functional';
 * checkTau(2, 'tau', 'LIFNode'); // 2; checkTau(0.5, ...) throws a ConfigError
 * ```
 */
export function checkTau(tau: unknown, arg: string, fn: string): number {
  assertNumber(tau, (t) => t > 1 && Number.isFinite(t), 'a finite number > 1', arg, fn);
  return tau;
}

/**
 * LIF charge (see the file header for the equations).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lifCharge } from '@snnts/functional';
 * lifCharge(tf.tensor([1]), tf.tensor([0]), 2, true, 0).print(); // [0.5]
 * ```
 */
export function lifCharge(x: tf.Tensor, v: tf.Tensor, tau: number, decayInput: boolean, vReset: number | null): tf.Tensor {
  const rest = vReset ?? 0;
  if (decayInput) return tf.add(v, tf.div(tf.sub(x, tf.sub(v, rest)), tau));
  return tf.add(tf.sub(v, tf.div(tf.sub(v, rest), tau)), x);
}

function chargeOf(opts: LIFOptions, vReset: number | null, fn: string) {
  const tau = checkTau(opts.tau ?? LIF_DEFAULTS.tau, 'tau', fn);
  const decayInput = opts.decayInput ?? LIF_DEFAULTS.decayInput;
  return withChargeSpec((x: tf.Tensor, v: tf.Tensor) => lifCharge(x, v, tau, decayInput, vReset), { kind: 'lif', tau, decayInput, vRest: vReset ?? 0 });
}

/**
 * One LIF step: charge (file header), `S = Θ(H - V_th)`, then hard or soft reset.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lifStep, ATan } from '@snnts/functional';
 * const { spike, v } = lifStep(tf.tensor([[3.0, 1.0]]), 0, { tau: 2, surrogateFunction: new ATan() });
 * spike.print(); // [[1, 0]]
 * ```
 */
export function lifStep(x: tf.Tensor | tf.TensorLike, v: tf.Tensor | number, opts: LIFOptions = {}, exec?: StepExecOptions): StepResult {
  const fn = 'lifStep';
  const o = resolveNeuronOptions(opts, fn);
  const xt = toTensor(x, 'x', fn);
  return neuronStep(chargeOf(opts, o.vReset, fn), xt, prepareState(xt, v, fn), o, exec);
}

/**
 * {@link lifStep} over every time step of `xSeq` (`[T, N, ...]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lifMultiStep } from '@snnts/functional';
 * const { spikeSeq, v, vSeq } = lifMultiStep(tf.fill([8, 2, 4], 0.9), 0, { tau: 2 }, { storeVSeq: true });
 * ```
 */
export function lifMultiStep(xSeq: tf.Tensor | tf.TensorLike, v0: tf.Tensor | number, opts: LIFOptions = {}, exec: MultiStepExecOptions = {}): MultiStepResult {
  const fn = 'lifMultiStep';
  const o = resolveNeuronOptions(opts, fn);
  return neuronMultiStep(chargeOf(opts, o.vReset, fn), toTensor(xSeq, 'xSeq', fn), v0, o, exec, fn);
}
