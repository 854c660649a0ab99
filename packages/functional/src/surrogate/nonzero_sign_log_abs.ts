/**
 * NonzeroSignLogAbs surrogate (spikingjelly `surrogate.NonzeroSignLogAbs`): a heavy-tailed
 * gradient whose primitive is a signed logarithm.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 1 } as const;

/** Options of {@link NonzeroSignLogAbs}. */
export interface NonzeroSignLogAbsArgs extends SurrogateArgs {
  /** Sharpness; the gradient is `alpha` at x = 0; must be > 0 (default 1). */
  alpha?: number;
}

/**
 * Nonzero-sign log-abs surrogate spike function. `NonzeroSign(x)` is +1 for x >= 0 and -1 otherwise.
 * Note that its primitive ranges over all reals, not (0, 1): it is not a smoothed step.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 1 / (1/α + |x|)
 * primitive: σ(x) = NonzeroSign(x) · log(α·|x| + 1)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { NonzeroSignLogAbs } from '@snnts/functional';
 * const sg = new NonzeroSignLogAbs({ alpha: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.5, 1, 0.5]
 * ```
 */
export class NonzeroSignLogAbs extends SurrogateFunction {
  static override className = 'NonzeroSignLogAbs';
  /** See {@link NonzeroSignLogAbsArgs.alpha}. */
  readonly alpha: number;

  constructor(args: NonzeroSignLogAbsArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', NonzeroSignLogAbs.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(1, tf.add(tf.abs(x), 1 / this.alpha)));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = nonzeroSign(x);
      return tf.mul(s, tf.log(tf.add(tf.mul(tf.mul(s, x), this.alpha), 1)));
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
