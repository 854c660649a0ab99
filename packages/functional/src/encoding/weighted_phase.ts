/**
 * Weighted phase encoding (Kim et al., "Deep neural networks with weighted spikes",
 * Neurocomputing 311, 2018), spikingjelly's `encoding.WeightedPhaseEncoder`: over `K` phases
 * with weights `2^-1, 2^-2, ..., 2^-K`, phase `k` fires when the residual is at least `2^-(k+1)`,
 * i.e. the spikes are the binary digits of `x` after the point, most significant first. It encodes
 * `x` in `[0, 1 - 2^-K]` exactly: `x = sum_k 2^-(k+1) s[k]` for multiples of `2^-K`.
 */
import * as tf from '@tensorflow/tfjs';
import { assertPositiveInt, registerClass, toTensor, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { assertValuesIn } from './range.js';
import { StatefulEncoder } from './stateful_encoder.js';

function weightedPhaseEncodeIn(x: tf.Tensor | tf.TensorLike, K: number, fn: string): tf.Tensor {
  assertPositiveInt(K, 'K', fn);
  return tf.tidy(() => {
    const xt = tf.cast(toTensor(x, 'x', fn), 'float32');
    const hi = 1 - 2 ** -K;
    assertValuesIn(xt, 0, hi, `values in [0, 1 - 2^-${K}] = [0, ${hi}]`, 'x', fn);
    const phases: tf.Tensor[] = [];
    let residual = xt;
    let w = 0.5;
    for (let k = 0; k < K; k++) {
      const s = tf.cast(tf.greaterEqual(residual, w), 'float32');
      phases.push(s);
      // residual < 2w holds at every phase, so this float32 subtraction is exact.
      residual = tf.sub(residual, tf.mul(s, w));
      w *= 0.5;
    }
    return tf.stack(phases);
  });
}

/**
 * Weighted-phase-encodes `x` in `[0, 1 - 2^-K]` into a `[K, ...x.shape]` sequence: `s[k]` is the
 * `(k+1)`-th binary digit of `x` (weight `2^-(k+1)`), computed greedily from the most significant
 * digit, as spikingjelly does. Out-of-range input throws a `ShapeError`.
 *
 * @example
 * ```ts
 * import { weightedPhaseEncode } from '@snnts/functional';
 * // 0.75 = 0.11b, 0.125 = 0.001b (K = 3 phases, weights 1/2, 1/4, 1/8)
 * weightedPhaseEncode([0.75, 0.125], 3).print(); // [[1, 0], [1, 0], [0, 1]]
 * ```
 */
export function weightedPhaseEncode(x: tf.Tensor | tf.TensorLike, K: number): tf.Tensor {
  return weightedPhaseEncodeIn(x, K, 'weightedPhaseEncode');
}

/**
 * Stateful weighted phase encoder, spikingjelly's `encoding.WeightedPhaseEncoder(K)`: the first
 * call after a reset encodes `x` with {@link weightedPhaseEncode} and returns phase 0; the `k`-th
 * call returns phase `k % K`. `encode(x)` gives the whole `[K, ...]` sequence without touching the
 * state. Reset it between inputs (`resetNet(net)` does). A network reading it should weight the
 * spikes of phase `k` by `2^-(k+1)`.
 *
 * @example
 * ```ts
 * import { WeightedPhaseEncoder } from '@snnts/functional';
 * const enc = new WeightedPhaseEncoder(8);
 * const x = [[192 / 256, 1 / 256]];
 * const first = enc.call(x); // phase 0: [[1, 0]]
 * enc.reset();
 * const whole = enc.encode(x); // [8, 1, 2]
 * ```
 */
export class WeightedPhaseEncoder extends StatefulEncoder {
  static override className = 'WeightedPhaseEncoder';

  constructor(K: number, args: StepModuleArgs = {}) {
    assertPositiveInt(K, 'K', 'WeightedPhaseEncoder');
    super(K, args);
  }

  /** Number of phases (equal to `T`). */
  get K(): number {
    return this.T;
  }

  /** The whole `[K, ...x.shape]` sequence (see {@link weightedPhaseEncode}). */
  encode(x: tf.Tensor | tf.TensorLike): tf.Tensor {
    return weightedPhaseEncodeIn(x, this.T, `${this.className}.encode`);
  }

  override getConfig(): ConfigDict {
    const { T, ...rest } = super.getConfig();
    return { ...rest, K: T };
  }

  /** Rebuilds from {@link WeightedPhaseEncoder.getConfig}'s output. */
  static fromConfig(c: ConfigDict): WeightedPhaseEncoder {
    return new WeightedPhaseEncoder(c['K'] as number, c as StepModuleArgs);
  }
}
registerClass(WeightedPhaseEncoder);
