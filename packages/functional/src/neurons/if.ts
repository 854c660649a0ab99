/**
 * Integrate-and-fire neuron, the pure functions.
 *
 * Charge: `H[t] = V[t-1] + X[t]`; then fire and reset as described in `common.ts`
 * ({@link fire}, {@link voltageReset}).
 */
import * as tf from '@tensorflow/tfjs';
import { toTensor } from '@snnts/core';
import { resolveNeuronOptions, type NeuronOptions } from './common.js';
import { withChargeSpec } from './fused/charge_spec.js';
import { neuronMultiStep, neuronStep, prepareState, type MultiStepExecOptions, type MultiStepResult, type StepExecOptions, type StepResult } from './dynamics.js';

/**
 * IF charge: `H = V + X`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ifCharge } from '@snnts/functional';
 * ifCharge(tf.tensor([1, 2]), tf.tensor([0.5, 0.5])).print(); // [1.5, 2.5]
 * ```
 */
export function ifCharge(x: tf.Tensor, v: tf.Tensor): tf.Tensor {
  return tf.add(v, x);
}

/** `ifCharge` tagged for the fused kernels. */
const IF_CHARGE = withChargeSpec(ifCharge, { kind: 'if' });

/**
 * One IF step. `v` is the previous potential (a tensor shaped like `x`, or a number such as the
 * initial potential).
 *
 * ```
 * H[t] = V[t-1] + X[t]
 * S[t] = Θ(H[t] - V_th)
 * V[t] = S[t]·V_reset + (1 - S[t])·H[t]      (hard reset)
 *      = H[t] - S[t]·V_th                    (soft reset, vReset: null)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ifStep } from '@snnts/functional';
 * const { spike, v } = ifStep(tf.tensor([[0.6, 1.2]]), 0);
 * spike.print(); // [[0, 1]]
 * v.print();     // [[0.6, 0]]
 * ```
 */
export function ifStep(x: tf.Tensor | tf.TensorLike, v: tf.Tensor | number, opts: NeuronOptions = {}, exec?: StepExecOptions): StepResult {
  const fn = 'ifStep';
  const o = resolveNeuronOptions(opts, fn);
  const xt = toTensor(x, 'x', fn);
  return neuronStep(ifCharge, xt, prepareState(xt, v, fn), o, exec);
}

/**
 * {@link ifStep} over every time step of `xSeq` (`[T, N, ...]`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ifMultiStep } from '@snnts/functional';
 * const { spikeSeq, v } = ifMultiStep(tf.fill([8, 2, 4], 0.3), 0);
 * ```
 */
export function ifMultiStep(xSeq: tf.Tensor | tf.TensorLike, v0: tf.Tensor | number, opts: NeuronOptions = {}, exec: MultiStepExecOptions = {}): MultiStepResult {
  const fn = 'ifMultiStep';
  const o = resolveNeuronOptions(opts, fn);
  return neuronMultiStep(IF_CHARGE, toTensor(xSeq, 'xSeq', fn), v0, o, exec, fn);
}
