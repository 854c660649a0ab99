/**
 * A `BatchMatMul` gradient that keeps every backend on its fast matmul path. The stock tfjs
 * gradient calls `matMul` with `transposeA`/`transposeB` set; tfjs-backend-wasm runs those through a
 * scalar loop (about 2 GFLOP/s here, versus about 28 GFLOP/s on XNNPACK with no transposed operand).
 * Materialising the transposes first costs O(n^2) and computes exactly the same products.
 */
import * as tf from '@tensorflow/tfjs';

/** Transposes the last two axes. */
function swapLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return tf.transpose(x, perm);
}

/**
 * `matMul` with the transposes done explicitly, so the kernel itself never transposes.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { matMulNoTranspose } from '@snnts/core';
 * matMulNoTranspose(tf.ones([3, 2]), tf.ones([3, 4]), true).shape; // [2, 4], as tf.matMul(a, b, true)
 * ```
 */
export function matMulNoTranspose(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  return tf.matMul(transposeA ? swapLast2(a) : a, transposeB ? swapLast2(b) : b);
}

/**
 * Gradient config for `BatchMatMul` (same products as tfjs's own, explicit transposes).
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fastMatMulGradConfig } from '@snnts/core';
 * tf.registerGradient(fastMatMulGradConfig);
 * ```
 */
export const fastMatMulGradConfig: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const g = dy as tf.Tensor;
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const mm = matMulNoTranspose;
    if (!transposeA && !transposeB) return { a: () => mm(g, b, false, true), b: () => mm(a, g, true, false) };
    if (!transposeA && transposeB) return { a: () => mm(g, b), b: () => mm(g, a, true, false) };
    if (transposeA && !transposeB) return { a: () => mm(b, g, false, true), b: () => mm(a, g) };
    return { a: () => mm(b, g, true, true), b: () => mm(g, a, true, true) };
  },
};

/**
 * Installs `fastMatMulGradConfig` as tfjs's `BatchMatMul` gradient (idempotent).
 *
 * @example
 * ```ts
 * import { registerFastMatMulGrad } from '@snnts/core';
 * registerFastMatMulGrad();
 * ```
 */
export function registerFastMatMulGrad(): void {
  if (tf.getGradient(tf.BatchMatMul) !== fastMatMulGradConfig) tf.registerGradient(fastMatMulGradConfig);
}
