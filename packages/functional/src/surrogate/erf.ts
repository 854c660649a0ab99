/**
 * Erf surrogate (spikingjelly `surrogate.Erf`): Heaviside forward, Gaussian-shaped gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { alpha: 2 } as const;

/** Options of {@link Erf}. */
export interface ErfArgs extends SurrogateArgs {
  /** Sharpness; the gradient peaks at `alpha / √π` at x = 0 (default 2). */
  alpha?: number;
}

/**
 * Gaussian-error-function surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α/√π · exp(-α²·x²)
 * primitive: σ(x) = erfc(-α·x) / 2  =  (1 + erf(α·x)) / 2
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Erf } from '@snnts/functional';
 * const sg = new Erf({ alpha: 2 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-0.5, 0, 0.5])).print(); // [0.4151, 1.1284, 0.4151]
 * ```
 */
export class Erf extends SurrogateFunction {
  static override className = 'Erf';
  /** See {@link ErfArgs.alpha}. */
  readonly alpha: number;

  constructor(args: ErfArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', Erf.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.exp(tf.neg(tf.square(tf.mul(x, this.alpha)))), this.alpha / Math.sqrt(Math.PI)));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.add(tf.erf(tf.mul(x, this.alpha)), 1), 2));
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
