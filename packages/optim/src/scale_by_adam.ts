/**
 * `scaleByAdam`: Adam's moment estimates and bias corrections as a pure gradient transformation,
 * following torch.optim.Adam's documented algorithm (eps added after the square root of the
 * bias-corrected second moment; AMSGrad keeps the running maximum of the raw second moment).
 */
import * as tf from '@tensorflow/tfjs';
import { assertNumber, ConfigError } from '@snnts/core';
import { perParam, type GradientTransformation } from './base.js';

/**
 * Options of {@link scaleByAdam} (PyTorch's `betas` are `b1`, `b2` here, as in optax).
 *
 * @example
 * ```ts
 * import { scaleByAdam, type ScaleByAdamOptions } from '@snnts/optim';
 * const options: ScaleByAdamOptions = { b1: 0.8, b2: 0.99, amsgrad: true };
 * const tx = scaleByAdam(options);
 * ```
 */
export interface ScaleByAdamOptions {
  /** Decay of the first moment (default 0.9). */
  b1?: number;
  /** Decay of the second moment (default 0.999). */
  b2?: number;
  /** Added to the denominator after the square root (default 1e-8). */
  eps?: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

/**
 * Adam's normalised step, with state `step`, `expAvg`, `expAvgSq` (and `maxExpAvgSq` with AMSGrad):
 *
 * ```text
 * t = t + 1
 * m = b1 * m + (1 - b1) * g
 * v = b2 * v + (1 - b2) * g^2
 * vMax = max(vMax, v)                      (AMSGrad only; then v below means vMax)
 * u = (m / (1 - b1^t)) / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * ```
 *
 * The bias corrections are computed in float64 from the integer step count, as PyTorch does.
 *
 * @throws ConfigError when a beta is outside [0, 1) or eps is negative.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { scaleByAdam } from '@snnts/optim';
 * const tx = scaleByAdam({ b1: 0.9, b2: 0.999 });
 * const p = tf.zeros([2]);
 * const { updates } = tx.update([tf.tensor1d([0.3, -2])], tx.init([p]), [p]); // ~[1, -1]
 * ```
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation {
  const fn = 'scaleByAdam';
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, amsgrad = false } = options;
  assertNumber(b1, (v) => v >= 0 && v < 1, 'a number in [0, 1)', 'b1', fn);
  assertNumber(b2, (v) => v >= 0 && v < 1, 'a number in [0, 1)', 'b2', fn);
  assertNumber(eps, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', 'eps', fn);
  const keys = amsgrad ? ['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['step', 'expAvg', 'expAvgSq'];
  const init = (p: tf.Tensor) => {
    const s: Record<string, tf.Tensor | number> = { step: 0, expAvg: tf.zerosLike(p), expAvgSq: tf.zerosLike(p) };
    if (amsgrad) s['maxExpAvgSq'] = tf.zerosLike(p);
    return s;
  };
  return perParam(keys, init, (g, state, p) => {
    const s = state['expAvg'] === undefined ? { ...init(p), ...state } : state;
    const { step, expAvg, expAvgSq } = s;
    if (typeof step !== 'number' || !(expAvg instanceof tf.Tensor) || !(expAvgSq instanceof tf.Tensor)) {
      throw new ConfigError(`${fn}.update`, 'state', '{step: number, expAvg: Tensor, expAvgSq: Tensor}', `keys [${Object.keys(s)}]`);
    }
    const t = step + 1;
    const m = tf.add(tf.mul(expAvg, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(expAvgSq, b2), tf.mul(tf.mul(g, g), 1 - b2));
    const next: Record<string, tf.Tensor | number> = { ...s, step: t, expAvg: m, expAvgSq: v };
    let vDenom = v;
    if (amsgrad) {
      const prevMax = s['maxExpAvgSq'];
      vDenom = prevMax instanceof tf.Tensor ? tf.maximum(prevMax, v) : v;
      next['maxExpAvgSq'] = vDenom === v ? tf.clone(v) : vDenom;
    }
    const biasCorrection1 = 1 - b1 ** t;
    const biasCorrection2Sqrt = Math.sqrt(1 - b2 ** t);
    const denom = tf.add(tf.div(tf.sqrt(vDenom), biasCorrection2Sqrt), eps);
    return [tf.div(tf.div(m, denom), biasCorrection1), next];
  });
}
