/**
 * PiecewiseQuadratic surrogate (spikingjelly `surrogate.PiecewiseQuadratic`): a triangular
 * gradient on |x| <= 1/α, zero outside.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, heaviside, type SurrogateArgs } from './base.js';
import { atMost, checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 1 } as const;

/** Options of {@link PiecewiseQuadratic}. */
export interface PiecewiseQuadraticArgs extends SurrogateArgs {
  /** Height of the triangle (its half-width is `1/alpha`); must be > 0 (default 1). */
  alpha?: number;
}

/**
 * Piecewise-quadratic surrogate spike function (a triangle-shaped gradient).
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α - α²·|x|                       for |x| <= 1/α
 *                 = 0                                 for |x| >  1/α
 * primitive: σ(x) = 0                                 for x < -1/α
 *                 = -α²/2 · x² · sign(x) + α·x + 1/2  for |x| <= 1/α
 *                 = 1                                 for x > 1/α
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PiecewiseQuadratic } from '@snnts/functional';
 * const sg = new PiecewiseQuadratic({ alpha: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1.5, -0.5, 0, 0.5])).print(); // [0, 0.5, 1, 0.5]
 * ```
 */
export class PiecewiseQuadratic extends SurrogateFunction {
  static override className = 'PiecewiseQuadratic';
  /** See {@link PiecewiseQuadraticArgs.alpha}. */
  readonly alpha: number;

  constructor(args: PiecewiseQuadraticArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', PiecewiseQuadratic.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    const a = this.alpha;
    return tf.tidy(() => {
      const ax = tf.abs(x);
      return tf.where(tf.greater(ax, 1 / a), tf.zerosLike(x), tf.sub(a, tf.mul(ax, a * a)));
    });
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    const a = this.alpha;
    return tf.tidy(() => {
      const inner = tf.add(tf.add(tf.mul(tf.mul(tf.square(x), nonzeroSign(x)), (-a * a) / 2), tf.mul(x, a)), 0.5);
      // Outside |x| <= 1/α the value is 1 for x > 0 and 0 for x < 0, i.e. Θ(x).
      return tf.where(atMost(tf.abs(x), 1 / a), inner, heaviside(x));
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
