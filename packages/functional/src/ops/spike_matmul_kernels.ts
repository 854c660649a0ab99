/**
 * `SnntsSpikeMatMul` and `SnntsSpikeMatMulGradB` for the `cpu` and `wasm` backends. Each scans `a`
 * once, row by row, collecting the column of every 1 and stopping at the first value that is not
 * 0 or 1, or as soon as the ones exceed `maxDensity·M·K`. If the scan completes, the product is
 * accumulated from rows (forward: `y[m, :] += b[k, :]` per event, eight events per pass over the
 * output row; gradient: the events regrouped by column, `db[k, :] = Σ dy[m, :]`); otherwise the
 * kernel calls the backend's own `BatchMatMul` (and `Transpose` for `aᵀ`), so wasm stays on
 * XNNPACK with no transposed operand. Registered through `@snnts/core`'s fused-kernel registry; the
 * gradient config is backend-independent.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedGradient, registerFusedKernel, runFusedKernel } from '@snnts/core';
import { SPIKE_MATMUL, SPIKE_MATMUL_GRAD_B, countSpikeMatMul, spikeMatMulMaxDensity } from './spike_matmul.js';
import { JS_KERNEL_BACKENDS, type TypedArrayIO } from './typed_array_io.js';

interface SpikeMatMulAttrs {
  maxDensity: number;
}

/** Events of a binary `[M, K]` matrix in row order: row `m`'s columns are `cols[rowStart[m] .. rowStart[m + 1])`. */
interface RowEvents {
  rowStart: Int32Array;
  cols: Int32Array;
  nnz: number;
}

/** Scratch index buffers, reused across calls (grown, never shrunk) up to `CACHED_INTS` entries each. */
const scratch: Int32Array[] = [];
const CACHED_INTS = 1 << 22;
function ints(slot: number, n: number): Int32Array {
  const s = scratch[slot];
  if (s && s.length >= n) return s;
  const size = Math.max(n, Math.min(2 * (s?.length ?? 0), CACHED_INTS), 1024);
  const grown = new Int32Array(size);
  if (size <= CACHED_INTS) scratch[slot] = grown; // larger ones (dense spikes on cpu) are dropped after the call
  return grown;
}

/** The bits of float32 1. */
const ONE_BITS = 0x3f800000;

/**
 * The events of `xs` (`[M, K]`, read as int32 bits), or `null` if a value is not 0 or 1 (-0 and
 * NaN included) or there are more than `limit` ones. Branch-free per element (the column is
 * written, the count advances only on a 1), so the scan costs the same at every density; the
 * checks run once per row, and give up early when the ones come at 1.5x the limit's pace.
 */
function scanRows(bits: Int32Array, M: number, K: number, limit: number): RowEvents | null {
  const rowStart = ints(0, M + 1);
  let cols = ints(1, Math.min(limit, 1 << 16) + K);
  let n = 0;
  let bad = 0;
  for (let m = 0; m < M; m++) {
    if (cols.length < n + K) {
      const grown = ints(1, Math.min(limit, 2 * n) + K);
      if (grown !== cols) grown.set(cols.subarray(0, n));
      cols = grown;
    }
    rowStart[m] = n;
    const o = m * K;
    for (let k = 0; k < K; k++) {
      const v = bits[o + k]!;
      const one = (v >>> 23) & 1; // 1 for float32 1, 0 for 0; anything else leaves `bad` non-zero
      cols[n] = k;
      n += one;
      bad |= v ^ (one * ONE_BITS);
    }
    if (bad !== 0 || n > limit) return null;
    // Clearly dense: past the first eighth of the rows, at 1.5x the limit's pace (once the pace
    // allows 32 ones or more, so that a sparse input rarely gives up by chance).
    const pace = (limit * (m + 1)) / M;
    if (8 * (m + 1) >= M && pace >= 32 && n > 1.5 * pace) return null;
  }
  rowStart[M] = n;
  return { rowStart, cols, nnz: n };
}

/**
 * `ys[yo .. yo + N) += Σ` the rows of `ws` (`N` wide) listed in `idx[s .. e)`: eight, then four,
 * then one at a time, so the output row is loaded and stored once per group.
 */
function addRows(ys: Float32Array, yo: number, ws: Float32Array, N: number, idx: Int32Array, s: number, e: number): void {
  let j = s;
  for (; j + 7 < e; j += 8) {
    const o0 = idx[j]! * N;
    const o1 = idx[j + 1]! * N;
    const o2 = idx[j + 2]! * N;
    const o3 = idx[j + 3]! * N;
    const o4 = idx[j + 4]! * N;
    const o5 = idx[j + 5]! * N;
    const o6 = idx[j + 6]! * N;
    const o7 = idx[j + 7]! * N;
    for (let n = 0; n < N; n++) {
      ys[yo + n] += ws[o0 + n]! + ws[o1 + n]! + (ws[o2 + n]! + ws[o3 + n]!) + (ws[o4 + n]! + ws[o5 + n]! + (ws[o6 + n]! + ws[o7 + n]!));
    }
  }
  for (; j + 3 < e; j += 4) {
    const o0 = idx[j]! * N;
    const o1 = idx[j + 1]! * N;
    const o2 = idx[j + 2]! * N;
    const o3 = idx[j + 3]! * N;
    for (let n = 0; n < N; n++) ys[yo + n] += ws[o0 + n]! + ws[o1 + n]! + (ws[o2 + n]! + ws[o3 + n]!);
  }
  for (; j < e; j++) {
    const o = idx[j]! * N;
    for (let n = 0; n < N; n++) ys[yo + n] += ws[o + n]!;
  }
}

