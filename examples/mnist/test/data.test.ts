import * as tf from '@tensorflow/tfjs';
import { Generator } from '@snnts/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_SIZE, SIDE, batchIndices, classCounts, loadAllMnist, makeBatch, randomShift, splitMnist, type MnistSet } from '../src/data.js';

let all: MnistSet;
beforeAll(() => {
  all = loadAllMnist();
});

/** A fingerprint of a set: label sequence plus a checksum of the pixels. */
function fingerprint(s: MnistSet): string {
  let sum = 0;
  for (let i = 0; i < s.images.length; i += 97) sum += s.images[i]! * ((i % 13) + 1);
  return `${s.labels.join('')}:${sum.toFixed(4)}`;
}

describe('mnist data', () => {
  it('loads all 10,000 digits with labels 0-9 and pixels in [0, 1]', () => {
    expect(all.count).toBe(10_000);
    expect(all.images.length).toBe(10_000 * IMAGE_SIZE);
    expect(classCounts(all.labels)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.images) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBe(0);
    expect(hi).toBe(1);
  });

  it('splits 8000/2000 deterministically for a seed, and differently for another seed', () => {
    const a = splitMnist(all, { seed: 0 });
    const b = splitMnist(all, { seed: 0 });
    const c = splitMnist(all, { seed: 1 });
    expect(a.train.count).toBe(8000);
    expect(a.test.count).toBe(2000);
    expect(fingerprint(a.train)).toBe(fingerprint(b.train));
    expect(fingerprint(a.test)).toBe(fingerprint(b.test));
    expect(fingerprint(a.test)).not.toBe(fingerprint(c.test));
  });

  it('keeps train and test disjoint and covering the whole set', () => {
    const { train, test } = splitMnist(all, { seed: 0 });
    const key = (s: MnistSet, i: number) => Array.from(s.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), (v) => Math.round(v * 1000)).join(',');
    const trainKeys = new Set(Array.from({ length: train.count }, (_, i) => key(train, i)));
    let shared = 0;
    for (let i = 0; i < test.count; i++) if (trainKeys.has(key(test, i))) shared++;
    // The bundled digits contain a handful of exact duplicates (blank-ish images); anything more
    // would mean the split reused samples.
    expect(shared).toBeLessThan(5);
    const counts = classCounts(train.labels).map((c, d) => c + classCounts(test.labels)[d]!);
    expect(counts).toEqual(classCounts(all.labels));
  });

  it('gives both sets roughly balanced classes', () => {
    const { train, test } = splitMnist(all, { seed: 0 });
    for (const [set, size] of [[train, 8000], [test, 2000]] as const) {
      for (const [d, c] of classCounts(set.labels).entries()) {
        const expected = (size * classCounts(all.labels)[d]!) / 10_000;
        expect(Math.abs(c - expected), `digit ${d}`).toBeLessThan(0.2 * expected);
      }
    }
  });

  it('rejects an impossible split', () => {
    expect(() => splitMnist(all, { trainSize: 9000, testSize: 2000 })).toThrow(/splitMnist: 'trainSize'/);
  });

  it('batches every index once, reshuffled per call with a generator', () => {
    const gen = new Generator(3);
    const e1 = batchIndices(10, 4, gen);
    const e2 = batchIndices(10, 4, gen);
    expect(e1.map((b) => b.length)).toEqual([4, 4, 2]);
    for (const e of [e1, e2]) expect(e.flatMap((b) => Array.from(b)).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1.flatMap((b) => Array.from(b))).not.toEqual(e2.flatMap((b) => Array.from(b)));
    expect(batchIndices(5, 2).map((b) => Array.from(b))).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => batchIndices(5, 0)).toThrow(/batchIndices: 'batchSize'/);
  });

  it('makes [N, 1, 28, 28] float images and int32 labels', async () => {
    const { test } = splitMnist(all, { seed: 0 });
    const { x, y } = makeBatch(test, [0, 5, 7]);
    expect(x.shape).toEqual([3, 1, 28, 28]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([test.labels[0], test.labels[5], test.labels[7]]);
    const first = (await x.data()).subarray(IMAGE_SIZE, 2 * IMAGE_SIZE);
    expect(Array.from(first)).toEqual(Array.from(test.images.subarray(5 * IMAGE_SIZE, 6 * IMAGE_SIZE)));
    tf.dispose([x, y]);
  });

  it('shifts images by at most maxShift pixels, reproducibly', () => {
    // 50 copies of one bright pixel at (row 10, col 20)
    const count = 50;
    const images = new Float32Array(count * IMAGE_SIZE);
    for (let k = 0; k < count; k++) images[k * IMAGE_SIZE + 10 * SIDE + 20] = 1;
    const a = randomShift(images, count, 2, new Generator(7));
    expect(Array.from(randomShift(images, count, 2, new Generator(7)))).toEqual(Array.from(a));
    const moves = new Set<string>();
    for (let k = 0; k < count; k++) {
      const img = a.subarray(k * IMAGE_SIZE, (k + 1) * IMAGE_SIZE);
      const at = img.indexOf(1);
      expect(img.reduce((x, y) => x + y, 0)).toBe(1);
      const [dr, dc] = [Math.floor(at / SIDE) - 10, (at % SIDE) - 20];
      expect(Math.abs(dr)).toBeLessThanOrEqual(2);
      expect(Math.abs(dc)).toBeLessThanOrEqual(2);
      moves.add(`${dr},${dc}`);
    }
    expect(moves.size).toBeGreaterThan(10);
    // pixels pushed over the border are dropped, not wrapped
    const edge = new Float32Array(IMAGE_SIZE);
    edge[SIDE - 1] = 1; // row 0, last column
    let dropped = 0;
    const gen = new Generator(1);
    for (let i = 0; i < 50; i++) if (randomShift(edge, 1, 1, gen).every((v) => v === 0)) dropped++;
    expect(dropped).toBeGreaterThan(0);
    expect(Array.from(randomShift(images, count, 0, new Generator(0)))).toEqual(Array.from(images));
  });

  it('augments a batch only when asked to, and needs a generator for it', async () => {
    const { test } = splitMnist(all, { seed: 0 });
    const plain = makeBatch(test, [0, 1]);
    const shifted = makeBatch(test, [0, 1], { maxShift: 3, gen: new Generator(0) });
    expect(Array.from(await plain.x.data())).toEqual(Array.from(test.images.subarray(0, 2 * IMAGE_SIZE)));
    expect(Array.from(await shifted.x.data())).not.toEqual(Array.from(test.images.subarray(0, 2 * IMAGE_SIZE)));
    expect(() => makeBatch(test, [0], { maxShift: 1 })).toThrow(/makeBatch: 'options.gen'/);
    tf.dispose([plain.x, plain.y, shifted.x, shifted.y]);
  });
});
