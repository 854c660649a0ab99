/**
 * FakeNumericalGradient surrogate (spikingjelly `surrogate.FakeNumericalGradient`): the gradient
 * is the slope of the secant from (0, Θ(0)) to the step, capped at `alpha`. It has no primitive,
 * so it only works in spiking mode (spikingjelly's constructor takes no `spiking` argument).
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam, noPrimitive, spikingOnly } from './util.js';

const DEFAULTS = { alpha: 0.3 } as const;

/** Options of {@link FakeNumericalGradient}. `spiking: false` is rejected: there is no primitive. */
export interface FakeNumericalGradientArgs extends SurrogateArgs {
  /** Upper bound of the gradient, reached for |x| <= 1/alpha and at x = 0 (default 0.3). */
  alpha?: number;
}

/**
 * Fake-numerical-gradient surrogate spike function. `NonzeroSign(x)` is +1 for x >= 0, -1 otherwise.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = min(NonzeroSign(x) / x, α)  =  min(1 / |x|, α)     (g(0) = α)
 * primitive: none (`primitive` throws a ConfigError, as spikingjelly raises NotImplementedError)
 * ```
 *
 * spikingjelly computes `NonzeroSign(x) / x`, which is `-inf` at x = -0.0; here it is
 * `1 / |x|`, which gives `α` at both zeros and is identical everywhere else.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FakeNumericalGradient } from '@snnts/functional';
 * const sg = new FakeNumericalGradient({ alpha: 0.3 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-5, 0, 2])).print(); // [0.2, 0.3, 0.3]
 * ```
 */
export class FakeNumericalGradient extends SurrogateFunction {
  static override className = 'FakeNumericalGradient';
  /** See {@link FakeNumericalGradientArgs.alpha}. */
  readonly alpha: number;

  constructor(args: FakeNumericalGradientArgs = {}) {
    super(args);
    if (!this.spiking) throw spikingOnly(FakeNumericalGradient.className);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', FakeNumericalGradient.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    // 1 / |0| = +inf, which the cap turns into alpha.
    return tf.tidy(() => tf.minimum(tf.div(1, tf.abs(x)), this.alpha));
  }

  /** @throws ConfigError always: spikingjelly defines no primitive for FakeNumericalGradient. */
  override primitive(_x: tf.Tensor): tf.Tensor {
    throw noPrimitive(FakeNumericalGradient.className);
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
