/**
 * Rect surrogate (spikingjelly `surrogate.Rect`): a rectangular (box) gradient of height α on
 * |x| < 1/(2α), i.e. the straight-through estimator of a clipped ramp.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { alpha: 1 } as const;

/** Options of {@link Rect}. */
export interface RectArgs extends SurrogateArgs {
  /** Height of the box; its width is `1/alpha`, so the area is 1. Must be > 0 (default 1). */
  alpha?: number;
}

/**
 * Rectangular surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α    for |x| <  0.5/α
 *                 = 0    for |x| >= 0.5/α   (strict, as in spikingjelly: g(±0.5/α) = 0)
 * primitive: σ(x) = clip(α·x + 1/2, 0, 1)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Rect } from '@snnts/functional';
 * const sg = new Rect({ alpha: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-0.5, -0.25, 0, 0.5])).print(); // [0, 1, 1, 0]
 * ```
 */
export class Rect extends SurrogateFunction {
  static override className = 'Rect';
  /** See {@link RectArgs.alpha}. */
  readonly alpha: number;

  constructor(args: RectArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', Rect.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.cast(tf.less(tf.abs(x), 0.5 / this.alpha), 'float32'), this.alpha));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.clipByValue(tf.add(tf.mul(x, this.alpha), 0.5), 0, 1));
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
