/**
 * Test helpers: running a model with onnxruntime-node (the reference) and with the snnts module
 * that `annFromOnnx` builds, on the same input, and seeded random inputs.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { Module } from '@snnts/core';

/** Deterministic uniform values in [lo, hi) (a small LCG, so the tests need no seed plumbing). */
export function randomValues(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  }
  return out;
}

/** Runs `model` (path or bytes) in onnxruntime-node on named float32 inputs; returns the first output. */
export async function runOrt(model: string | Uint8Array, feeds: Record<string, { data: Float32Array; dims: number[] }>): Promise<{ data: Float32Array; dims: number[] }> {
  const session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor('float32', v.data, v.dims);
    const result = await session.run(inputs);
    const out = result[session.outputNames[0]!]!;
    return { data: Float32Array.from(out.data as Float32Array), dims: [...out.dims] };
  } finally {
    await session.release();
  }
}

/** Runs an snnts module on float32 data of `dims`; returns the values and shape. */
export function runSnnts(net: Module, data: Float32Array, dims: number[]): { data: Float32Array; dims: number[] } {
  const x = tf.tensor(data, dims);
  const y = net.call(x);
  const out = { data: y.dataSync() as Float32Array, dims: [...y.shape] };
  tf.dispose([x, y]);
  return out;
}

/** Largest absolute difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
