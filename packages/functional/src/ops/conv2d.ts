/**
 * `conv2d`: PyTorch's `torch.nn.functional.conv2d` on tfjs. Public layout is NCHW with weights
 * `[outChannels, inChannels / groups, kH, kW]`; the convolution itself runs in tfjs's native NHWC
 * layout (the only one tfjs-backend-wasm and -cpu implement), with explicit PyTorch-style padding.
 *
 * The convolution is tfjs's `Conv2D` kernel ('valid', NHWC); its gradient is our own, registered
 * for that kernel in `conv2d_grad.ts` (tfjs-backend-wasm has no `Conv2DBackpropFilter`, and the
 * stock gradient refuses dilation > 1).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, assertRank } from '@snnts/core';

/** A size given once for both spatial axes or as `[h, w]`. */
export type Pair = number | readonly [number, number];

/** Padding as PyTorch accepts it: symmetric sizes, or `'same'` / `'valid'`. */
export type Conv2dPadding = Pair | 'same' | 'valid';

/** How the border is padded (PyTorch's `padding_mode`). */
export type PaddingMode = 'zeros' | 'reflect';

/** Options of {@link conv2d} (PyTorch's defaults). */
export interface Conv2dOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Padding (default 0). `'same'` needs stride 1. */
  padding?: Conv2dPadding;
  /** Kernel dilation (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** `'zeros'` (default) or `'reflect'`. */
  paddingMode?: PaddingMode;
}

/**
 * Normalises a `Pair` to `[h, w]` of positive (or, with `min` 0, non-negative) integers.
 *
 * @example
 * ```ts
 * import { toPair } from '@snnts/functional';
 * toPair(3, 'kernelSize', 'Conv2d'); // [3, 3]
 * ```
 */
export function toPair(v: Pair, arg: string, fn: string, min = 1): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new ConfigError(fn, arg, `an integer >= ${min} or a pair [h, w] of them`, JSON.stringify(v));
  }
  return [p[0]!, p[1]!];
}

/** `[top, bottom, left, right]` padding for PyTorch's `padding` argument. */
function resolvePadding(padding: Conv2dPadding, k: [number, number], d: [number, number], s: [number, number], fn: string): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (s[0] !== 1 || s[1] !== 1) throw new ConfigError(fn, 'padding', `'same' with stride 1 (as PyTorch)`, `stride [${s.join(', ')}]`);
    const th = d[0] * (k[0] - 1);
    const tw = d[1] * (k[1] - 1);
    return [th >> 1, th - (th >> 1), tw >> 1, tw - (tw >> 1)];
  }
  const [ph, pw] = toPair(padding, 'padding', fn, 0);
  return [ph, ph, pw, pw];
}

/** NCHW -> NHWC; a reshape (no copy) when there is one channel. */
function toNHWC(x: tf.Tensor): tf.Tensor4D {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return (c === 1 ? tf.reshape(x, [n, h, w, 1]) : tf.transpose(x, [0, 2, 3, 1])) as tf.Tensor4D;
}

/** NHWC -> NCHW; a reshape (no copy) when there is one channel. */
function toNCHW(y: tf.Tensor): tf.Tensor4D {
  const [n, h, w, c] = y.shape as [number, number, number, number];
  return (c === 1 ? tf.reshape(y, [n, 1, h, w]) : tf.transpose(y, [0, 3, 1, 2])) as tf.Tensor4D;
}

/** Reflect-pads one axis by concatenating mirrored slices (tfjs's `MirrorPad` gradient drops the mirrored part). */
function reflectAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  const n = x.shape[axis];
  const part = (start: number, size: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sz = [-1, -1, -1, -1];
    begin[axis] = start;
    sz[axis] = size;
    return tf.reverse(tf.slice(x, begin, sz), axis);
  };
  const pieces: tf.Tensor4D[] = [];
  if (before > 0) pieces.push(part(1, before));
  pieces.push(x);
  if (after > 0) pieces.push(part(n - 1 - after, after));
  return pieces.length === 1 ? x : tf.concat(pieces, axis);
}

/** PyTorch's `padding_mode='reflect'` on NHWC, differentiable exactly. */
function reflectPad(x: tf.Tensor4D, pt: number, pb: number, pl: number, pr: number): tf.Tensor4D {
  return reflectAxis(reflectAxis(x, 1, pt, pb), 2, pl, pr);
}

