/**
 * The surrogate-gradient contract. A surrogate spike function is the Heaviside step in the forward
 * pass (`x >= 0` fires, so heaviside(0) = 1) and a smooth derivative `grad(x)` in the backward pass,
 * installed with `tf.customGrad`. Each surrogate also exposes its smooth `primitive` (the function
 * whose derivative `grad` is), used when `spiking: false` and to test `grad` against autograd.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, describeValue, toTensor, type ConfigDict } from '@snnts/core';

/**
 * Heaviside step with heaviside(0) = 1, as float32 (no gradient of its own).
 *
 * @example
 * ```ts
 * import { heaviside } from '@snnts/functional';
 * heaviside([-1, 0, 2]).print(); // [0, 1, 1]
 * ```
 */
export function heaviside(x: tf.Tensor | tf.TensorLike): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.greaterEqual(x, 0), 'float32'));
}

/** Options shared by every surrogate. */
export interface SurrogateArgs {
  /**
   * `true` (default): forward is the Heaviside step, backward the surrogate gradient.
   * `false`: forward is the smooth primitive (and backward its autograd derivative).
   */
  spiking?: boolean;
}

/**
 * Base class of surrogate spike functions. A subclass implements `grad` and `primitive` and sets
 * a static `className`; registration by name is done with `registerSurrogate`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ATan } from '@snnts/functional';
 * const sg = new ATan({ alpha: 2 });
 * const dx = tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-1, 0, 1]));
 * dx.print(); // alpha / 2 / (1 + (pi/2 * alpha * x)^2)
 * ```
 */
export abstract class SurrogateFunction {
  /** Stable name, used by the registry and in configs. */
  static className = 'SurrogateFunction';
  /** See {@link SurrogateArgs.spiking}. */
  readonly spiking: boolean;
  private spikeFn?: (x: tf.Tensor) => tf.Tensor;

  constructor(args: SurrogateArgs = {}) {
    const spiking = args.spiking ?? true;
    if (typeof spiking !== 'boolean') {
      const cls = new.target.className;
      throw new ConfigError(cls, 'spiking', 'a boolean', describeValue(spiking));
    }
    this.spiking = spiking;
  }

  /** The surrogate derivative d spike / d x, elementwise. */
  abstract grad(x: tf.Tensor): tf.Tensor;

  /**
   * The smooth primitive whose derivative is `grad`. Surrogates without one (spikingjelly's
   * SuperSpike, FakeNumericalGradient, DeterministicPass) throw a `ConfigError`.
   */
  abstract primitive(x: tf.Tensor): tf.Tensor;

  /** The name of this surrogate's class. */
  get name(): string {
    return (this.constructor as typeof SurrogateFunction).className;
  }

  /** Hyper-parameters (e.g. `{alpha: 2}`); `getConfig` adds `spiking`. */
  abstract params(): Record<string, number>;

  /**
   * Spike function: Heaviside forward with this surrogate's backward (when `spiking`), else the
   * primitive. `x` may be a tensor or a numeric array; it is computed in float32.
   *
   * @throws ShapeError when `x` is neither a tensor nor a rectangular numeric array.
   */
  apply(x: tf.Tensor | tf.TensorLike): tf.Tensor {
    return tf.tidy(() => {
      let t = toTensor(x, 'x', `${this.name}.apply`);
      if (t.dtype !== 'float32') t = tf.cast(t, 'float32');
      if (!this.spiking) return this.primitive(t);
      this.spikeFn ??= tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const xin = args[0] as tf.Tensor;
        (args[1] as tf.GradSaveFunc)([xin]);
        return {
          value: heaviside(xin),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, this.grad(saved[0]!)),
        };
      });
      return this.spikeFn(t);
    });
  }

  /** `{...params(), spiking}`: the constructor options that rebuild this surrogate. */
  getConfig(): ConfigDict {
    return { ...this.params(), spiking: this.spiking };
  }

  /** `ClassName(alpha=2)` style description. */
  toString(): string {
    const p = Object.entries(this.params()).map(([k, v]) => `${k}=${v}`);
    if (!this.spiking) p.push('spiking=false');
    return `${this.name}(${p.join(', ')})`;
  }
}
