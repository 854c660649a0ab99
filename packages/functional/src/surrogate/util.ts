/**
 * Small helpers shared by the surrogate files: spikingjelly's non-zero sign, argument checks for
 * surrogate hyper-parameters, and the error for surrogates that have no primitive. Internal: not
 * re-exported from the package.
 *
 * @internal
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, assertNumber } from '@snnts/core';
import { heaviside } from './base.js';

/**
 * `+1` where `x >= 0`, `-1` elsewhere (spikingjelly's `mask_sign = heaviside(x) * 2 - 1`).
 * Unlike `tf.sign` it is never 0, and it carries no gradient, so `s · x` is `|x|` with the exact
 * derivative `s` everywhere, including at 0 (tfjs' `abs` has derivative -1 at 0). For example
 * `nonzeroSign(tf.tensor([-2, 0, 3]))` is `[-1, 1, 1]`.
 *
 * @internal
 */
export function nonzeroSign(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(heaviside(x), 2), 1));
}

/**
 * Boolean `x >= a`. Primitives build every `tf.where` condition from this and {@link atMost}:
 * `GreaterEqual` is the only tfjs comparison with a registered gradient, and autograd through a
 * `tf.where` also visits its condition (`tf.less`, `tf.greater`, `tf.lessEqual` would make
 * `tf.grad(primitive)` throw "gradient function not found"). Strict comparisons are written by
 * swapping the branches: `tf.where(atLeast(x, 0), pos, neg)` is `x < 0 ? neg : pos`.
 *
 * @internal
 */
export function atLeast(x: tf.Tensor, a: number): tf.Tensor {
  return tf.greaterEqual(x, a);
}

/**
 * Boolean `x <= a`, as `a >= x` (see {@link atLeast} for why): `tf.where(atMost(x, 1), low, high)`
 * is `x > 1 ? high : low`.
 *
 * @internal
 */
export function atMost(x: tf.Tensor, a: number): tf.Tensor {
  return tf.greaterEqual(a, x);
}

/**
 * Validates a surrogate hyper-parameter: a finite number, optionally with a stricter condition,
 * e.g. `checkParam(args.w ?? 1, 'w', 'PiecewiseLeakyReLU', (v) => v > 0, 'a number > 0')`.
 *
 * @internal
 */
export function checkParam(
  value: unknown,
  arg: string,
  cls: string,
  pred: (v: number) => boolean = () => true,
  expected = 'a finite number',
): number {
  assertNumber(value, (v) => Number.isFinite(v) && pred(v), expected, arg, cls);
  return value;
}

/**
 * The `ConfigError` thrown by `primitive` of surrogates that spikingjelly defines without one:
 * `throw noPrimitive('SuperSpike')`.
 *
 * @internal
 */
export function noPrimitive(cls: string): ConfigError {
  return new ConfigError(
    `${cls}.primitive`,
    'primitive',
    'a surrogate with a primitive function',
    `${cls}, which has none (spikingjelly raises NotImplementedError)`,
    `Use ${cls} with spiking: true, or a surrogate that has a primitive (e.g. ATan, Sigmoid) for spiking: false.`,
  );
}

/**
 * The `ConfigError` for `spiking: false` on a surrogate that has no primitive:
 * `if (!this.spiking) throw spikingOnly('SuperSpike')`.
 *
 * @internal
 */
export function spikingOnly(cls: string): ConfigError {
  return new ConfigError(cls, 'spiking', `true (${cls} has no primitive to use when not spiking)`, 'false');
}
