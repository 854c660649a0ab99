/**
 * ATan surrogate (spikingjelly `surrogate.ATan`): Heaviside forward, arctangent primitive.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { alpha: 2 } as const;

/** Options of {@link ATan}. */
export interface ATanArgs extends SurrogateArgs {
  /** Sharpness; the gradient peaks at `alpha / 2` at x = 0 (default 2). */
  alpha?: number;
}

/**
 * Arctangent surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = (α/2) / (1 + (π/2 · α · x)²)
 * primitive: σ(x) = arctan(π/2 · α · x) / π + 1/2
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ATan } from '@snnts/functional';
 * const sg = new ATan({ alpha: 2 });
 * sg.apply(tf.tensor([-1, 0, 1])).print(); // [0, 1, 1]
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.0920, 1, 0.0920]
 * ```
 */
export class ATan extends SurrogateFunction {
  static override className = 'ATan';
  /** See {@link ATanArgs.alpha}. */
  readonly alpha: number;

  constructor(args: ATanArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', ATan.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    const a = this.alpha / 2;
    return tf.tidy(() => tf.div(a, tf.add(1, tf.square(tf.mul(x, Math.PI * a)))));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.div(tf.atan(tf.mul(x, (Math.PI / 2) * this.alpha)), Math.PI), 0.5));
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
