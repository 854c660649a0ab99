/**
 * LeakyKReLU surrogate (spikingjelly `surrogate.LeakyKReLU`): a step-shaped gradient, `k` for
 * x >= 0 and `leak` below.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam } from './util.js';

const DEFAULTS = { leak: 0, k: 1 } as const;

/** Options of {@link LeakyKReLU}. */
export interface LeakyKReLUArgs extends SurrogateArgs {
  /** Gradient for x < 0 (default 0). */
  leak?: number;
  /** Gradient for x >= 0 (default 1). */
  k?: number;
}

/**
 * Leaky k-ReLU surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = k      for x >= 0
 *                 = leak   for x < 0
 * primitive: σ(x) = k·x    for x >= 0
 *                 = leak·x for x < 0
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LeakyKReLU } from '@snnts/functional';
 * const sg = new LeakyKReLU({ leak: 0.1, k: 0.5 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1])).print(); // [0.1, 0.5, 0.5]
 * ```
 */
export class LeakyKReLU extends SurrogateFunction {
  static override className = 'LeakyKReLU';
  /** See {@link LeakyKReLUArgs.leak}. */
  readonly leak: number;
  /** See {@link LeakyKReLUArgs.k}. */
  readonly k: number;

  constructor(args: LeakyKReLUArgs = {}) {
    super(args);
    this.leak = checkParam(args.leak ?? DEFAULTS.leak, 'leak', LeakyKReLU.className);
    this.k = checkParam(args.k ?? DEFAULTS.k, 'k', LeakyKReLU.className);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.where(tf.greaterEqual(x, 0), tf.fill(x.shape, this.k), tf.fill(x.shape, this.leak)));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.where(tf.greaterEqual(x, 0), tf.fill(x.shape, this.k), tf.fill(x.shape, this.leak)), x));
  }

  override params(): Record<string, number> {
    return { leak: this.leak, k: this.k };
  }
}
