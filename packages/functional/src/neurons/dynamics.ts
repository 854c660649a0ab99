/**
 * The generic charge -> fire -> reset machinery every neuron reuses. A neuron is defined by its
 * charge function `H[t] = f(V[t-1], X[t])`; `neuronStep` adds fire and reset, and
 * `neuronMultiStep` runs the recurrence over the time axis of a `[T, N, ...]` sequence.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, assertRank, toTensor } from '@snnts/core';
import { fire, voltageReset, type ResolvedNeuronOptions } from './common.js';
import { fusedNeuronMultiStep } from './fused/fused_multistep.js';

/** `H = charge(X, V)`: the neuron-specific part of a step. */
export type ChargeFn = (x: tf.Tensor, v: tf.Tensor) => tf.Tensor;

/** Output of a single step. */
export interface StepResult {
  /** Spikes `S[t]`, same shape as `x`, values in {0, 1}. */
  spike: tf.Tensor;
  /** Membrane potential after reset, `V[t]`. */
  v: tf.Tensor;
}

/** Output of a multi-step run. */
export interface MultiStepResult {
  /** Spikes `[T, N, ...]`. */
  spikeSeq: tf.Tensor;
  /** Potential after the last step, `V[T-1]`, shape `[N, ...]`. */
  v: tf.Tensor;
  /** Post-reset potentials `[T, N, ...]` (only when `storeVSeq`). */
  vSeq?: tf.Tensor;
}

/** Execution options of the step functions (not neuron parameters). */
export interface StepExecOptions {
  /**
   * `true` (default): spikes carry the surrogate gradient. `false`: plain Heaviside, no
   * gradient (what spikingjelly does in eval mode); same forward values.
   */
  surrogate?: boolean;
}

/** Options of the multi-step functions. */
export interface MultiStepExecOptions extends StepExecOptions {
  /** Also return the post-reset potentials of every step (default `false`). */
  storeVSeq?: boolean;
}

/**
 * Converts `x`/`v` and checks that `v` (a number or a tensor) fits `x`. Returns `v` as a tensor.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { prepareState } from '@snnts/functional';
 * prepareState(tf.zeros([1, 3]), 0.5, 'myStep').print(); // [[0.5, 0.5, 0.5]]
 * ```
 */
export function prepareState(x: tf.Tensor, v: tf.Tensor | number, fn: string, hint?: string): tf.Tensor {
  if (typeof v === 'number') return tf.fill(x.shape, v);
  const vt = toTensor(v, 'v', fn);
  if (!tf.util.arraysEqual(vt.shape, x.shape)) {
    throw new ShapeError(fn, 'v', `shape [${x.shape.join(', ')}] (the shape of one step of 'x')`, `shape [${vt.shape.join(', ')}]`, hint);
  }
  return vt;
}

/**
 * One charge -> fire -> reset step for an arbitrary charge function.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { neuronStep, resolveNeuronOptions } from '@snnts/functional';
 * const o = resolveNeuronOptions({}, 'example');
 * const { spike, v } = neuronStep((x, v) => tf.add(v, x), tf.tensor([0.5, 1.5]), tf.zeros([2]), o);
 * ```
 */
export function neuronStep(charge: ChargeFn, x: tf.Tensor, v: tf.Tensor, o: ResolvedNeuronOptions, exec: StepExecOptions = {}): StepResult {
  const useSurrogate = (exec.surrogate ?? true) || !o.surrogateFunction.spiking;
  const h = charge(x, v);
  const spike = fire(h, o.vThreshold, useSurrogate ? o.surrogateFunction : null);
  return { spike, v: voltageReset(h, spike, o.vThreshold, o.vReset, o.detachReset) };
}

/**
 * Runs `neuronStep` over the time axis of `xSeq` (`[T, N, ...]`), starting from `v0`. When `charge`
 * carries a spec (`withChargeSpec`) and the active backend has a fused `SnntsNeuronMultiStep`
 * kernel, the recurrence runs as that one kernel instead (same values; see `fusedNeuronMultiStep`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { neuronMultiStep, resolveNeuronOptions } from '@snnts/functional';
 * const o = resolveNeuronOptions({}, 'example');
 * const r = neuronMultiStep((x, v) => tf.add(v, x), tf.ones([4, 2, 3]), 0, o, { storeVSeq: true }, 'example');
 * ```
 */
export function neuronMultiStep(
  charge: ChargeFn,
  xSeq: tf.Tensor,
  v0: tf.Tensor | number,
  o: ResolvedNeuronOptions,
  exec: MultiStepExecOptions,
  fn: string,
): MultiStepResult {
  assertRank(xSeq, [2, 3, 4, 5, 6], 'xSeq', fn, 'A multi-step input is [T, N, ...].');
  const step = xSeq.shape.slice(1);
  if (v0 instanceof tf.Tensor && !tf.util.arraysEqual(v0.shape, step)) {
    throw new ShapeError(fn, 'v', `shape [${step.join(', ')}] (the shape of one step of 'x')`, `shape [${v0.shape.join(', ')}]`);
  }
  const fused = fusedNeuronMultiStep(charge, xSeq, v0, o, exec);
  if (fused) return fused;
  const steps = tf.unstack(xSeq);
  let v = prepareState(steps[0]!, v0, fn);
  const spikes: tf.Tensor[] = [];
  const vs: tf.Tensor[] = [];
  for (const x of steps) {
    const r = neuronStep(charge, x, v, o, exec);
    spikes.push(r.spike);
    v = r.v;
    if (exec.storeVSeq) vs.push(v);
  }
  const out: MultiStepResult = { spikeSeq: tf.stack(spikes), v };
  if (exec.storeVSeq) out.vSeq = tf.stack(vs);
  return out;
}
