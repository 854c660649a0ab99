/**
 * QPseudoSpike surrogate (spikingjelly `surrogate.QPseudoSpike`, Herranz-Celotti & Rouat 2024):
 * a gradient with a tunable heavy tail.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, heaviside, type SurrogateArgs } from './base.js';
import { checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 2 } as const;

/** Options of {@link QPseudoSpike}. */
export interface QPseudoSpikeArgs extends SurrogateArgs {
  /**
   * Tail index: smaller values give heavier tails. Must be > 1 (the formulas divide by
   * `alpha - 1`, and `alpha < 1` gives NaN gradients); default 2.
   */
  alpha?: number;
}

/**
 * q-PseudoSpike surrogate spike function. `NonzeroSign(x)` is +1 for x >= 0 and -1 otherwise.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = (1 + 2/(α-1) · |x|)^(-α)
 * primitive: σ(x) = Θ(x) - NonzeroSign(x) · (1 + 2/(α-1) · |x|)^(1-α) / 2
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { QPseudoSpike } from '@snnts/functional';
 * const sg = new QPseudoSpike({ alpha: 2 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.1111, 1, 0.1111]
 * ```
 */
export class QPseudoSpike extends SurrogateFunction {
  static override className = 'QPseudoSpike';
  /** See {@link QPseudoSpikeArgs.alpha}. */
  readonly alpha: number;

  constructor(args: QPseudoSpikeArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', QPseudoSpike.className, (v) => v > 1, 'a number > 1');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    const a = this.alpha;
    return tf.tidy(() => tf.pow(tf.add(tf.mul(tf.abs(x), 2 / (a - 1)), 1), -a));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    const a = this.alpha;
    return tf.tidy(() => {
      const s = nonzeroSign(x);
      const tail = tf.mul(tf.pow(tf.add(tf.mul(tf.mul(s, x), 2 / (a - 1)), 1), 1 - a), 0.5);
      return tf.sub(heaviside(x), tf.mul(s, tail));
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
