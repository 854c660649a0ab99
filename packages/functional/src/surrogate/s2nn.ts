/**
 * S2NN surrogate (spikingjelly `surrogate.S2NN`, Suetake et al. 2023): a sigmoid gradient for
 * x < 0 and a logarithmic tail for x >= 0.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { atLeast, checkParam } from './util.js';

const DEFAULTS = { alpha: 4, beta: 1 } as const;

/** spikingjelly's epsilon inside the primitive's logarithm. */
const LOG_EPS = 1e-5;

/** Options of {@link S2NN}. */
export interface S2NNArgs extends SurrogateArgs {
  /** Sharpness of the sigmoid branch, x < 0 (default 4). */
  alpha?: number;
  /** Scale of the logarithmic branch, x >= 0 (default 1). */
  beta?: number;
}

/**
 * S2NN surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α · sigmoid(α·x) · (1 - sigmoid(α·x))   for x < 0
 *                 = β / (x + 1)                              for x >= 0
 * primitive: σ(x) = sigmoid(α·x)                             for x < 0
 *                 = β · log(|x + 1| + 1e-5) + 1/2            for x >= 0
 * ```
 *
 * The 1e-5 inside the logarithm is spikingjelly's, kept for identical values; it makes the
 * primitive's derivative for x >= 0 equal to β / (x + 1 + 1e-5), not exactly the gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { S2NN } from '@snnts/functional';
 * const sg = new S2NN({ alpha: 4, beta: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-0.5, 0, 1])).print(); // [0.4200, 1, 0.5]
 * ```
 */
export class S2NN extends SurrogateFunction {
  static override className = 'S2NN';
  /** See {@link S2NNArgs.alpha}. */
  readonly alpha: number;
  /** See {@link S2NNArgs.beta}. */
  readonly beta: number;

  constructor(args: S2NNArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', S2NN.className);
    this.beta = checkParam(args.beta ?? DEFAULTS.beta, 'beta', S2NN.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = tf.sigmoid(tf.mul(x, this.alpha));
      const neg = tf.mul(tf.mul(s, tf.sub(1, s)), this.alpha);
      // max(x, 0) keeps the unused branch finite at x = -1.
      const pos = tf.div(this.beta, tf.add(tf.relu(x), 1));
      return tf.where(tf.less(x, 0), neg, pos);
    });
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const neg = tf.sigmoid(tf.mul(x, this.alpha));
      const pos = tf.add(tf.mul(tf.log(tf.add(tf.abs(tf.add(x, 1)), LOG_EPS)), this.beta), 0.5);
      return tf.where(atLeast(x, 0), pos, neg);
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha, beta: this.beta };
  }
}
