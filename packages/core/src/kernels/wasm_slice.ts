/**
 * Contiguous `Slice`, `SplitV` and `Unpack` on the `wasm` backend without copying the whole input.
 *
 * tfjs-backend-wasm 4.22's `slice` starts with `backend.readSync(x.dataId)`, which copies the
 * entire input out of the wasm heap before taking the slice; `SplitV` and `Unpack` call it once per
 * output. Splitting a `[T, N, ...]` sequence into T pieces therefore copies it T times: quadratic in
 * T (a `[256, 32, 784]` split into 32 chunks took about 210 ms, 25 MB at 120 MB/s). These kernels
 * copy a contiguous slice straight from a heap view (one `TypedArray.set`) and hand every other case
 * (strided slices, strings) to the stock kernel, whose results are identical.
 */
import * as tf from '@tensorflow/tfjs';
import { getGlobal } from '../global.js';

interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

/** The stock kernels, kept for the cases handled there. */
const stock = (): Map<string, tf.KernelFunc> => getGlobal('wasmStockSliceKernels', () => new Map<string, tf.KernelFunc>());

/** Copies the contiguous block `[begin, begin + size)` of `x` into a new output, or `null` when it is not contiguous. */
function contiguousSlice(x: tf.TensorInfo, begin: number[], size: number[], backend: WasmHeap, outShape: number[] = size): tf.TensorInfo | null {
  if (x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, begin, size)) return null;
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  const n = tf.util.sizeFromShape(size);
  const out = backend.makeOutput(outShape, x.dtype);
  // Views only after the allocation: it may grow (and move) the heap.
  (backend.typedArrayFromHeap(out) as Float32Array).set((backend.typedArrayFromHeap(x) as Float32Array).subarray(offset, offset + n));
  return out;
}

const slice: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args;
  const x = inputs['x'] as tf.TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs!['begin'] as number[], attrs!['size'] as number[]);
  return contiguousSlice(x, begin, size, backend as unknown as WasmHeap) ?? stock().get(tf.Slice)!(args);
};

const splitV: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args;
  const x = inputs['x'] as tf.TensorInfo;
  const axis = tf.util.parseAxisParam(attrs!['axis'] as number, x.shape)[0]!;
  // Pieces along `axis` are contiguous when every axis before it has length 1.
  if (x.dtype === 'string' || x.shape.slice(0, axis).some((d) => d !== 1)) return stock().get(tf.SplitV)!(args);
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs!['numOrSizeSplits'] as number[] | number, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const out = contiguousSlice(x, begin, size, backend as unknown as WasmHeap)!;
    begin[axis] += s;
    return out;
  });
};

const unpack: tf.KernelFunc = (args) => {
  const { inputs, attrs, backend } = args;
  const value = inputs['value'] as tf.TensorInfo;
  const rank = value.shape.length;
  const axis = (attrs!['axis'] as number) < 0 ? (attrs!['axis'] as number) + rank : (attrs!['axis'] as number);
  // Along the first axis (or after only unit axes) every piece is contiguous.
  if (value.dtype === 'string' || value.shape.slice(0, axis).some((d) => d !== 1)) return stock().get(tf.Unpack)!(args);
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = value.shape.slice();
  size[axis] = 1;
  return Array.from({ length: value.shape[axis]! }, (_, i) => {
    begin[axis] = i;
    return contiguousSlice(value, begin, size, backend as unknown as WasmHeap, outShape)!;
  });
};

/**
 * Replaces tfjs-backend-wasm's `Slice`, `SplitV` and `Unpack` kernels with the heap-view versions
 * of this file (idempotent; the stock kernels still run every non-contiguous case). Called by the
 * `wasm` backend provider once the package is loaded.
 *
 * @internal
 * @example
 * ```ts
 * import { installWasmSliceKernels } from '@snnts/core';
 * installWasmSliceKernels(); // after '@tensorflow/tfjs-backend-wasm' is imported
 * ```
 */
export function installWasmSliceKernels(): void {
  const ours: [string, tf.KernelFunc][] = [
    [tf.Slice, slice],
    [tf.SplitV, splitV],
    [tf.Unpack, unpack],
  ];
  const saved = stock();
  for (const [kernelName, kernelFunc] of ours) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (!current || current.kernelFunc === kernelFunc) continue;
    saved.set(kernelName, current.kernelFunc);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}

/**
 * Whether the heap-view slice kernels of {@link installWasmSliceKernels} are the active `wasm` ones.
 *
 * @internal
 * @example
 * ```ts
 * import { wasmSliceKernelsInstalled } from '@snnts/core';
 * console.log(wasmSliceKernelsInstalled()); // true once the wasm backend was set through snnts
 * ```
 */
export function wasmSliceKernelsInstalled(): boolean {
  return tf.getKernel(tf.Slice, 'wasm')?.kernelFunc === slice && tf.getKernel(tf.SplitV, 'wasm')?.kernelFunc === splitV && tf.getKernel(tf.Unpack, 'wasm')?.kernelFunc === unpack;
}
