/**
 * The per-batch activation statistic of spikingjelly's `VoltageHook` (`RateCodingRecipe`):
 * `'max'` (the batch maximum), `'<p>%'` (NumPy's `percentile` with linear interpolation over all
 * elements) or a number in (0, 1] (that fraction of the maximum); optionally per channel (axis 1).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@snnts/core';

/** How a layer's scale is taken from its ReLU outputs: `'max'`, `'99.9%'`-style, or a fraction in (0, 1] of the max. */
export type ScaleMode = 'max' | `${number}%` | number;

/** A parsed {@link ScaleMode}. @internal */
export type ParsedMode = { kind: 'max'; fraction: number } | { kind: 'percentile'; p: number };

/** Validates a {@link ScaleMode}. @internal */
export function parseMode(mode: unknown, fn: string): ParsedMode {
  if (mode === 'max') return { kind: 'max', fraction: 1 };
  if (typeof mode === 'number' && mode > 0 && mode <= 1) return { kind: 'max', fraction: mode };
  if (typeof mode === 'string' && /^\d+(\.\d+)?%$/.test(mode)) {
    const p = Number(mode.slice(0, -1));
    if (p >= 0 && p <= 100) return { kind: 'percentile', p };
  }
  throw new ConfigError(fn, 'mode', "'max', a percentile such as '99.9%' (0 to 100), or a fraction of the max in (0, 1]", JSON.stringify(mode));
}

/** NumPy's `percentile(a, p)` (method 'linear', including its `_lerp` rounding) of sorted values. @internal */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const index = (p / 100) * (n - 1);
  const lo = Math.floor(index);
  const hi = Math.min(lo + 1, n - 1);
  const t = index - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The statistic of `values` under `mode`. @internal */
export function statistic(values: Float32Array, mode: ParsedMode): number {
  if (mode.kind === 'max') {
    let m = -Infinity;
    for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
    return Math.fround(m * mode.fraction);
  }
  const sorted = Float32Array.from(values).sort();
  return percentileSorted(sorted, mode.p);
}

/**
 * The statistic of a ReLU output `y` (`[N, C, ...]`): one number, or one per channel (axis 1).
 *
 * @internal
 */
export function batchStatistic(y: tf.Tensor, mode: ParsedMode, channelWise: boolean): number[] {
  if (!channelWise) {
    if (mode.kind === 'max') {
      const m = tf.max(y);
      const v = m.dataSync()[0]!;
      m.dispose();
      return [Math.fround(v * mode.fraction)];
    }
    return [statistic(y.dataSync() as Float32Array, mode)];
  }
  // [C, everything else], so each channel's values are contiguous.
  const perm = [1, 0, ...Array.from({ length: y.rank - 2 }, (_, i) => i + 2)];
  const C = y.shape[1]!;
  const t = tf.transpose(y, perm);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  const per = data.length / C;
  return Array.from({ length: C }, (_, c) => statistic(data.subarray(c * per, (c + 1) * per), mode));
}
