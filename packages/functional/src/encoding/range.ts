/**
 * The value-range check every encoder shares: intensities must lie in a closed interval, and an
 * out-of-range (or NaN) input throws a `ShapeError` naming the function, the argument, the
 * interval and the range actually found. Internal to the encoders (not exported).
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '@snnts/core';

/**
 * Throws unless every element of `x` lies in `[lo, hi]`; `expected` describes the interval in the
 * message (e.g. `'intensities in [0, 1]'`). Reads the minimum and maximum back (one sync).
 *
 * @internal
 */
export function assertValuesIn(x: tf.Tensor, lo: number, hi: number, expected: string, arg: string, fn: string): void {
  if (x.size === 0) return;
  const stats = tf.tidy(() => {
    const f = tf.cast(x, 'float32');
    return tf.stack([tf.min(f), tf.max(f), tf.cast(tf.any(tf.isNaN(f)), 'float32')]).dataSync();
  });
  const [min, max, nan] = [stats[0]!, stats[1]!, stats[2]!];
  if (nan) throw new ShapeError(fn, arg, expected, 'NaN values');
  if (!(min >= lo && max <= hi)) throw new ShapeError(fn, arg, expected, `values in [${short(min)}, ${short(max)}]`);
}

/** A float32 value with float32's precision (`1.2`, not `1.2000000476837158`). */
function short(v: number): number {
  return Number.parseFloat(v.toPrecision(7));
}