/**
 * 2-D convolution with PyTorch's semantics and layouts: `x` `[N, C, H, W]`, `weight`
 * `[outChannels, C / groups, kH, kW]`, optional `bias` `[outChannels]`; returns
 * `[N, outChannels, H', W']`. Differentiable on every backend, including `wasm`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { conv2d } from '@snnts/functional';
 * const x = tf.ones([1, 1, 4, 4]);
 * const w = tf.ones([2, 1, 3, 3]);
 * const y = conv2d(x, w, tf.tensor1d([0, 1]), { padding: 1 }); // [1, 2, 4, 4]; y[0,0,1,1] = 9
 * ```
 */
export function conv2d(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null = null, opts: Conv2dOptions = {}): tf.Tensor4D {
  const fn = 'conv2d';
  assertRank(x, [4], 'x', fn, 'conv2d takes one batch [N, C, H, W].');
  assertRank(weight, [4], 'weight', fn, 'weights are [outChannels, inChannels / groups, kH, kW].');
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ConfigError(fn, 'groups', 'a positive integer', String(groups));
  const [cout, cinG, kh, kw] = weight.shape as [number, number, number, number];
  const [, c, h, w] = x.shape as [number, number, number, number];
  if (c !== cinG * groups) {
    throw new ShapeError(fn, 'x', `${cinG * groups} input channels (weight.shape[1] ${cinG} x groups ${groups}) on axis 1 of [N, C, H, W]`, `shape [${x.shape.join(', ')}]`);
  }
  if (cout % groups !== 0) throw new ConfigError(fn, 'groups', `a divisor of outChannels ${cout}`, String(groups));
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== cout)) {
    throw new ShapeError(fn, 'bias', `shape [${cout}]`, `shape [${bias.shape.join(', ')}]`);
  }
  const s = toPair(opts.stride ?? 1, 'stride', fn);
  const d = toPair(opts.dilation ?? 1, 'dilation', fn);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    throw new ConfigError(fn, 'dilation', 'dilation 1 when stride > 1 (tfjs supports one or the other)', `stride [${s.join(', ')}], dilation [${d.join(', ')}]`);
  }
  const [pt, pb, pl, pr] = resolvePadding(opts.padding ?? 0, [kh, kw], d, s, fn);
  const hp = h + pt + pb;
  const wp = w + pl + pr;
  const ekh = d[0] * (kh - 1) + 1;
  const ekw = d[1] * (kw - 1) + 1;
  if (ekh > hp || ekw > wp) {
    throw new ShapeError(fn, 'x', `a padded input at least as large as the (dilated) kernel ${ekh}x${ekw}`, `padded input ${hp}x${wp} from shape [${x.shape.join(', ')}]`);
  }
  const mode = opts.paddingMode ?? 'zeros';
  if (mode !== 'zeros' && mode !== 'reflect') throw new ConfigError(fn, 'paddingMode', `'zeros' or 'reflect'`, JSON.stringify(mode));
  if (mode === 'reflect' && (pt >= h || pb >= h || pl >= w || pr >= w)) {
    throw new ShapeError(fn, 'padding', `reflect padding smaller than the input (${h}x${w})`, `[${pt}, ${pb}, ${pl}, ${pr}]`);
  }
  return tf.tidy(() => {
    const xh = toNHWC(x);
    const padSpec: Array<[number, number]> = [[0, 0], [pt, pb], [pl, pr], [0, 0]];
    const any = pt + pb + pl + pr > 0;
    const xp = !any ? xh : mode === 'zeros' ? tf.pad(xh, padSpec) : reflectPad(xh, pt, pb, pl, pr);
    const f = tf.transpose(weight, [2, 3, 1, 0]) as tf.Tensor4D; // [kh, kw, cin/g, cout]
    let y: tf.Tensor4D;
    if (groups === 1) {
      y = tf.conv2d(xp, f, s, 'valid', 'NHWC', d);
    } else {
      const coutG = cout / groups;
      const parts: tf.Tensor4D[] = [];
      for (let g = 0; g < groups; g++) {
        const xg = tf.slice(xp, [0, 0, 0, g * cinG], [-1, -1, -1, cinG]) as tf.Tensor4D;
        const fg = tf.slice(f, [0, 0, 0, g * coutG], [-1, -1, -1, coutG]) as tf.Tensor4D;
        parts.push(tf.conv2d(xg, fg, s, 'valid', 'NHWC', d));
      }
      y = tf.concat(parts, 3);
    }
    if (bias !== null) y = tf.add(y, bias);
    return toNCHW(y);
  });
}
