/**
 * Parametric LIF neuron (Fang et al., 2021), the pure functions. Like LIF with the learnable
 * `1/τ = sigmoid(w)` (so τ > 1 always), with `V_rest = vReset` (or 0 for soft reset):
 * - `decayInput: true`:  `H[t] = V[t-1] + (X[t] - (V[t-1] - V_rest)) · sigmoid(w)`
 * - `decayInput: false`: `H[t] = V[t-1] - (V[t-1] - V_rest) · sigmoid(w) + X[t]`
 *
 * then fire and reset as in `common.ts`. `w` starts at `-ln(initTau - 1)`. The multi-step form runs
 * as one fused kernel where the backend has one (`SnntsPLIFMultiStep`: cpu, wasm).
 */
import * as tf from '@tensorflow/tfjs';
import { assertRank, toTensor } from '@snnts/core';
import { resolveNeuronOptions, type NeuronOptions } from './common.js';
import { checkTau } from './lif.js';
import { withChargeSpec } from './fused/charge_spec.js';
import { neuronMultiStep, neuronStep, prepareState, type MultiStepExecOptions, type MultiStepResult, type StepExecOptions, type StepResult } from './dynamics.js';

/** PLIF options (the learnable `w` is passed separately). */
export interface PLIFOptions extends NeuronOptions {
  /** Whether the input is scaled by `1/τ` too (default `true`). */
  decayInput?: boolean;
}

/**
 * The `w` that gives `1/τ = sigmoid(w)` for a time constant τ > 1: `w = -ln(τ - 1)`.
 *
 * @example
 * ```ts
 * import { plifInitW } from '@snnts/functional';
 * plifInitW(2.0); // 0 (sigmoid(0) = 1/2)
 * ```
 */
export function plifInitW(initTau: number, fn = 'plifInitW'): number {
  return -Math.log(checkTau(initTau, 'initTau', fn) - 1);
}

/**
 * PLIF charge with `reciprocalTau = sigmoid(w)` (see the file header).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { plifCharge } from '@snnts/functional';
 * plifCharge(tf.tensor([1]), tf.tensor([0]), tf.scalar(0.5), true, 0).print(); // [0.5]
 * ```
 */
export function plifCharge(x: tf.Tensor, v: tf.Tensor, reciprocalTau: tf.Tensor, decayInput: boolean, vReset: number | null): tf.Tensor {
  const rest = vReset ?? 0;
  if (decayInput) return tf.add(v, tf.mul(tf.sub(x, tf.sub(v, rest)), reciprocalTau));
  return tf.add(tf.sub(v, tf.mul(tf.sub(v, rest), reciprocalTau)), x);
}

function chargeOf(w: tf.Tensor | number, opts: PLIFOptions, vReset: number | null, fn: string) {
  const wt = toTensor(w, 'w', fn);
  assertRank(wt, [0], 'w', fn, 'PLIF has one scalar w per layer.');
  let k: tf.Tensor | null = null; // sigmoid(w), computed once on the composed path's first step
  const decayInput = opts.decayInput ?? true;
  const charge = (x: tf.Tensor, v: tf.Tensor) => plifCharge(x, v, (k ??= tf.sigmoid(wt)), decayInput, vReset);
  return withChargeSpec(charge, { kind: 'plif', w: wt, decayInput, vRest: vReset ?? 0 });
}

/**
 * One PLIF step with the learnable scalar `w` (a `tf.Variable` to train it).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { plifStep } from '@snnts/functional';
 * const w = tf.variable(tf.scalar(0)); // τ = 2
 * const { spike, v } = plifStep(tf.tensor([[3.0, 1.0]]), 0, w);
 * ```
 */
export function plifStep(x: tf.Tensor | tf.TensorLike, v: tf.Tensor | number, w: tf.Tensor | number, opts: PLIFOptions = {}, exec?: StepExecOptions): StepResult {
  const fn = 'plifStep';
  const o = resolveNeuronOptions(opts, fn);
  const xt = toTensor(x, 'x', fn);
  return neuronStep(chargeOf(w, opts, o.vReset, fn), xt, prepareState(xt, v, fn), o, exec);
}

/**
 * {@link plifStep} over every time step of `xSeq` (`[T, N, ...]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { plifMultiStep } from '@snnts/functional';
 * const { spikeSeq } = plifMultiStep(tf.fill([8, 2, 4], 0.9), 0, tf.scalar(0));
 * ```
 */
export function plifMultiStep(
  xSeq: tf.Tensor | tf.TensorLike,
  v0: tf.Tensor | number,
  w: tf.Tensor | number,
  opts: PLIFOptions = {},
  exec: MultiStepExecOptions = {},
): MultiStepResult {
  const fn = 'plifMultiStep';
  const o = resolveNeuronOptions(opts, fn);
  return neuronMultiStep(chargeOf(w, opts, o.vReset, fn), toTensor(xSeq, 'xSeq', fn), v0, o, exec, fn);
}
