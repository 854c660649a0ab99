/**
 * `MaxPool2d`'s fast path on `cpu` and `wasm`: max pooling straight on NCHW data in one JS kernel
 * (`SnntsMaxPool2dNCHW`), which also records each window's first maximum (PyTorch's rule: the
 * first in row-major order, NaN wins), and a gradient kernel (`SnntsMaxPool2dNCHWGrad`) that adds
 * each window's gradient to that cell. No NHWC transposes, no `-Infinity` padding (windows are
 * clipped to the input), no comparison passes in the backward. Registered through `@snnts/core`'s
 * fused-kernel registry; other backends take the tfjs path of `pooling.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { hasFusedKernel, isRecordingGradients, registerFusedGradient, registerFusedKernel, runFusedKernel } from '@snnts/core';
import { JS_KERNEL_BACKENDS, type TypedArrayIO } from '@snnts/functional';
import type { PoolPlan, PoolWindow } from './pool_geometry.js';

/**
 * Kernel name of the NCHW max pooling: input `x` `[N, C, H, W]`; attrs `kernel`, `stride`,
 * `padding` (`[h, w]` each), `out` (`[OH, OW]`) and `argmax` (boolean); outputs `y`
 * `[N, C, OH, OW]` and, when `argmax`, the argmax `[N, C, OH, OW]` (index `h·W + w` in its plane,
 * as float32; the gradient needs it, so it is asked for under a gradient tape only).
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { MAX_POOL_NCHW } from '@snnts/nn';
 * console.log(hasFusedKernel(MAX_POOL_NCHW, 'wasm')); // true
 * ```
 */
export const MAX_POOL_NCHW = 'SnntsMaxPool2dNCHW';

/**
 * Kernel name of its backward pass: inputs `dy` and `argmax`, attr `inShape` `[N, C, H, W]`;
 * output `dx` (`dy` added at each window's argmax).
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { MAX_POOL_NCHW_GRAD } from '@snnts/nn';
 * console.log(hasFusedKernel(MAX_POOL_NCHW_GRAD, 'cpu')); // true
 * ```
 */
export const MAX_POOL_NCHW_GRAD = 'SnntsMaxPool2dNCHWGrad';

interface PoolAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  out: [number, number];
  /** Also output the argmax (for the gradient); without a tape only `y` is written. */
  argmax: boolean;
}

/** The common 2x2, stride 2, unpadded case with every window inside, unrolled (same rule: first maximum, NaN wins). */
function pool2x2(xs: Float32Array, ys: Float32Array, is: Float32Array | null, planes: number, H: number, W: number, OH: number, OW: number): void {
  for (let p = 0; p < planes; p++) {
    const xo = p * H * W;
    const yo = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const r = 2 * oh * W;
      for (let ow = 0; ow < OW; ow++) {
        const k = r + 2 * ow;
        let best = xs[xo + k]!;
        let at = k;
        let v = xs[xo + k + 1]!;
        if (v > best || v !== v) {
          best = v;
          at = k + 1;
        }
        v = xs[xo + k + W]!;
        if (v > best || v !== v) {
          best = v;
          at = k + W;
        }
        v = xs[xo + k + W + 1]!;
        if (v > best || v !== v) {
          best = v;
          at = k + W + 1;
        }
        ys[yo + oh * OW + ow] = best;
        if (is !== null) is[yo + oh * OW + ow] = at;
      }
    }
  }
}

function forwardKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { kernel, stride, padding, out, argmax } = attrs as unknown as PoolAttrs;
    const x = inputs['x']!;
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [OH, OW] = out;
    const b = io(backend);
    const yInfo = b.alloc([N, C, OH, OW], false);
    const iInfo = argmax ? b.alloc([N, C, OH, OW], false) : null;
    const [xs, ys, is] = [b.view(x), b.view(yInfo), iInfo && b.view(iInfo)];
    const outs = iInfo ? [yInfo, iInfo] : [yInfo];
    const tiled2x2 = kernel[0] === 2 && kernel[1] === 2 && stride[0] === 2 && stride[1] === 2 && padding[0] === 0 && padding[1] === 0 && 2 * OH <= H && 2 * OW <= W;
    if (tiled2x2) {
      pool2x2(xs, ys, is, N * C, H, W, OH, OW);
      return outs;
    }
    for (let p = 0; p < N * C; p++) {
      const xo = p * H * W;
      const yo = p * OH * OW;
      for (let oh = 0; oh < OH; oh++) {
        const h0 = Math.max(oh * stride[0] - padding[0], 0);
        const h1 = Math.min(oh * stride[0] - padding[0] + kernel[0], H);
        for (let ow = 0; ow < OW; ow++) {
          const w0 = Math.max(ow * stride[1] - padding[1], 0);
          const w1 = Math.min(ow * stride[1] - padding[1] + kernel[1], W);
          let best = -Infinity;
          let at = h0 * W + w0;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = xs[xo + h * W + w]!;
              if (v > best || v !== v) {
                best = v;
                at = h * W + w;
              }
            }
          }
          ys[yo + oh * OW + ow] = best;
          if (is !== null) is[yo + oh * OW + ow] = at;
        }
      }
    }
    return outs;
  };
}

function gradKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const inShape = (attrs as unknown as { inShape: number[] }).inShape;
    const [dy, argmax] = [inputs['dy']!, inputs['argmax']!];
    const HW = inShape[2]! * inShape[3]!;
    const OHW = dy.shape[2]! * dy.shape[3]!;
    const b = io(backend);
    const dxInfo = b.alloc(inShape);
    const [gs, is, dxs] = [b.view(dy), b.view(argmax), b.view(dxInfo)];
    const planes = inShape[0]! * inShape[1]!;
    for (let p = 0; p < planes; p++) {
      for (let k = p * OHW; k < (p + 1) * OHW; k++) dxs[p * HW + is[k]!] += gs[k]!;
    }
    return dxInfo;
  };
}

const gradConfig: tf.GradConfig = {
  kernelName: MAX_POOL_NCHW,
  inputsToSave: ['x'],
  outputsToSave: [false, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [x, argmax] = saved as [tf.Tensor, tf.Tensor];
    return { x: () => runFusedKernel(MAX_POOL_NCHW_GRAD, { dy: (dy as tf.Tensor[])[0]!, argmax }, { inShape: x.shape }) as tf.Tensor };
  },
};

/** Registers both kernels for `cpu` and `wasm`, and the gradient (once, on import of `pooling.ts`). */
function register(): void {
  for (const [backendName, io] of JS_KERNEL_BACKENDS) {
    registerFusedKernel({ kernelName: MAX_POOL_NCHW, backendName, kernelFunc: forwardKernel(io) });
    registerFusedKernel({ kernelName: MAX_POOL_NCHW_GRAD, backendName, kernelFunc: gradKernel(io) });
  }
  registerFusedGradient(gradConfig);
}
register();

/**
 * Max pooling of NCHW float32 `x` with the fused kernel, or `null` when the active backend has
 * none (the caller then takes the tfjs path).
 *
 * @internal
 */
export function maxPoolNCHW(x: tf.Tensor, w: PoolWindow, plan: PoolPlan): tf.Tensor | null {
  if (x.dtype !== 'float32' || !hasFusedKernel(MAX_POOL_NCHW)) return null;
  // Without a gradient tape nobody reads the argmax: the kernel skips it.
  const attrs = { kernel: [...w.kernel], stride: [...w.stride], padding: [...w.padding], out: [...plan.out], argmax: isRecordingGradients() };
  return (runFusedKernel(MAX_POOL_NCHW, { x }, attrs) as tf.Tensor[])[0]!;
}