/** `aᵀ`'s events: row `k` of `aᵀ` lists the `m` with `a[m, k] = 1`, in increasing order. */
function transposeEvents(ev: RowEvents, M: number, K: number): RowEvents {
  const colStart = ints(2, K + 1);
  colStart.fill(0, 0, K + 1);
  for (let j = 0; j < ev.nnz; j++) colStart[ev.cols[j]! + 1]++;
  for (let k = 0; k < K; k++) colStart[k + 1] += colStart[k]!;
  const next = ints(3, K);
  next.set(colStart.subarray(0, K));
  const rows = ints(4, ev.nnz);
  for (let m = 0; m < M; m++) {
    for (let j = ev.rowStart[m]!; j < ev.rowStart[m + 1]!; j++) rows[next[ev.cols[j]!]++] = m;
  }
  return { rowStart: colStart, cols: rows, nnz: ev.nnz };
}

/**
 * The float32 bit patterns of a tensor's data: the same memory, or a copy where the cpu backend
 * keeps a float32 tensor in another typed array (a cast of a bool or int32 tensor shares its data).
 */
function bitsOf(values: ArrayLike<number>): Int32Array {
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  return new Int32Array(f.buffer, f.byteOffset, f.length);
}

type Backend = { disposeData(dataId: tf.DataId): unknown };

/** Runs tfjs's own kernel `name` of `backendName` from inside a kernel. */
function callKernel(name: string, backendName: string, inputs: tf.NamedTensorInfoMap, backend: unknown, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const k = tf.getKernel(name, backendName);
  if (!k) throw new Error(`${SPIKE_MATMUL}: the '${backendName}' backend has no '${name}' kernel.`);
  return k.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs }) as tf.TensorInfo;
}

const matMul = (backendName: string, a: tf.TensorInfo, b: tf.TensorInfo, backend: unknown): tf.TensorInfo =>
  callKernel(tf.BatchMatMul, backendName, { a, b }, backend, { transposeA: false, transposeB: false });

/** How many ones the scan may accept: `maxDensity·M·K`, or -1 (dense without scanning). */
const limitOf = (maxDensity: number, size: number): number => (maxDensity > 0 ? Math.floor(Math.min(maxDensity, 1) * size) : -1);

/** Scans `a` `[M, K]` under the kernel's density limit and counts which branch this call takes; `null`: dense. */
function scanInput(kind: 'forward' | 'grad', a: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined, bio: TypedArrayIO): RowEvents | null {
  const [M, K] = a.shape as [number, number];
  const limit = limitOf((attrs as unknown as SpikeMatMulAttrs).maxDensity, M * K);
  const ev = limit >= 0 ? scanRows(bitsOf(bio.view(a)), M, K, limit) : null;
  countSpikeMatMul(kind, ev !== null, ev?.nnz ?? 0);
  return ev;
}

function forwardKernel(backendName: string, io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const M = a.shape[0]!;
    const N = b.shape[1]!;
    const bio = io(backend);
    const ev = scanInput('forward', a, attrs, bio);
    if (!ev) return matMul(backendName, a, b, backend);
    // Allocate before taking views: on wasm an allocation may move the heap.
    const out = bio.alloc([M, N]);
    const [ys, ws] = [bio.view(out), bio.view(b)];
    for (let m = 0; m < M; m++) addRows(ys, m * N, ws, N, ev.cols, ev.rowStart[m]!, ev.rowStart[m + 1]!);
    return out;
  };
}

function gradKernel(backendName: string, io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, dy } = inputs as { a: tf.TensorInfo; dy: tf.TensorInfo };
    const [M, K] = a.shape as [number, number];
    const N = dy.shape[1]!;
    const bio = io(backend);
    const ev = scanInput('grad', a, attrs, bio);
    if (!ev) {
      const at = callKernel(tf.Transpose, backendName, { x: a }, backend, { perm: [1, 0] });
      const out = matMul(backendName, at, dy, backend);
      (backend as Backend).disposeData(at.dataId);
      return out;
    }
    const byCol = transposeEvents(ev, M, K);
    const out = bio.alloc([K, N]);
    const [gs, dys] = [bio.view(out), bio.view(dy)];
    for (let k = 0; k < K; k++) addRows(gs, k * N, dys, N, byCol.cols, byCol.rowStart[k]!, byCol.rowStart[k + 1]!);
    return out;
  };
}

/** The gradient of `SnntsSpikeMatMul` (every backend): `dy · bᵀ` dense, `aᵀ · dy` event-driven where it pays. */
const gradConfig: tf.GradConfig = {
  kernelName: SPIKE_MATMUL,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const g = dy as tf.Tensor2D;
    const [a, b] = saved as [tf.Tensor2D, tf.Tensor2D];
    const gradB = (): tf.Tensor => {
      if (!tf.getKernel(SPIKE_MATMUL_GRAD_B, tf.getBackend())) return tf.matMul(tf.transpose(a), g);
      return runFusedKernel(SPIKE_MATMUL_GRAD_B, { a, dy: g }, { maxDensity: spikeMatMulMaxDensity('grad', g.shape[1]) }) as tf.Tensor;
    };
    return { a: () => tf.matMul(g, tf.transpose(b)), b: gradB };
  },
};

/**
 * Registers the spike matmul kernels for `cpu` and `wasm`, and their gradient. Called once by the
 * package's `register.ts`.
 *
 * @internal
 */
export function registerSpikeMatMulKernels(): void {
  for (const [backendName, io] of JS_KERNEL_BACKENDS) {
    registerFusedKernel({ kernelName: SPIKE_MATMUL, backendName, kernelFunc: forwardKernel(backendName, io) });
    registerFusedKernel({ kernelName: SPIKE_MATMUL_GRAD_B, backendName, kernelFunc: gradKernel(backendName, io) });
  }
  registerFusedGradient(gradConfig);
}
