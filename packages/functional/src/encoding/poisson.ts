/**
 * Poisson (Bernoulli rate) encoding: each step fires with probability equal to the intensity,
 * `S = (U <= x)` with `U ~ Uniform[0, 1)`, as spikingjelly's `PoissonEncoder`. The function form
 * `poissonEncode` and a small stateless class `PoissonEncoder` with its own optional seed stream.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, assertNumber, assertPositiveInt, nextSeed, toTensor } from '@snnts/core';
import { assertValuesIn } from './range.js';

/** Options of {@link poissonEncode}. */
export interface PoissonEncodeOptions {
  /** Number of time steps; without it one step shaped like `x` is returned. */
  T?: number;
  /** Seed of this draw; by default the next seed of the global stream (`manualSeed`). */
  seed?: number;
}

/**
 * Poisson-encodes intensities in [0, 1]. Without `T` it returns one step shaped like `x`; with
 * `T` a `[T, ...x.shape]` sequence. Randomness follows `manualSeed` unless `seed` is given.
 * Out-of-range input throws a `ShapeError`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { poissonEncode } from '@snnts/functional';
 * const img = tf.fill([1, 784], 0.25);
 * const spikes = poissonEncode(img, { T: 16 }); // [16, 1, 784], mean ≈ 0.25
 * ```
 */
export function poissonEncode(x: tf.Tensor | tf.TensorLike, options: PoissonEncodeOptions = {}): tf.Tensor {
  return poissonEncodeIn(x, options, 'poissonEncode');
}

function poissonEncodeIn(x: tf.Tensor | tf.TensorLike, options: PoissonEncodeOptions, fn: string): tf.Tensor {
  return tf.tidy(() => {
    const xt = toTensor(x, 'x', fn);
    if (options.T !== undefined) assertPositiveInt(options.T, 'T', fn);
    const shape = options.T === undefined ? xt.shape : [options.T, ...xt.shape];
    assertValuesIn(xt, 0, 1, 'intensities in [0, 1]', 'x', fn);
    const u = tf.randomUniform(shape, 0, 1, 'float32', options.seed ?? nextSeed());
    return tf.cast(tf.lessEqual(u, xt), 'float32');
  });
}

/** Options of {@link PoissonEncoder}. */
export interface PoissonEncoderOptions {
  /**
   * Seed of the encoder's own random stream (every call draws the next seed from it). Without it
   * the encoder follows the global stream of `manualSeed`.
   */
  seed?: number;
}

/**
 * Stateless Poisson encoder, spikingjelly's `encoding.PoissonEncoder`: every call draws fresh
 * spikes `rand <= x` shaped like `x` (so it works on one step `[N, ...]` and on a whole
 * sequence `[T, N, ...]` alike). Not a `Module`: it holds no parameters and no state, so
 * `resetNet` has nothing to do with it.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { PoissonEncoder } from '@snnts/functional';
 * const enc = new PoissonEncoder({ seed: 1 });
 * const x = tf.tensor([[0, 0.5, 1]]);
 * const s0 = enc.call(x); // one step, [1, 3]: s0[0] = 0, s0[2] = 1
 * const seq = enc.encode(x, 8); // [8, 1, 3]
 * ```
 */
export class PoissonEncoder {
  private readonly gen: Generator | null;

  constructor(options: PoissonEncoderOptions = {}) {
    if (options.seed !== undefined) assertNumber(options.seed, Number.isInteger, 'an integer', 'seed', 'PoissonEncoder');
    this.gen = options.seed === undefined ? null : new Generator(options.seed);
  }

  /** One draw shaped like `x`: `1` where `U <= x`, else `0`. */
  call(x: tf.Tensor | tf.TensorLike): tf.Tensor {
    return poissonEncodeIn(x, { seed: this.gen?.int(2 ** 31) }, 'PoissonEncoder.call');
  }

  /** `T` independent draws: a `[T, ...x.shape]` sequence. */
  encode(x: tf.Tensor | tf.TensorLike, T: number): tf.Tensor {
    return poissonEncodeIn(x, { T, seed: this.gen?.int(2 ** 31) }, 'PoissonEncoder.encode');
  }
}
