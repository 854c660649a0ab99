/**
 * How a JS kernel reads and writes float32 data on the `cpu` and `wasm` backends: one small
 * adapter per backend (read an input as a `Float32Array`, allocate an output), shared by the fused
 * neuron kernels and the fused BatchNorm kernels. Internal to `@snnts/functional`.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Float32 access to one backend's tensors.
 *
 * @internal
 */
export interface TypedArrayIO {
  /** Allocates a float32 output, zero-filled unless `zero` is false (the kernel writes every element). */
  alloc(shape: number[], zero?: boolean): tf.TensorInfo;
  /** A Float32Array over the data of `t` (on wasm valid until the next allocation). */
  view(t: tf.TensorInfo): Float32Array;
}

interface CpuLike {
  readSync(dataId: tf.DataId): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}
interface WasmLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * The `cpu` backend's adapter.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { cpuIO } from '@snnts/functional';
 * await tf.setBackend('cpu');
 * const io = cpuIO(tf.backend());
 * const out = io.alloc([2, 3]); // a zeroed float32 TensorInfo owned by the backend
 * io.view(out)[0] = 1;          // write through the backend's own array
 * ```
 *
 * @internal
 */
export const cpuIO = (backend: unknown): TypedArrayIO => {
  const b = backend as CpuLike;
  return {
    alloc: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
    view: (t) => b.readSync(t.dataId) as Float32Array,
  };
};

/**
 * The `wasm` backend's adapter (views into the wasm heap: allocate every output before taking views).
 *
 * @example
 * ```ts
 * import { wasmIO } from '@snnts/functional';
 * // Inside a kernel registered for 'wasm': const out = wasmIO(backend).alloc(shape);
 * console.log(typeof wasmIO); // 'function'
 * ```
 *
 * @internal
 */
export const wasmIO = (backend: unknown): TypedArrayIO => {
  const b = backend as WasmLike;
  return {
    alloc: (shape, zero = true) => {
      const out = b.makeOutput(shape, 'float32');
      if (zero) b.typedArrayFromHeap(out).fill(0);
      return out;
    },
    view: (t) => b.typedArrayFromHeap(t),
  };
};

/**
 * The JS-kernel backends and their adapters.
 *
 * @example
 * ```ts
 * import { JS_KERNEL_BACKENDS } from '@snnts/functional';
 * console.log(JS_KERNEL_BACKENDS.map(([name]) => name)); // ['cpu', 'wasm']
 * ```
 *
 * @internal
 */
export const JS_KERNEL_BACKENDS = [['cpu', cpuIO], ['wasm', wasmIO]] as const;
