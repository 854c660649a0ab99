/**
 * DeterministicPass surrogate (spikingjelly `surrogate.DeterministicPass`): Heaviside forward and
 * the identity (straight-through) gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { toTensor } from '@snnts/core';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { noPrimitive } from './util.js';

/** Options of {@link DeterministicPass}: only `spiking`. */
export type DeterministicPassArgs = SurrogateArgs;

/**
 * Straight-through surrogate spike function.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 1
 * primitive: none (`primitive` throws a ConfigError, as spikingjelly raises NotImplementedError)
 * ```
 *
 * With `spiking: false`, `apply` is the identity `x ↦ x`, as spikingjelly's `forward` is (its
 * derivative is the gradient above), even though `primitive` itself is not defined upstream.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DeterministicPass } from '@snnts/functional';
 * const sg = new DeterministicPass();
 * sg.apply(tf.tensor([-0.3, 0.2])).print(); // [0, 1]
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-0.3, 0.2])).print(); // [1, 1]
 * ```
 */
export class DeterministicPass extends SurrogateFunction {
  static override className = 'DeterministicPass';

  constructor(args: DeterministicPassArgs = {}) {
    super(args);
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.onesLike(x);
  }

  /** @throws ConfigError always: spikingjelly defines no primitive for DeterministicPass. */
  override primitive(_x: tf.Tensor): tf.Tensor {
    throw noPrimitive(DeterministicPass.className);
  }

  /** Heaviside with the identity gradient when spiking; the identity itself when not. */
  override apply(x: tf.Tensor | tf.TensorLike): tf.Tensor {
    if (this.spiking) return super.apply(x);
    return tf.tidy(() => {
      const t = toTensor(x, 'x', `${this.name}.apply`);
      return t.dtype === 'float32' ? t.clone() : tf.cast(t, 'float32');
    });
  }

  override params(): Record<string, number> {
    return {};
  }
}
