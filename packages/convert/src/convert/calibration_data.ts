/**
 * The calibration data the converter accepts: one tensor, an array, or an (async) iterable of
 * batches (tensors or nested arrays), normalised to an async iterable of float32 tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, describeValue } from '@snnts/core';

/** Batches shaped like the model input: one tensor, or an array / iterable / async iterable of them. */
export type CalibrationData = tf.Tensor | Iterable<tf.Tensor> | AsyncIterable<tf.Tensor>;

/** The batches of `data` in order. @internal */
export async function* calibrationBatches(data: CalibrationData, fn: string): AsyncGenerator<tf.Tensor> {
  if (data instanceof tf.Tensor) {
    yield data;
    return;
  }
  const iterable = data as Partial<Iterable<tf.Tensor> & AsyncIterable<tf.Tensor>> | null;
  if (iterable === null || typeof iterable !== 'object' || (typeof iterable[Symbol.iterator] !== 'function' && typeof iterable[Symbol.asyncIterator] !== 'function')) {
    throw new ShapeError(fn, 'calibration', 'a tensor, or an array or (async) iterable of tensors', describeValue(data));
  }
  let i = 0;
  for await (const x of iterable as AsyncIterable<tf.Tensor>) {
    if (!(x instanceof tf.Tensor)) throw new ShapeError(fn, `calibration batch ${i}`, 'a tf.Tensor', describeValue(x));
    yield x;
    i++;
  }
}
