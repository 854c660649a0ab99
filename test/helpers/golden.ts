/**
 * Shared test helpers: loading the spikingjelly golden fixtures, mapping their spikingjelly
 * configs to snnts options, comparing arrays with named tolerances, and running a suite on every
 * Node backend (`cpu`, `wasm`).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

const here = new URL('../fixtures/golden/', import.meta.url);

/** Parses one fixture file of test/fixtures/golden. */
export function loadGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, here), 'utf8')) as T;
}

/** The backends every parity suite runs on in Node. */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

/** Flattens nested number arrays. */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/** Largest |a-b| / max(1, |b|) (absolute for small values, relative for large ones). */
export function maxMixedError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e)));
  }
  return worst;
}

/** Largest absolute difference. */
export function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

/** Number of positions where two arrays differ exactly. */
export function countDifferent(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < expected.length; i++) if (actual[i] !== expected[i]) n++;
  return n;
}

/** Reads a tensor as a plain array (and disposes nothing). */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
