/**
 * SquarewaveFourierSeries surrogate (spikingjelly `surrogate.SquarewaveFourierSeries`): the
 * primitive is a truncated Fourier series of a square wave, so the gradient is a sum of cosines.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { n: 2, TPeriod: 8 } as const;

/**
 * Options of {@link SquarewaveFourierSeries}. The option names follow spikingjelly (`n`,
 * `T_period`); `TPeriod` keeps spikingjelly's capital T rather than becoming `tPeriod`.
 */
export interface SquarewaveFourierSeriesArgs extends SurrogateArgs {
  /**
   * Number of terms plus one: the series sums i = 1 .. n-1 (as spikingjelly does), so `n: 2`
   * gives a single cosine and `n: 1` a zero gradient. A positive integer (default 2).
   */
  n?: number;
  /** Period `T` of the square wave, spikingjelly's `T_period`; must be > 0 (default 8). */
  TPeriod?: number;
}

/**
 * Square-wave Fourier-series surrogate spike function, with ω = 2π / T.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 4/T · Σ_{i=1}^{n-1} cos((2i-1)·ω·x)
 * primitive: σ(x) = 1/2 + 2/π · Σ_{i=1}^{n-1} sin((2i-1)·ω·x) / (2i-1)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SquarewaveFourierSeries } from '@snnts/functional';
 * const sg = new SquarewaveFourierSeries({ n: 2, TPeriod: 8 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-2, 0, 2])).print(); // [0, 0.5, 0]
 * ```
 */
export class SquarewaveFourierSeries extends SurrogateFunction {
  static override className = 'SquarewaveFourierSeries';
  /** See {@link SquarewaveFourierSeriesArgs.n}. */
  readonly n: number;
  /** See {@link SquarewaveFourierSeriesArgs.TPeriod}. */
  readonly TPeriod: number;

  constructor(args: SquarewaveFourierSeriesArgs = {}) {
    super(args);
    const cls = SquarewaveFourierSeries.className;
    this.n = checkParam(args.n ?? DEFAULTS.n, 'n', cls, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
    this.TPeriod = checkParam(args.TPeriod ?? DEFAULTS.TPeriod, 'TPeriod', cls, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    const w = (2 * Math.PI) / this.TPeriod;
    return tf.tidy(() => {
      let sum = tf.zerosLike(x);
      for (let i = 1; i < this.n; i++) sum = tf.add(sum, tf.cos(tf.mul(x, (2 * i - 1) * w)));
      return tf.mul(sum, 4 / this.TPeriod);
    });
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    const w = (2 * Math.PI) / this.TPeriod;
    return tf.tidy(() => {
      let sum = tf.zerosLike(x);
      for (let i = 1; i < this.n; i++) {
        const k = 2 * i - 1;
        sum = tf.add(sum, tf.div(tf.sin(tf.mul(x, k * w)), k));
      }
      return tf.add(tf.mul(sum, 2 / Math.PI), 0.5);
    });
  }

  override params(): Record<string, number> {
    return { n: this.n, TPeriod: this.TPeriod };
  }
}
