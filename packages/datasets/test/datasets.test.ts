// IDX parsing against hand-built files, ImageSet batching/shuffling, and (when Debian's
// dataset-fashion-mnist is installed) the real Fashion-MNIST files: sizes, pixel range, labels.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@snnts/core';
import { DEBIAN_FASHION_MNIST_DIR, ImageSet, imageSetFromIdx, loadMnistFormat, parseIdx, readIdxFile } from '../src/index.js';

/** Builds an IDX file: magic, big-endian sizes, then data of the given element size. */
function idx(type: number, shape: number[], body: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * shape.length);
  const dv = new DataView(head.buffer);
  head.set([0, 0, type, shape.length]);
  shape.forEach((s, i) => dv.setUint32(4 + 4 * i, s, false));
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

describe('parseIdx', () => {
  it('decodes uint8 and big-endian int32 / float32 arrays', () => {
    const u8 = parseIdx(idx(0x08, [2, 3], Uint8Array.from([0, 1, 2, 253, 254, 255])));
    expect(u8.shape).toEqual([2, 3]);
    expect(Array.from(u8.data)).toEqual([0, 1, 2, 253, 254, 255]);
    const i32 = parseIdx(idx(0x0c, [2], Uint8Array.from([0xff, 0xff, 0xff, 0xfe, 0, 0, 1, 0])));
    expect(Array.from(i32.data)).toEqual([-2, 256]);
    const f32 = parseIdx(idx(0x0d, [1], Uint8Array.from([0x3f, 0xc0, 0, 0])));
    expect(Array.from(f32.data)).toEqual([1.5]);
  });

  it('rejects gzip bytes, unknown types and truncated data with ConfigError', () => {
    expect(() => parseIdx(gzipSync(idx(0x08, [1], Uint8Array.from([1]))))).toThrowError(/still gzip-compressed/);
    expect(() => parseIdx(idx(0x07, [1], Uint8Array.from([1])))).toThrowError(ConfigError);
    expect(() => parseIdx(idx(0x08, [4], Uint8Array.from([1, 2])))).toThrowError(/parseIdx: 'bytes' expected 12 bytes for shape \[4\], but got 10 bytes/);
  });

  it('reads gzip and plain files from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snnts-idx-'));
    const raw = idx(0x08, [3], Uint8Array.from([7, 8, 9]));
    writeFileSync(join(dir, 'a.gz'), gzipSync(raw));
    writeFileSync(join(dir, 'b'), raw);
    expect(Array.from((await readIdxFile(join(dir, 'a.gz'))).data)).toEqual([7, 8, 9]);
    expect(Array.from((await readIdxFile(join(dir, 'b'))).data)).toEqual([7, 8, 9]);
    await expect(readIdxFile(join(dir, 'nope'))).rejects.toThrowError(ConfigError);
    await expect(loadMnistFormat(dir)).rejects.toThrowError(/without train-images-idx3-ubyte\.gz/);
  });

  it('reads only the first items with { limit }, gzip or plain, streaming past a large file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snnts-idx-'));
    // 3000 images of 28x28 with pixel = (image index + position) mod 256: several gzip chunks.
    const n = 3000;
    const data = Uint8Array.from({ length: n * 784 }, (_, i) => (Math.floor(i / 784) + (i % 784)) % 256);
    const raw = idx(0x08, [n, 28, 28], data);
    writeFileSync(join(dir, 'img.gz'), gzipSync(raw));
    writeFileSync(join(dir, 'img'), raw);
    for (const f of ['img.gz', 'img']) {
      const full = await readIdxFile(join(dir, f));
      for (const limit of [1, 7, 2500]) {
        const part = await readIdxFile(join(dir, f), { limit });
        expect(part.shape).toEqual([limit, 28, 28]);
        expect(Array.from(part.data)).toEqual(Array.from(full.data.subarray(0, limit * 784)));
      }
      expect((await readIdxFile(join(dir, f), { limit: 5000 })).shape).toEqual([n, 28, 28]);
    }
    const labels = await readIdxFile(join(dir, 'lab'), { limit: 2 }).catch((e: Error) => e);
    expect(labels).toBeInstanceOf(ConfigError);
    await expect(readIdxFile(join(dir, 'img'), { limit: 0 })).rejects.toThrowError(/readIdxFile: 'options.limit' expected a positive integer/);
  });
});

describe('ImageSet', () => {
  const set = imageSetFromIdx(parseIdx(idx(0x08, [4, 1, 2], Uint8Array.from([0, 255, 51, 102, 153, 204, 255, 0]))), parseIdx(idx(0x08, [4], Uint8Array.from([3, 1, 4, 1]))));

  it('scales pixels by 1/255 and batches [n, 1, H, W] with int32 labels', () => {
    const { x, y } = set.batch([2, 0]);
    expect(x.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(x.dataSync())).toEqual([153 / 255, 204 / 255, 0, 1].map(Math.fround));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([4, 3]);
    tf.dispose([x, y]);
  });

  it('shuffles reproducibly with a seed and covers every index once', () => {
    const a = set.batches(3, 5).flatMap((b) => Array.from(b));
    expect(a).toEqual(set.batches(3, 5).flatMap((b) => Array.from(b)));
    expect([...a].sort()).toEqual([0, 1, 2, 3]);
    expect(set.batches(3).map((b) => Array.from(b))).toEqual([[0, 1, 2], [3]]);
    expect(set.take(2).length).toBe(2);
  });

  it('rejects inconsistent sizes and bad indices', () => {
    expect(() => new ImageSet(new Float32Array(3), new Int32Array(2), [1, 1, 2])).toThrowError(ShapeError);
    expect(() => set.batch([9])).toThrowError(/'indices\[0\]' expected an index in \[0, 4\)/);
  });
});

describe.runIf(existsSync(`${DEBIAN_FASHION_MNIST_DIR}/t10k-labels-idx1-ubyte.gz`))('Fashion-MNIST from dataset-fashion-mnist', () => {
  it('loads 60,000 + 10,000 28x28 images in [0, 1] with balanced labels 0..9', async () => {
    const { train, test } = await loadMnistFormat();
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect(train.imageShape).toEqual([1, 28, 28]);
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of test.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
  });
});
