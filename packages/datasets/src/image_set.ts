/**
 * An in-memory labelled image set (`[N, C, H, W]` float images in [0, 1] and int labels) with
 * seeded shuffling, subsets and batching into tf tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Generator, ShapeError, assertPositiveInt } from '@snnts/core';

/**
 * Images (float32, row-major `[N, C, H, W]`, values in [0, 1]) and labels.
 *
 * @example
 * ```ts
 * import { ImageSet } from '@snnts/datasets';
 * const set = new ImageSet(new Float32Array(4 * 4), new Int32Array([0, 1, 0, 1]), [1, 2, 2]);
 * const { x, y } = set.batch([0, 1]); // x: [2, 1, 2, 2], y: int32 [2]
 * ```
 */
export class ImageSet {
  /** Number of images. */
  readonly length: number;
  /** Values per image (`C * H * W`). */
  readonly size: number;

  constructor(
    readonly images: Float32Array,
    readonly labels: Int32Array,
    /** `[C, H, W]` of one image. */
    readonly imageShape: [number, number, number],
  ) {
    this.size = imageShape[0] * imageShape[1] * imageShape[2];
    this.length = labels.length;
    if (images.length !== this.length * this.size) {
      throw new ShapeError('ImageSet', 'images', `${this.length} x ${this.size} values (labels x image size)`, `${images.length} values`);
    }
  }

  /** The images at `indices` as `[n, C, H, W]` and their labels as int32 `[n]`. Caller disposes. */
  batch(indices: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor1D } {
    const n = indices.length;
    const buf = new Float32Array(n * this.size);
    const lab = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = indices[i]!;
      if (!(k >= 0 && k < this.length)) throw new ConfigError('ImageSet.batch', `indices[${i}]`, `an index in [0, ${this.length})`, String(k));
      buf.set(this.images.subarray(k * this.size, (k + 1) * this.size), i * this.size);
      lab[i] = this.labels[k]!;
    }
    return { x: tf.tensor4d(buf, [n, ...this.imageShape]), y: tf.tensor1d(lab, 'int32') };
  }

  /** A new set with the images at `indices` (copied). */
  subset(indices: ArrayLike<number>): ImageSet {
    const images = new Float32Array(indices.length * this.size);
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i]!;
      images.set(this.images.subarray(k * this.size, (k + 1) * this.size), i * this.size);
      labels[i] = this.labels[k]!;
    }
    return new ImageSet(images, labels, this.imageShape);
  }

  /** The first `n` images. */
  take(n: number): ImageSet {
    assertPositiveInt(n, 'n', 'ImageSet.take');
    return this.subset(Int32Array.from({ length: Math.min(n, this.length) }, (_, i) => i));
  }

  /**
   * Index batches covering the set once, shuffled with `seed` (in order when `seed` is undefined);
   * the last batch may be smaller.
   */
  batches(batchSize: number, seed?: number): Int32Array[] {
    assertPositiveInt(batchSize, 'batchSize', 'ImageSet.batches');
    const order = seed === undefined ? Int32Array.from({ length: this.length }, (_, i) => i) : new Generator(seed).permutation(this.length);
    const out: Int32Array[] = [];
    for (let i = 0; i < this.length; i += batchSize) out.push(order.subarray(i, Math.min(i + batchSize, this.length)));
    return out;
  }
}
