/**
 * Plumbing shared by the fused GPU kernels (`webgl`, `webgpu`): a tfjs GPU program has a single
 * output, so a fused kernel writes one combined `[rows, M]` tensor and hands out its row blocks as
 * the kernel's outputs; inputs are viewed as `[T, M]` / `[M]`. Both go through the backend's own
 * `Reshape` and `Slice` kernels (on webgl a contiguous row block is a view of the same texture; on
 * webgpu it is a copy). {@link gpuNeuronKernels} wraps a backend's two programs into the forward
 * and gradient kernel functions. Also decides where the GPU kernels are registered.
 */
import * as tf from '@tensorflow/tfjs';
import type { NeuronMultiStepAttrs } from './kernel_contract.js';
import { forwardRows } from './shader_source.js';

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

/**
 * What a GPU backend supplies to {@link gpuNeuronKernels}: run the forward program on `ins`
 * (`x` as `[T, M]` or `[M]` when repeated, then `v0` as `[M]` if given) into a combined
 * `[forwardRows(a).total, M]` tensor, and the gradient program on `ins` (`dSpike` `[T, M]`, `dV`
 * `[M]`, `h` `[T, M]`, then `dVSeq` `[T, M]` if given) into a combined `[dxRows + 1, M]` tensor.
 *
 * @internal
 */
export interface GpuNeuronPrograms {
  forward(backend: unknown, a: NeuronMultiStepAttrs, M: number, ins: tf.TensorInfo[], hasV0: boolean): tf.TensorInfo;
  grad(backend: unknown, a: NeuronMultiStepAttrs, M: number, ins: tf.TensorInfo[], dxRows: number, hasDVSeq: boolean): tf.TensorInfo;
}

/**
 * The forward and gradient kernel functions of `SnntsNeuronMultiStep` on one GPU backend: input
 * views, the backend's program, and the combined output split into the kernel's outputs.
 *
 * @internal
 */
export function gpuNeuronKernels(backendName: 'webgl' | 'webgpu', programs: GpuNeuronPrograms): { forwardKernel: tf.KernelFunc; gradKernel: tf.KernelFunc } {
  const forwardKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    const { x, v0 } = inputs as { x: tf.TensorInfo; v0?: tf.TensorInfo };
    const frame = a.repeated ? x.shape : x.shape.slice(1);
    const M = tf.util.sizeFromShape(frame);
    const view = reshaper(backendName, backend);
    const ins = [view.as(x, a.repeated ? [M] : [a.T, M]), ...(v0 ? [view.as(v0, [M])] : [])];
    const combined = programs.forward(backend, a, M, ins, v0 !== undefined);
    view.release();
    const rows = forwardRows(a);
    const seq = [a.T, ...frame];
    return splitRows(backendName, backend, combined, [
      { row0: 0, n: a.T, shape: seq },
      { row0: a.T, n: 1, shape: frame },
      ...(a.saveH ? [{ row0: rows.h, n: a.T, shape: seq }] : []),
      ...(a.storeVSeq ? [{ row0: rows.vSeq, n: a.T, shape: seq }] : []),
    ]);
  };
  const gradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    const { dSpike, dV, h, dVSeq } = inputs as { dSpike: tf.TensorInfo; dV: tf.TensorInfo; h: tf.TensorInfo; dVSeq?: tf.TensorInfo };
    const frame = dV.shape;
    const M = tf.util.sizeFromShape(frame);
    const dxRows = a.repeated ? 1 : a.T;
    const view = reshaper(backendName, backend);
    const seq = (t: tf.TensorInfo): tf.TensorInfo => view.as(t, [a.T, M]);
    const ins = [seq(dSpike), view.as(dV, [M]), seq(h), ...(dVSeq ? [seq(dVSeq)] : [])];
    const combined = programs.grad(backend, a, M, ins, dxRows, dVSeq !== undefined);
    view.release();
    return splitRows(backendName, backend, combined, [
      { row0: 0, n: dxRows, shape: a.repeated ? frame : h.shape },
      { row0: dxRows, n: 1, shape: frame },
    ]);
  };
  return { forwardKernel, gradKernel };
}
