/**
 * Latency (time-to-first-spike) encoding, spikingjelly's `encoding.LatencyEncoder`: an intensity
 * `x` in [0, 1] fires exactly once, at step `t_f = round((T - 1)(1 - x))` ('linear') or
 * `t_f = round(T - 1 - ln(alpha x + 1))` with `alpha = e^(T-1) - 1` ('log'), so a brighter input
 * fires earlier. `round` is half-to-even, as `torch.round`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, assertPositiveInt, registerClass, toTensor, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { assertValuesIn } from './range.js';
import { StatefulEncoder } from './stateful_encoder.js';

/** How an intensity maps to a firing time: `'linear'` or `'log'` (see {@link latencyEncode}). */
export type LatencyEncType = 'linear' | 'log';

/**
 * The latency encoding functions, for validation and error messages.
 *
 * @example
 * ```ts
 * import { LATENCY_ENC_TYPES } from '@snnts/functional';
 * console.log(LATENCY_ENC_TYPES); // ['linear', 'log']
 * ```
 */
export const LATENCY_ENC_TYPES: readonly LatencyEncType[] = ['linear', 'log'];

/** Options of {@link latencyEncode}. */
export interface LatencyEncodeOptions {
  /** `'linear'` (default) or `'log'`. */
  encType?: LatencyEncType;
}

/** Largest `T - 1` for which `alpha = e^(T-1) - 1` is a finite float32 (spikingjelly's form). */
const MAX_DIRECT_LOG_EXPONENT = 88;

function checkEncType(encType: unknown, fn: string): LatencyEncType {
  if (!LATENCY_ENC_TYPES.includes(encType as LatencyEncType)) {
    throw new ConfigError(fn, 'encType', `one of [${LATENCY_ENC_TYPES.map((e) => `'${e}'`).join(', ')}]`, JSON.stringify(encType));
  }
  return encType as LatencyEncType;
}

/** Firing step of each element, as a float32 tensor of integers in [0, T-1]. */
function firingTime(x: tf.Tensor, T: number, encType: LatencyEncType): tf.Tensor {
  if (encType === 'linear') return tf.round(tf.mul(tf.sub(1, x), T - 1));
  const n = T - 1;
  if (n <= MAX_DIRECT_LOG_EXPONENT) {
    // Same float32 operations as spikingjelly: T - 1 - ln(alpha x + 1).
    return tf.round(tf.sub(n, tf.log(tf.add(tf.mul(x, Math.exp(n) - 1), 1))));
  }
  // alpha overflows float32 (spikingjelly returns garbage there): ln(alpha x + 1) =
  // ln(alpha) + ln(x + 1/alpha), with ln(alpha) in float64; x = 0 gives +inf, clipped to T - 1.
  const lnAlpha = n + Math.log1p(-Math.exp(-n));
  const t = tf.sub(n - lnAlpha, tf.log(tf.add(x, Math.exp(-lnAlpha))));
  return tf.clipByValue(tf.round(t), 0, n);
}

function latencyEncodeIn(x: tf.Tensor | tf.TensorLike, T: number, encType: LatencyEncType, fn: string): tf.Tensor {
  assertPositiveInt(T, 'T', fn);
  return tf.tidy(() => {
    const xt = tf.cast(toTensor(x, 'x', fn), 'float32');
    assertValuesIn(xt, 0, 1, 'intensities in [0, 1]', 'x', fn);
    const tf_ = firingTime(xt, T, encType);
    const steps = tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...xt.shape.map(() => 1)]);
    return tf.cast(tf.equal(steps, tf.expandDims(tf_, 0)), 'float32');
  });
}

/**
 * Latency-encodes intensities in [0, 1] into a `[T, ...x.shape]` sequence with exactly one spike
 * per element, at step `t_f(x)`:
 *
 * - `'linear'`: `t_f = round((T - 1)(1 - x))`;
 * - `'log'`: `t_f = round(T - 1 - ln(alpha x + 1))`, `alpha = e^(T-1) - 1` (so `t_f(1) = 0`).
 *
 * `x = 1` fires at step 0 and `x = 0` at step `T - 1`. Out-of-range input throws a `ShapeError`.
 *
 * @example
 * ```ts
 * import { latencyEncode } from '@snnts/functional';
 * latencyEncode([1, 0.5, 0], 3).print(); // [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
 * const logSeq = latencyEncode([[0.2, 0.9]], 8, { encType: 'log' }); // [8, 1, 2]
 * ```
 */
export function latencyEncode(x: tf.Tensor | tf.TensorLike, T: number, options: LatencyEncodeOptions = {}): tf.Tensor {
  const fn = 'latencyEncode';
  return latencyEncodeIn(x, T, checkEncType(options.encType ?? 'linear', fn), fn);
}

/** Options of {@link LatencyEncoder}. */
export interface LatencyEncoderArgs extends StepModuleArgs {
  /** `'linear'` (default) or `'log'` (spikingjelly's `enc_function`). */
  encType?: LatencyEncType;
}

/**
 * Stateful latency encoder, spikingjelly's `encoding.LatencyEncoder(T, enc_function)`: the first
 * call after a reset encodes `x` with {@link latencyEncode} and returns step 0; the `k`-th call
 * returns step `k % T`. `encode(x)` gives the whole `[T, ...]` sequence without touching the
 * state. Reset it between inputs (`resetNet(net)` does).
 *
 * @example
 * ```ts
 * import { LatencyEncoder, resetNet } from '@snnts/functional';
 * const enc = new LatencyEncoder(4);
 * const x = [[1, 0.4, 0]];
 * const steps = [0, 1, 2, 3].map(() => enc.call(x)); // spikes at t = 0, 2 and 3
 * resetNet(enc);
 * const whole = enc.encode(x); // [4, 1, 3], equal to stacking the steps
 * ```
 */
export class LatencyEncoder extends StatefulEncoder {
  static override className = 'LatencyEncoder';
  /** The intensity-to-time function. */
  readonly encType: LatencyEncType;

  constructor(T: number, args: LatencyEncoderArgs = {}) {
    super(T, args);
    this.encType = checkEncType(args.encType ?? 'linear', this.className);
  }

  /** The whole `[T, ...x.shape]` sequence (see {@link latencyEncode}). */
  encode(x: tf.Tensor | tf.TensorLike): tf.Tensor {
    return latencyEncodeIn(x, this.T, this.encType, `${this.className}.encode`);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), encType: this.encType };
  }

  /** Rebuilds from {@link LatencyEncoder.getConfig}'s output. */
  static fromConfig(c: ConfigDict): LatencyEncoder {
    return new LatencyEncoder(c['T'] as number, c as LatencyEncoderArgs);
  }
}
registerClass(LatencyEncoder);
