/**
 * LogTailedReLU surrogate (spikingjelly `surrogate.LogTailedReLU`, Cai et al. 2017): a leaky-ReLU
 * primitive whose linear part turns logarithmic above x = 1.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { atMost, checkParam } from './util.js';

const DEFAULTS = { alpha: 0 } as const;

/** Options of {@link LogTailedReLU}. */
export interface LogTailedReLUArgs extends SurrogateArgs {
  /** Slope (gradient) for x <= 0 (default 0). */
  alpha?: number;
}

/**
 * Log-tailed ReLU surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α        for x <= 0
 *                 = 1        for 0 < x <= 1
 *                 = 1 / x    for x > 1
 * primitive: σ(x) = α·x      for x <= 0
 *                 = x        for 0 < x <= 1
 *                 = log(x) + 1   for x > 1
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LogTailedReLU } from '@snnts/functional';
 * const sg = new LogTailedReLU({ alpha: 0.1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 0.5, 2])).print(); // [0.1, 0.1, 1, 0.5]
 * ```
 */
export class LogTailedReLU extends SurrogateFunction {
  static override className = 'LogTailedReLU';
  /** See {@link LogTailedReLUArgs.alpha}. */
  readonly alpha: number;

  constructor(args: LogTailedReLUArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', LogTailedReLU.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // 1 / max(x, 1) equals 1 / x where it is used and stays finite elsewhere.
      const tail = tf.reciprocal(tf.maximum(x, 1));
      const low = tf.where(tf.lessEqual(x, 0), tf.fill(x.shape, this.alpha), tf.onesLike(x));
      return tf.where(tf.greater(x, 1), tail, low);
    });
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const tail = tf.add(tf.log(tf.maximum(x, 1)), 1);
      return tf.where(atMost(x, 1), tf.leakyRelu(x, this.alpha), tail);
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
