/**
 * PiecewiseLeakyReLU surrogate (spikingjelly `surrogate.PiecewiseLeakyReLU`): a box gradient of
 * height 1/(2w) on |x| < w with a leak `c` outside.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { atLeast, atMost, checkParam } from './util.js';

const DEFAULTS = { w: 1, c: 0.01 } as const;

/** Options of {@link PiecewiseLeakyReLU}. */
export interface PiecewiseLeakyReLUArgs extends SurrogateArgs {
  /** Half-width of the central region; must be > 0 (default 1). */
  w?: number;
  /** Gradient (slope) outside the central region (default 0.01). */
  c?: number;
}

/**
 * Piecewise leaky-ReLU surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 1 / (2w)                    for |x| <  w
 *                 = c                           for |x| >= w   (so g(±w) = c, as in spikingjelly)
 * primitive: σ(x) = c·x + c·w                   for x < -w
 *                 = x / (2w) + 1/2              for |x| <= w
 *                 = c·x + 1 - c·w               for x > w
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PiecewiseLeakyReLU } from '@snnts/functional';
 * const sg = new PiecewiseLeakyReLU({ w: 1, c: 0.01 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-2, -1, 0, 0.5])).print(); // [0.01, 0.01, 0.5, 0.5]
 * ```
 */
export class PiecewiseLeakyReLU extends SurrogateFunction {
  static override className = 'PiecewiseLeakyReLU';
  /** See {@link PiecewiseLeakyReLUArgs.w}. */
  readonly w: number;
  /** See {@link PiecewiseLeakyReLUArgs.c}. */
  readonly c: number;

  constructor(args: PiecewiseLeakyReLUArgs = {}) {
    super(args);
    const cls = PiecewiseLeakyReLU.className;
    this.w = checkParam(args.w ?? DEFAULTS.w, 'w', cls, (v) => v > 0, 'a number > 0');
    this.c = checkParam(args.c ?? DEFAULTS.c, 'c', cls);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      tf.where(tf.less(tf.abs(x), this.w), tf.fill(x.shape, 1 / (2 * this.w)), tf.fill(x.shape, this.c)),
    );
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    const { w, c } = this;
    return tf.tidy(() => {
      const middle = tf.add(tf.div(x, 2 * w), 0.5);
      const left = tf.add(tf.mul(x, c), c * w);
      const right = tf.add(tf.mul(x, c), 1 - c * w);
      // x < -w: left; -w <= x <= w: middle; x > w: right.
      return tf.where(atLeast(x, -w), tf.where(atMost(x, w), middle, right), left);
    });
  }

  override params(): Record<string, number> {
    return { w: this.w, c: this.c };
  }
}
