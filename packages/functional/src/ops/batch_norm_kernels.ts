/**
 * `SnntsBatchNormTrain` and `SnntsBatchNormTrainGrad` for the `cpu` and `wasm` backends: JS loops
 * over the NCHW data viewed as `[N, C, L]` (L = the product of the spatial sizes), two passes
 * forward (mean, then the variance about it, accumulated in float64) and two backward (the channel
 * sums, then `dx`), registered through `@snnts/core`'s fused-kernel registry. The gradient config
 * is backend-independent and runs `SnntsBatchNormTrainGrad` on whichever backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedGradient, registerFusedKernel, runFusedKernel } from '@snnts/core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './batch_norm.js';
import { JS_KERNEL_BACKENDS, type TypedArrayIO } from './typed_array_io.js';

interface BatchNormAttrs {
  eps: number;
}

/** `[N, C, L]` of an `[N, C, ...]` shape. */
function dims(shape: number[]): [number, number, number] {
  const [n, c] = shape as [number, number];
  return [n, c, tf.util.sizeFromShape(shape.slice(2))];
}

function forwardKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { eps } = attrs as unknown as BatchNormAttrs;
    const { x, weight, bias } = inputs as Record<string, tf.TensorInfo>;
    const [N, C, L] = dims(x!.shape);
    const b = io(backend);
    const yInfo = b.alloc(x!.shape, false);
    const meanInfo = b.alloc([C], false);
    const varInfo = b.alloc([C], false);
    const [xs, ys, ms, vs, ws, bs] = [b.view(x!), b.view(yInfo), b.view(meanInfo), b.view(varInfo), b.view(weight!), b.view(bias!)];
    const count = N * L;
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let n = 0; n < N; n++) {
        const o = (n * C + c) * L;
        for (let l = 0; l < L; l++) sum += xs[o + l]!;
      }
      const mean = sum / count;
      let sq = 0;
      for (let n = 0; n < N; n++) {
        const o = (n * C + c) * L;
        for (let l = 0; l < L; l++) {
          const d = xs[o + l]! - mean;
          sq += d * d;
        }
      }
      const variance = sq / count;
      const invStd = 1 / Math.sqrt(variance + eps);
      const scale = ws[c]! * invStd;
      const shift = bs[c]! - mean * scale;
      for (let n = 0; n < N; n++) {
        const o = (n * C + c) * L;
        for (let l = 0; l < L; l++) ys[o + l] = xs[o + l]! * scale + shift;
      }
      ms[c] = mean;
      vs[c] = variance;
    }
    return [yInfo, meanInfo, varInfo];
  };
}

function gradKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { eps } = attrs as unknown as BatchNormAttrs;
    const { dy, x, mean, variance, weight } = inputs as Record<string, tf.TensorInfo>;
    const [N, C, L] = dims(x!.shape);
    const b = io(backend);
    const dxInfo = b.alloc(x!.shape, false);
    const dwInfo = b.alloc([C], false);
    const dbInfo = b.alloc([C], false);
    const [gs, xs, ms, vs, ws] = [b.view(dy!), b.view(x!), b.view(mean!), b.view(variance!), b.view(weight!)];
    const [dxs, dws, dbs] = [b.view(dxInfo), b.view(dwInfo), b.view(dbInfo)];
    const count = N * L;
    for (let c = 0; c < C; c++) {
      const mu = ms[c]!;
      const invStd = 1 / Math.sqrt(vs[c]! + eps);
      let sumG = 0;
      let sumGD = 0; // Σ g·(x - μ)
      for (let n = 0; n < N; n++) {
        const o = (n * C + c) * L;
        for (let l = 0; l < L; l++) {
          const g = gs[o + l]!;
          sumG += g;
          sumGD += g * (xs[o + l]! - mu);
        }
      }
      const gamma = ws[c]!;
      // dx = γ·invStd·(g - Σg/n - (x - μ)·invStd²·Σg(x - μ)/n) = k1·g + k2·(x - μ) + k3
      const k1 = gamma * invStd;
      const k2 = (-k1 * invStd * invStd * sumGD) / count;
      const k3 = (-k1 * sumG) / count;
      for (let n = 0; n < N; n++) {
        const o = (n * C + c) * L;
        for (let l = 0; l < L; l++) dxs[o + l] = k1 * gs[o + l]! + k2 * (xs[o + l]! - mu) + k3;
      }
      dws[c] = sumGD * invStd;
      dbs[c] = sumG;
    }
    return [dxInfo, dwInfo, dbInfo];
  };
}

/** The gradient of `SnntsBatchNormTrain` (every backend): one `SnntsBatchNormTrainGrad` call. */
const gradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'weight'],
  outputsToSave: [false, true, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, weight, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const inputs: tf.NamedTensorMap = { dy: (dy as tf.Tensor[])[0]!, x, weight, mean, variance };
    const [dx, dw, db] = runFusedKernel(BATCH_NORM_TRAIN_GRAD, inputs, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return { x: () => dx, weight: () => dw, bias: () => db };
  },
};

/**
 * Registers the JS BatchNorm kernels for `cpu` and `wasm`, and their gradient. Called once by the
 * package's `register.ts`.
 *
 * @internal
 */
export function registerJsBatchNormKernels(): void {
  for (const [backendName, io] of JS_KERNEL_BACKENDS) {
    registerFusedKernel({ kernelName: BATCH_NORM_TRAIN, backendName, kernelFunc: forwardKernel(io) });
    registerFusedKernel({ kernelName: BATCH_NORM_TRAIN_GRAD, backendName, kernelFunc: gradKernel(io) });
  }
  registerFusedGradient(gradConfig);
}
