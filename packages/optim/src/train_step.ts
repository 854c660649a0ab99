/**
 * `trainStep`: one training step as a free function, for code that prefers
 * `trainStep(opt, lossFn)` to `opt.minimize(lossFn)`.
 */
import type * as tf from '@tensorflow/tfjs';
import { ConfigError, describeValue } from '@snnts/core';
import { Optimizer } from './optimizer.js';
import type { MinimizeOptions } from './types.js';

/**
 * One training step: `optimizer.minimize(lossFn, options)`, as a free function.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, trainStep } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([2]));
 * const opt = new SGD([w], { lr: 0.1 });
 * const loss = trainStep(opt, () => tf.sum(tf.square(w))); // 4
 * ```
 */
export function trainStep(optimizer: Optimizer, lossFn: () => tf.Scalar, options?: MinimizeOptions): number {
  if (!(optimizer instanceof Optimizer)) {
    throw new ConfigError('trainStep', 'optimizer', 'an Optimizer (SGD, Adam, AdamW, ...)', describeValue(optimizer));
  }
  return optimizer.minimize(lossFn, options);
}
