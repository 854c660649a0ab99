/**
 * `repeatOverTime`: one frame repeated over T time steps, `[N, ...] -> [T, N, ...]`, marked as
 * such. The result is an ordinary tensor (any layer can consume it), and the mark lets the
 * multi-step machinery skip work that would be repeated T times: `SeqToANNContainer` runs its
 * time-invariant layers once on the frame and repeats the output, and the fused neuron kernels read
 * the frame directly instead of the T copies. Forward values and gradients are those of the
 * materialised sequence (the gradient of the frame is the sum over time).
 *
 * The mark lives in a `WeakMap` keyed by the sequence tensor, so it disappears with the tensor;
 * reshaping or slicing the sequence yields an unmarked tensor (the slow, exact path).
 */
import * as tf from '@tensorflow/tfjs';
import { assertPositiveInt, getGlobal, toTensor } from '@snnts/core';

/** What {@link repeatedFrame} returns for a marked sequence. */
export interface RepeatedFrame {
  /** The frame `[N, ...]` that every time step equals. */
  frame: tf.Tensor;
  /** Number of time steps. */
  T: number;
}

const marks = (): WeakMap<tf.Tensor, RepeatedFrame> => getGlobal('repeatedOverTime', () => new WeakMap<tf.Tensor, RepeatedFrame>());

/**
 * Repeats `x` (`[N, ...]`) `T` times along a new leading time axis and marks the result as a
 * repeated frame (see the file header). Use it for direct (static) input encoding, the way
 * spikingjelly code writes `x.unsqueeze(0).repeat(T, 1, ...)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { repeatOverTime, repeatedFrame } from '@snnts/functional';
 * const x = tf.ones([2, 3]);
 * const xSeq = repeatOverTime(x, 4); // shape [4, 2, 3]
 * console.log(repeatedFrame(xSeq)?.T); // 4
 * ```
 */
export function repeatOverTime(x: tf.Tensor | tf.TensorLike, T: number): tf.Tensor {
  const fn = 'repeatOverTime';
  const frame = toTensor(x, 'x', fn);
  assertPositiveInt(T, 'T', fn);
  return markRepeatedOverTime(repeatRows(frame, T), frame, T);
}

/**
 * `[T, ...x.shape]` copies of `x`. Forward: one concat. Backward: one sum over time. (tfjs's own
 * concat gradient is T slices, and tile's is T slices too and missing beyond rank 4; on wasm
 * either costs more than the whole forward pass.)
 */
const repeatRows = (x: tf.Tensor, T: number): tf.Tensor =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xin = args[0] as tf.Tensor;
    const row = tf.reshape(xin, [1, -1]);
    const value = tf.reshape(T === 1 ? row : tf.concat(new Array<tf.Tensor>(T).fill(row), 0), [T, ...xin.shape]);
    return { value, gradFunc: (dy: tf.Tensor) => tf.reshape(tf.sum(tf.reshape(dy, [T, -1]), 0), xin.shape) };
  })(x);

/**
 * Marks `seq` (`[T, ...frame.shape]`, already equal to `frame` at every step) as a repeated frame
 * and returns it. For containers that produce such sequences themselves.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { markRepeatedOverTime } from '@snnts/functional';
 * const frame = tf.ones([2]);
 * const seq = markRepeatedOverTime(tf.stack([frame, frame]), frame, 2);
 * ```
 */
export function markRepeatedOverTime(seq: tf.Tensor, frame: tf.Tensor, T: number): tf.Tensor {
  marks().set(seq, { frame, T });
  return seq;
}

/**
 * The frame and T of a sequence made by {@link repeatOverTime}, or `null` when `xSeq` is not
 * marked (or the frame has been disposed since).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { repeatOverTime, repeatedFrame } from '@snnts/functional';
 * repeatedFrame(tf.ones([4, 2, 3])); // null
 * repeatedFrame(repeatOverTime(tf.ones([2, 3]), 4))?.frame.shape; // [2, 3]
 * ```
 */
export function repeatedFrame(xSeq: tf.Tensor): RepeatedFrame | null {
  const m = marks().get(xSeq);
  if (!m || m.frame.isDisposed || xSeq.isDisposed || xSeq.shape[0] !== m.T) return null;
  return m;
}
