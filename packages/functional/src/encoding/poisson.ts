/**
 * Poisson (Bernoulli rate) encoding: each step fires with probability equal to the intensity,
 * `S = (U <= x)` with `U ~ Uniform[0, 1)`, as spikingjelly's `PoissonEncoder`.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, assertPositiveInt, nextSeed, toTensor } from '@snnts/core';

/**
 * Poisson-encodes intensities in [0, 1]. Without `T` it returns one step shaped like `x`; with
 * `T` a `[T, ...x.shape]` sequence. Randomness follows `manualSeed` unless `seed` is given.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { poissonEncode } from '@snnts/functional';
 * const img = tf.fill([1, 784], 0.25);
 * const spikes = poissonEncode(img, { T: 16 }); // [16, 1, 784], mean ≈ 0.25
 * ```
 */
export function poissonEncode(x: tf.Tensor | tf.TensorLike, options: { T?: number; seed?: number } = {}): tf.Tensor {
  const fn = 'poissonEncode';
  return tf.tidy(() => {
    const xt = toTensor(x, 'x', fn);
    const shape = options.T === undefined ? xt.shape : [options.T, ...xt.shape];
    if (options.T !== undefined) assertPositiveInt(options.T, 'T', fn);
    const [lo, hi] = [tf.min(xt).arraySync() as number, tf.max(xt).arraySync() as number];
    if (lo < 0 || hi > 1) throw new ShapeError(fn, 'x', 'intensities in [0, 1]', `values in [${lo}, ${hi}]`);
    const u = tf.randomUniform(shape, 0, 1, 'float32', options.seed ?? nextSeed());
    return tf.cast(tf.lessEqual(u, xt), 'float32');
  });
}
