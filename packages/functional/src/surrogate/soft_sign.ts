/**
 * SoftSign surrogate (spikingjelly `surrogate.SoftSign`): Heaviside forward, softsign primitive.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 2 } as const;

/** Options of {@link SoftSign}. */
export interface SoftSignArgs extends SurrogateArgs {
  /** Sharpness; the gradient peaks at `alpha / 2` at x = 0; must be > 0 (default 2). */
  alpha?: number;
}

/**
 * Softsign surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 1 / (2α · (1/α + |x|)²)  =  α / (2 · (1 + α·|x|)²)
 * primitive: σ(x) = (softsign(α·x) + 1) / 2,  softsign(z) = z / (1 + |z|)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SoftSign } from '@snnts/functional';
 * const sg = new SoftSign({ alpha: 2 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.1111, 1, 0.1111]
 * ```
 */
export class SoftSign extends SurrogateFunction {
  static override className = 'SoftSign';
  /** See {@link SoftSignArgs.alpha}. */
  readonly alpha: number;

  constructor(args: SoftSignArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', SoftSign.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    const a = this.alpha;
    return tf.tidy(() => tf.div(1, tf.mul(tf.square(tf.add(tf.abs(x), 1 / a)), 2 * a)));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.mul(x, this.alpha);
      // |z| written as sign·z so that autograd gives the exact derivative at 0 as well.
      const softsign = tf.div(z, tf.add(tf.mul(nonzeroSign(x), z), 1));
      return tf.div(tf.add(softsign, 1), 2);
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
