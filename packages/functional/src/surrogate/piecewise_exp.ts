/**
 * PiecewiseExp surrogate (spikingjelly `surrogate.PiecewiseExp`): a Laplace-shaped gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, heaviside, type SurrogateArgs } from './base.js';
import { checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 1 } as const;

/** Options of {@link PiecewiseExp}. */
export interface PiecewiseExpArgs extends SurrogateArgs {
  /** Decay rate; the gradient peaks at `alpha / 2` at x = 0; must be > 0 (default 1). */
  alpha?: number;
}

/**
 * Piecewise-exponential surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α/2 · exp(-α·|x|)
 * primitive: σ(x) = 1 - exp(-α·x) / 2      for x >= 0
 *                 = exp(α·x) / 2           for x < 0
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PiecewiseExp } from '@snnts/functional';
 * const sg = new PiecewiseExp({ alpha: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.1839, 0.5, 0.1839]
 * ```
 */
export class PiecewiseExp extends SurrogateFunction {
  static override className = 'PiecewiseExp';
  /** See {@link PiecewiseExpArgs.alpha}. */
  readonly alpha: number;

  constructor(args: PiecewiseExpArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', PiecewiseExp.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.exp(tf.mul(tf.abs(x), -this.alpha)), this.alpha / 2));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = nonzeroSign(x);
      const e = tf.div(tf.exp(tf.mul(tf.mul(s, x), -this.alpha)), 2);
      return tf.sub(heaviside(x), tf.mul(e, s));
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
