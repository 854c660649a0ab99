/**
 * Plumbing shared by the fused GPU kernels (`webgl`, `webgpu`): a tfjs GPU program has a single
 * output, so a fused kernel writes one combined `[rows, M]` tensor and hands out its row blocks as
 * the kernel's outputs; inputs are viewed as `[T, M]` / `[M]`. Both go through the backend's own
 * `Reshape` and `Slice` kernels (on webgl a contiguous row block is a view of the same texture; on
 * webgpu it is a copy). Also decides where the GPU kernels are registered.
 */
import * as tf from '@tensorflow/tfjs';

/** What the kernels need of a tfjs GPU backend (both have it; it drops one reference). */
interface GpuBackendLike {
  disposeData(dataId: tf.DataId): boolean;
}

const free = (backend: unknown, t: tf.TensorInfo): void => void (backend as GpuBackendLike).disposeData(t.dataId);

/** Runs another kernel of `backendName` directly (not through the engine: no tape, no profile entry). */
function call(backendName: string, kernel: string, backend: unknown, inputs: Record<string, tf.TensorInfo>, attrs: object): tf.TensorInfo {
  const k = tf.getKernel(kernel, backendName);
  if (!k) throw new Error(`fused neuron kernel: backend '${backendName}' has no '${kernel}' kernel`);
  return k.kernelFunc({ inputs, backend: backend as tf.KernelBackend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

/**
 * Views of kernel inputs with new shapes (`Reshape`); `release()` frees the views afterwards.
 *
 * @internal
 */
export function reshaper(backendName: string, backend: unknown): { as(t: tf.TensorInfo, shape: number[]): tf.TensorInfo; release(): void } {
  const made: tf.TensorInfo[] = [];
  return {
    as: (t, shape) => {
      const r = call(backendName, 'Reshape', backend, { x: t }, { shape });
      made.push(r);
      return r;
    },
    release: () => made.forEach((t) => free(backend, t)),
  };
}

/**
 * Splits a combined `[rows, M]` output into `[row0, row0 + n)` blocks reshaped to `shape`, in the
 * order given, and frees the combined tensor.
 *
 * @internal
 */
export function splitRows(backendName: string, backend: unknown, combined: tf.TensorInfo, blocks: { row0: number; n: number; shape: number[] }[]): tf.TensorInfo[] {
  const M = combined.shape[1]!;
  const outs = blocks.map(({ row0, n, shape }) => {
    const s = call(backendName, 'Slice', backend, { x: combined }, { begin: [row0, 0], size: [n, M] });
    const r = call(backendName, 'Reshape', backend, { x: s }, { shape });
    free(backend, s);
    return r;
  });
  free(backend, combined);
  return outs;
}

/**
 * Whether the fused kernels should be registered for GPU backend `name`: its tfjs factory is
 * registered, or (for a backend loaded later, as `setBackend('webgpu')` does) the page can run
 * it (WebGL 2: a DOM; WebGPU: `navigator.gpu`). Never true in Node.
 *
 * @internal
 */
export function gpuBackendPossible(name: 'webgl' | 'webgpu'): boolean {
  if (tf.findBackendFactory(name)) return true;
  const g = globalThis as { document?: unknown; navigator?: { gpu?: unknown } };
  return name === 'webgl' ? typeof g.document !== 'undefined' : typeof g.navigator?.gpu !== 'undefined';
}
