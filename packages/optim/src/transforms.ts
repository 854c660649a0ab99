/**
 * The elementary gradient transformations that SGD is built from: scaling, the learning rate,
 * L2 weight decay and momentum (`trace`). Each one is a pure {@link GradientTransformation}; the
 * formulas follow torch.optim.SGD's documented algorithm step by step.
 */
import * as tf from '@tensorflow/tfjs';
import { assertNumber } from '@snnts/core';
import { perParam, type GradientTransformation } from './base.js';

/**
 * Multiplies every update by a constant: `u = factor * g`. `scale(-1)` is PyTorch's `maximize`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { scale } from '@snnts/optim';
 * const { updates } = scale(-1).update([tf.tensor1d([1, -2])], [{}], [tf.zeros([2])]); // [-1, 2]
 * ```
 */
export function scale(factor: number): GradientTransformation {
  assertNumber(factor, Number.isFinite, 'a finite number', 'factor', 'scale');
  return perParam([], () => ({}), (g, s) => [factor === -1 ? tf.neg(g) : tf.mul(g, factor), s]);
}

/**
 * The learning-rate step: `u = -lr * g`, so that adding `u` to the parameter descends the loss.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { scaleByLearningRate } from '@snnts/optim';
 * const { updates } = scaleByLearningRate(0.1).update([tf.tensor1d([1, -2])], [{}], [tf.zeros([2])]); // [-0.1, 0.2]
 * ```
 */
export function scaleByLearningRate(lr: number): GradientTransformation {
  assertNumber(lr, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', 'lr', 'scaleByLearningRate');
  return perParam([], () => ({}), (g, s) => [tf.mul(g, -lr), s]);
}

/**
 * Adds `weightDecay * param` to the update: `u = g + wd * p`. Placed before the optimizer's
 * scaling it is PyTorch's L2 `weight_decay` (SGD, Adam); placed after `scaleByAdam` it is AdamW's
 * decoupled decay. A decay of 0 is the identity.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { addDecayedWeights } from '@snnts/optim';
 * const p = tf.tensor1d([1, 2]);
 * const { updates } = addDecayedWeights(0.5).update([tf.tensor1d([0, 0])], [{}], [p]); // [0.5, 1]
 * ```
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation {
  assertNumber(weightDecay, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', 'weightDecay', 'addDecayedWeights');
  return perParam([], () => ({}), (g, s, p) => [weightDecay === 0 ? g : tf.add(g, tf.mul(p, weightDecay)), s]);
}

/**
 * Options of {@link trace}.
 *
 * @example
 * ```ts
 * import { trace, type TraceOptions } from '@snnts/optim';
 * const options: TraceOptions = { momentum: 0.9, nesterov: true };
 * const tx = trace(options);
 * ```
 */
export interface TraceOptions {
  /** Momentum factor `mu` (> 0 for any effect). */
  momentum: number;
  /** Dampening `tau` applied to the gradient after the first step (default 0). */
  dampening?: number;
  /** Nesterov momentum: `u = g + mu * b` instead of `u = b` (default false). */
  nesterov?: boolean;
}

/**
 * Momentum as torch.optim.SGD computes it, with state `momentumBuffer`:
 * on the first step `b = g`; afterwards `b = mu * b + (1 - tau) * g`; the update is `b`, or
 * `g + mu * b` with Nesterov. (PyTorch does not dampen the first step.)
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { trace } from '@snnts/optim';
 * const tx = trace({ momentum: 0.9 });
 * const p = tf.zeros([1]);
 * const s1 = tx.update([tf.tensor1d([1])], tx.init([p]), [p]);  // update [1]
 * const s2 = tx.update([tf.tensor1d([1])], s1.state, [p]);       // update [1.9]
 * ```
 */
export function trace(options: TraceOptions): GradientTransformation {
  const fn = 'trace';
  const { momentum, dampening = 0, nesterov = false } = options;
  assertNumber(momentum, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', 'momentum', fn);
  assertNumber(dampening, Number.isFinite, 'a finite number', 'dampening', fn);
  return perParam(['momentumBuffer'], () => ({}), (g, s) => {
    const prev = s['momentumBuffer'];
    const buf = prev instanceof tf.Tensor ? tf.add(tf.mul(prev, momentum), tf.mul(g, 1 - dampening)) : tf.clone(g);
    const u = nesterov ? tf.add(g, tf.mul(buf, momentum)) : buf;
    return [u, { ...s, momentumBuffer: buf }];
  });
}
