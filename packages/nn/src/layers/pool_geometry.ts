/**
 * Window geometry shared by the 2-D pooling layers, with PyTorch's rules: `[h, w]` pairs from an
 * int or a pair, output sizes with floor or ceil rounding (a ceil-mode window must start inside
 * the input or its left padding), the extra bottom/right padding that ceil mode needs, and the
 * NCHW <-> NHWC transposes around tfjs's channels-last pooling ops. Internal to `@snnts/nn`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, describeValue } from '@snnts/core';

/** An int, or `[h, w]`. */
export type Pair = number | readonly [number, number];

/**
 * `v` as `[h, w]`: an integer >= `min`, or a pair of them. Throws a `ConfigError` naming `fn` and `arg`.
 */
export function toPair(v: unknown, arg: string, fn: string, min: number): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= min;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  const what = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
  throw new ConfigError(fn, arg, `${what} or a pair [h, w] of them`, Array.isArray(v) ? `[${v.join(', ')}]` : describeValue(v));
}

/** A JSON-safe copy of a size argument (pairs become fresh arrays). */
export function pairConfig(v: Pair): number | [number, number] {
  return typeof v === 'number' ? v : [v[0], v[1]];
}

/** Kernel, stride and padding of a 2-D pooling window, already validated. */
export interface PoolWindow {
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
}

/** Validates PyTorch's `pad <= kernel / 2` rule. */
export function checkPadding(w: PoolWindow, fn: string): void {
  for (const d of [0, 1]) {
    if (2 * w.padding[d]! > w.kernel[d]!) {
      throw new ConfigError(fn, 'padding', `at most half of the kernel size (${w.kernel.join('x')})`, `[${w.padding.join(', ')}]`);
    }
  }
}

/** PyTorch's pooled length of one axis (`pooling_output_shape`). */
export function pooledLength(size: number, k: number, s: number, p: number, ceil: boolean): number {
  let out = Math.floor((size + 2 * p - k + (ceil ? s - 1 : 0)) / s) + 1;
  // The last window must start inside the input or its left padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Output size and the explicit padding (before, after) per axis that makes 'valid' pooling match PyTorch. */
export interface PoolPlan {
  readonly out: [number, number];
  /** `[[top, bottom], [left, right]]`; bottom/right include ceil mode's extra cells. */
  readonly pads: [[number, number], [number, number]];
}

/**
 * Plans the pooling of an `[N, C, H, W]` input. Throws a `ShapeError` when the kernel does not fit
 * the padded input.
 */
export function planPool(x: tf.Tensor, w: PoolWindow, fn: string): PoolPlan {
  const size = [x.shape[2]!, x.shape[3]!];
  const out: [number, number] = [0, 0];
  const pads: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  for (const d of [0, 1]) {
    const [n, k, s, p] = [size[d]!, w.kernel[d]!, w.stride[d]!, w.padding[d]!];
    if (k > n + 2 * p) {
      throw new ShapeError(
        fn,
        'x',
        `spatial size [H, W] of at least kernel - 2 * padding = [${w.kernel.map((kk, i) => kk - 2 * w.padding[i]!).join(', ')}]`,
        `shape [${x.shape.join(', ')}]`,
        `The ${w.kernel.join('x')} kernel is larger than the padded input.`,
      );
    }
    out[d] = pooledLength(n, k, s, p, w.ceilMode);
    pads[d] = [p, Math.max(p, (out[d]! - 1) * s + k - n - p)];
  }
  return { out, pads };
}

/** `[N, C, H, W] -> [N, H, W, C]`. */
export function toNHWC(x: tf.Tensor): tf.Tensor4D {
  return tf.transpose(x as tf.Tensor4D, [0, 2, 3, 1]);
}

/** `[N, H, W, C] -> [N, C, H, W]`. */
export function toNCHW(x: tf.Tensor): tf.Tensor4D {
  return tf.transpose(x as tf.Tensor4D, [0, 3, 1, 2]);
}

/** Pads the spatial axes of an NHWC tensor (no-op without padding). */
export function padSpatial(x: tf.Tensor4D, pads: PoolPlan['pads'], value: number): tf.Tensor4D {
  if (pads.every(([a, b]) => a === 0 && b === 0)) return x;
  return tf.pad(x, [[0, 0], pads[0], pads[1], [0, 0]], value);
}
