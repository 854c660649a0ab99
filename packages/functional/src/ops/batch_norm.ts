/**
 * `batchNormTrain`: training-mode batch normalisation of `[N, C, ...]` over every axis but the
 * channel axis 1 (PyTorch's `F.batch_norm(training=True)` without the running statistics, which
 * the caller updates from the returned batch statistics).
 *
 * Forward and backward are each one fused kernel where the active backend has one
 * (`SnntsBatchNormTrain` / `SnntsBatchNormTrainGrad`, JS loops on cpu and wasm, see
 * `batch_norm_kernels.ts`); elsewhere a few composed tfjs ops with the closed-form gradient
 * (`tf.customGrad`), instead of autodiff through `tf.moments` (about 25 kernels, most of them full-size
 * broadcasts, which tfjs-backend-wasm runs slowly).
 *
 * With `x̂ = (x - μ) / √(σ² + ε)`, `y = γ·x̂ + β`, `g = ∂L/∂y`, sums over the `n` values of a channel:
 * `∂L/∂β = Σ g`, `∂L/∂γ = Σ g·x̂`, `∂L/∂x = γ / √(σ² + ε) · (g - Σg / n - x̂ · Σ(g·x̂) / n)`.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, assertRank, hasFusedKernel, runFusedKernel } from '@snnts/core';

/**
 * Kernel name of the fused training-mode BatchNorm forward.
 * - inputs: `x` `[N, C, ...]`, `weight` and `bias` `[C]` (ones and zeros without an affine transform).
 * - attrs: `eps`.
 * - outputs: `y` (shaped like `x`), the batch mean `[C]` and the biased batch variance `[C]`.
 *   No gradient flows back through the mean and variance outputs.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { BATCH_NORM_TRAIN } from '@snnts/functional';
 * console.log(hasFusedKernel(BATCH_NORM_TRAIN, 'wasm')); // true
 * ```
 */
export const BATCH_NORM_TRAIN = 'SnntsBatchNormTrain';

/**
 * Kernel name of its backward pass: inputs `dy`, `x`, `weight`, `mean`, `variance`, same attrs;
 * outputs `dx`, `dWeight` and `dBias` `[C]`.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { BATCH_NORM_TRAIN_GRAD } from '@snnts/functional';
 * console.log(hasFusedKernel(BATCH_NORM_TRAIN_GRAD, 'cpu')); // true
 * ```
 */
export const BATCH_NORM_TRAIN_GRAD = 'SnntsBatchNormTrainGrad';

/** What {@link batchNormTrain} returns. */
export interface BatchNormTrainResult {
  /** The normalised (and, with weight and bias, scaled and shifted) input. */
  y: tf.Tensor;
  /** Per-channel batch mean `[C]` (no gradient flows back through it). */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance `[C]` (no gradient flows back through it). */
  variance: tf.Tensor1D;
}

/** The composed fallback: few tfjs ops, closed-form gradient. */
function composedBatchNorm(x: tf.Tensor, weight: tf.Tensor | null, bias: tf.Tensor | null, eps: number): BatchNormTrainResult {
  const C = x.shape[1]!;
  const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
  const bshape = [1, C, ...Array<number>(x.rank - 2).fill(1)];
  const n = x.size / C;
  const { mean, variance } = tf.moments(x, axes, true);
  const invStd = tf.rsqrt(tf.add(variance, eps));
  const w = weight ? tf.reshape(weight, bshape) : null;
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor;
    const xhat = tf.mul(tf.sub(xx, mean), invStd);
    // The backward pass runs after this scope ends: everything it reads is saved.
    const scale = w ? tf.mul(w, invStd) : invStd;
    (args[args.length - 1] as tf.GradSaveFunc)([xhat, scale]);
    const value = w ? tf.add(tf.mul(xhat, w), tf.reshape(bias!, bshape)) : xhat;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xh, sc] = saved as [tf.Tensor, tf.Tensor];
      const sumG = tf.sum(dy, axes, true);
      const sumGX = tf.sum(tf.mul(dy, xh), axes, true);
      const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(sumG, n)), tf.mul(xh, tf.div(sumGX, n))), sc);
      return w ? [dx, tf.reshape(sumGX, [C]), tf.reshape(sumG, [C])] : [dx];
    };
    return { value, gradFunc };
  });
  const y = w ? normalise(x, weight!, bias!) : normalise(x);
  return { y, mean: tf.reshape(mean, [C]) as tf.Tensor1D, variance: tf.reshape(variance, [C]) as tf.Tensor1D };
}

/**
 * Training-mode batch normalisation of `x` `[N, C, ...]` (rank 2 or more) over every axis but 1,
 * with the biased batch variance, as PyTorch's `F.batch_norm(x, None, None, weight, bias,
 * training=True, eps=eps)`. Returns the output and the batch statistics (for the running averages).
 * Fused on cpu and wasm (see {@link BATCH_NORM_TRAIN}); differentiable on every backend.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { batchNormTrain } from '@snnts/functional';
 * const x = tf.randomNormal([8, 3, 4, 4], 5, 2);
 * const { y, mean, variance } = batchNormTrain(x, tf.ones([3]), tf.zeros([3]));
 * mean.print(); // about [5, 5, 5]; y has mean 0 and variance 1 per channel
 * ```
 */
export function batchNormTrain(x: tf.Tensor, weight: tf.Tensor | null = null, bias: tf.Tensor | null = null, eps = 1e-5): BatchNormTrainResult {
  const fn = 'batchNormTrain';
  if (x.rank < 2) assertRank(x, [2, 3, 4, 5], 'x', fn, 'batchNormTrain takes [N, C, ...].');
  const C = x.shape[1]!;
  for (const [t, arg] of [[weight, 'weight'], [bias, 'bias']] as const) {
    if (t !== null && (t.rank !== 1 || t.shape[0] !== C)) throw new ShapeError(fn, arg, `shape [${C}] (the channels on axis 1 of x)`, `shape [${t.shape.join(', ')}]`);
  }
  if ((weight === null) !== (bias === null)) throw new ShapeError(fn, 'bias', `a tensor exactly when 'weight' is one`, String(bias));
  if (x.dtype !== 'float32' || !hasFusedKernel(BATCH_NORM_TRAIN)) return composedBatchNorm(x, weight, bias, eps);
  const inputs: tf.NamedTensorMap = { x, weight: weight ?? tf.ones([C]), bias: bias ?? tf.zeros([C]) };
  const [y, mean, variance] = runFusedKernel(BATCH_NORM_TRAIN, inputs, { eps }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
  return { y: y!, mean: mean!, variance: variance! };
}
