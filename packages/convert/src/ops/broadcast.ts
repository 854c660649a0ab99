/**
 * Small helpers on plain row-major arrays and shapes that several op handlers share: transposing
 * a weight matrix, NumPy broadcasting of shapes, and recognising a constant that only varies
 * along one axis (a bias).
 */
import type { OnnxTensor } from '../onnx/types.js';
import type { KnownShape } from './types.js';

/** `alpha * Mᵀ` for a row-major `[rows, cols]` matrix. @internal */
export function transpose2d(m: Float32Array, rows: number, cols: number, alpha = 1): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = alpha * m[r * cols + c]!;
  return out;
}

/** `alpha * m`. @internal */
export function scaled(m: Float32Array, alpha: number): Float32Array {
  return alpha === 1 ? Float32Array.from(m) : m.map((v) => alpha * v);
}

/** NumPy broadcast of a known shape with constant dims; `null` when they do not broadcast. @internal */
export function broadcastShape(shape: KnownShape | null, dims: readonly number[]): KnownShape | null {
  return shape === null ? null : broadcastShapes(shape, dims);
}

/** NumPy broadcast of two shapes with unknown (`null`) entries; `null` when they do not broadcast. @internal */
export function broadcastShapes(a: readonly (number | null)[], b: readonly (number | null)[]): KnownShape | null {
  const n = Math.max(a.length, b.length);
  const out: KnownShape = [];
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[a.length - n + i]!;
    const y = i < n - b.length ? 1 : b[b.length - n + i]!;
    if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : x ?? y);
    else if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return null;
  }
  return out;
}

/**
 * If `t` (broadcast against an output whose bias axis is `axisFromEnd`, e.g. -1 or -3) varies
 * only along that axis with length 1 or `channels`, the per-channel vector times `scale`; else null.
 *
 * @internal
 */
export function channelVector(t: OnnxTensor, channels: number, axisFromEnd: number, scale = 1): Float32Array | null {
  const dims = t.dims;
  let along = 1;
  for (let i = 0; i < dims.length; i++) {
    const fromEnd = i - dims.length;
    if (fromEnd === axisFromEnd) along = dims[i]!;
    else if (dims[i] !== 1) return null;
  }
  if (along !== 1 && along !== channels) return null;
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) out[c] = scale * t.data[along === 1 ? 0 : c]!;
  return out;
}
