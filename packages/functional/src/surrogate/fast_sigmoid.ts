/**
 * FastSigmoid surrogate (snnTorch `surrogate.fast_sigmoid(slope)`; not part of spikingjelly):
 * the gradient of a fast sigmoid, without spikingjelly SoftSign's normalisation.
 */
import * as tf from '@tensorflow/tfjs';
import { SurrogateFunction, type SurrogateArgs } from './base.js';
import { checkParam, nonzeroSign } from './util.js';

const DEFAULTS = { alpha: 25 } as const;

/** Options of {@link FastSigmoid}. */
export interface FastSigmoidArgs extends SurrogateArgs {
  /** snnTorch's `slope`; must be > 0 (default 25, snnTorch's default). */
  alpha?: number;
}

/**
 * Fast-sigmoid surrogate spike function, as in snnTorch: the gradient peaks at 1 for every α.
 *
 * ```
 * forward:   Θ(x)                          (Θ(0) = 1)
 * gradient:  g(x) = 1 / (1 + α·|x|)²
 * primitive: σ(x) = 1/2 + x / (1 + α·|x|)
 * ```
 *
 * The primitive is the exact antiderivative of the gradient (d/dx x/(1+α|x|) = 1/(1+α|x|)²),
 * centred at 1/2, so it ranges over (1/2 - 1/α, 1/2 + 1/α), not (0, 1): snnTorch's gradient
 * has area 2/α rather than 1. `FastSigmoid(α)` has `2/α` times the gradient of
 * {@link SoftSign}`(α)`, spikingjelly's normalised version of the same shape. The forward pass
 * fires at x = 0 like every snnts surrogate (snnTorch's uses `x > 0`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { FastSigmoid } from '@snnts/functional';
 * const sg = new FastSigmoid({ alpha: 25 });
 * tf.grad((x: tf.Tensor) => tf.sum(sg.apply(x)))(tf.tensor([-0.2, 0, 0.2])).print(); // [0.0278, 1, 0.0278]
 * ```
 */
export class FastSigmoid extends SurrogateFunction {
  static override className = 'FastSigmoid';
  /** See {@link FastSigmoidArgs.alpha}. */
  readonly alpha: number;

  constructor(args: FastSigmoidArgs = {}) {
    super(args);
    this.alpha = checkParam(args.alpha ?? DEFAULTS.alpha, 'alpha', FastSigmoid.className, (v) => v > 0, 'a number > 0');
  }

  override grad(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(1, tf.square(tf.add(tf.mul(tf.abs(x), this.alpha), 1))));
  }

  override primitive(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // |x| written as sign·x so that autograd gives the exact derivative at 0 as well.
      const denom = tf.add(tf.mul(tf.mul(nonzeroSign(x), x), this.alpha), 1);
      return tf.add(tf.div(x, denom), 0.5);
    });
  }

  override params(): Record<string, number> {
    return { alpha: this.alpha };
  }
}
