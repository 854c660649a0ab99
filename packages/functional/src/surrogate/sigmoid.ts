/**
 * Sigmoid surrogate (spikingjelly `surrogate.Sigmoid`, the default surrogate of spikingjelly's
 * neurons): Heaviside forward, logistic primitive.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { alpha: 4 } as const;

/** Options of {@link Sigmoid}. */
export interface SigmoidArgs extends SurrogateArgs {
  /** Sharpness; the gradient peaks at `alpha / 4` at x = 0 (default 4). */
  alpha?: number;
}

/**
 * Sigmoid surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α · sigmoid(α·x) · (1 - sigmoid(α·x))
 * primitive: σ(x) = sigmoid(α·x)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Sigmoid } from '@snnts/functional';
 * const sg = new Sigmoid(); // alpha 4
 * sg.apply(tf.tensor([-1, 0, 1])).print(); // [0, 1, 1]
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.0707, 1, 0.0707]
 * ```
 */
export class Sigmoid extends SurrogateFunction {
  static override className = 'Sigmoid';
  /** See {@link SigmoidArgs.alpha}. */
  readonly alpha: number;

  constructor(args: SigmoidArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', Sigmoid.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = tf.sigmoid(tf.mul(x, this.alpha));
      return tf.mul(tf.mul(tf.sub(1, s), s), this.alpha);
    });
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sigmoid(tf.mul(x, this.alpha)));
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
