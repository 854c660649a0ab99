/**
 * SuperSpike surrogate (spikingjelly `surrogate.SuperSpike`, Zenke & Ganguli 2018). It has no
 * primitive in spikingjelly, so it only works in spiking mode.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam, noPrimitive, spikingOnly } from './util.js';

const DEFAULTS = { alpha: 1 } as const;

/** Options of {@link SuperSpike}. `spiking: false` is rejected: there is no primitive. */
export interface SuperSpikeArgs extends SurrogateArgs {
  /** Scale of the gradient, which is `alpha` at x = 0 (default 1). */
  alpha?: number;
}

/**
 * SuperSpike surrogate spike function (gradient of a fast sigmoid).
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = α / (|x| + 1)²
 * primitive: none (`primitive` throws a ConfigError, as spikingjelly raises NotImplementedError)
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SuperSpike } from '@snnts/functional';
 * const sg = new SuperSpike({ alpha: 1 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.25, 1, 0.25]
 * ```
 */
export class SuperSpike extends SurrogateFunction {
  static override className = 'SuperSpike';
  /** See {@link SuperSpikeArgs.alpha}. */
  readonly alpha: number;

  constructor(args: SuperSpikeArgs = {}) {
    super(args);
    if (!this.spiking) throw spikingOnly(SuperSpike.className);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', SuperSpike.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(this.alpha, tf.square(tf.add(tf.abs(x), 1))));
  }

  /** @throws ConfigError always: spikingjelly defines no primitive for SuperSpike. */
  override primitive(_x: tf.Tensor): tf.Tensor {
    throw noPrimitive(SuperSpike.className);
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
