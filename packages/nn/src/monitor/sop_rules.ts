/**
 * How the SOP counter counts one call of each supported layer, looked up by class name
 * (`Linear`, `Conv2d`): the dense multiply-accumulates of the equivalent ANN layer, and the
 * synaptic operations actually triggered by the nonzero inputs. For a convolution the count is
 * exact: an input pixel at row `i` feeds as many (output row, kernel row) pairs as the geometry
 * allows (fewer at the borders; reflect padding counted through its mirror), and likewise for
 * columns, times `outChannels / groups`. Internal to the monitor folder.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, type Module } from '@snnts/core';

/** What one call of a layer did. */
export interface CallCount {
  /** Input rows: samples x time steps in this call. */
  rows: number;
  /** Input elements. */
  inputElements: number;
  /** Nonzero input elements. */
  nnz: number;
  /** Input elements that are neither 0 nor 1. */
  nonBinary: number;
  /** Nonzero input elements whose magnitude differs from the largest magnitude (0 for spikes scaled by one constant). */
  nonConstant: number;
  /** Synaptic operations: for every nonzero input, the number of weights it is multiplied by. */
  sops: number;
  /** Dense MACs of the equivalent ANN layer for this call (`rows x` per-sample MACs). */
  denseMacs: number;
}

/** Counts one call from the layer's first input and its output. */
export type CallCounter = (x: tf.Tensor, output: tf.Tensor) => CallCount;

/** Reads a module's geometry once (throwing a `ConfigError` if a field is missing) and returns its counter. */
export type SopRule = (module: Module, name: string) => CallCounter;

type Fields = Record<string, unknown>;

function field(m: Module, name: string, key: string, fn: string): unknown {
  const v = (m as unknown as Fields)[key];
  if (v === undefined) throw new ConfigError(fn, key, `a field of ${m.className} '${name}'`, 'undefined');
  return v;
}

function positiveInt(m: Module, name: string, key: string, fn: string): number {
  const v = field(m, name, key, fn);
  if (!Number.isInteger(v) || (v as number) < 1) throw new ConfigError(fn, `${name}.${key}`, 'a positive integer', JSON.stringify(v));
  return v as number;
}

function pair(v: unknown, fallback: number, key: string, fn: string): [number, number] {
  const p = v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ConfigError(fn, key, 'an integer or a pair [h, w] of integers', JSON.stringify(v));
  }
  return [p[0] as number, p[1] as number];
}

/**
 * Nonzero mask, and counts of non-binary elements and of nonzero elements whose magnitude is not
 * the largest one, as int32 tensors (inside the caller's tidy).
 */
function spikeStats(x: tf.Tensor): { nz: tf.Tensor; counts: tf.Tensor } {
  const nz = tf.notEqual(x, 0);
  const count = (mask: tf.Tensor) => tf.sum(tf.cast(tf.logicalAnd(nz, mask), 'int32'));
  const a = tf.abs(x);
  return { nz, counts: tf.stack([count(tf.notEqual(x, 1)), count(tf.notEqual(a, tf.max(a)))]) };
}

/** `Linear`: every nonzero input feeds `outFeatures` weights; dense MACs `inFeatures x outFeatures` per row. */
const linearRule: SopRule = (m, name) => {
  const fn = 'SopCounter';
  const inF = positiveInt(m, name, 'inFeatures', fn);
  const outF = positiveInt(m, name, 'outFeatures', fn);
  return (x) => {
    const d = tf.tidy(() => {
      const { nz, counts } = spikeStats(x);
      return tf.concat([tf.reshape(tf.sum(tf.cast(nz, 'int32')), [1]), counts]).dataSync();
    });
    const rows = x.size / inF;
    return { rows, inputElements: x.size, nnz: d[0]!, nonBinary: d[1]!, nonConstant: d[2]!, sops: d[0]! * outF, denseMacs: rows * inF * outF };
  };
};

/**
 * For one spatial axis of a convolution: how many (output position, kernel tap) pairs read each
 * input index. Taps on zero padding read nothing; with reflect padding they read the mirrored
 * index (PyTorch's `reflect`, which excludes the edge).
 *
 * @internal
 */
export function axisTapCounts(size: number, outSize: number, kernel: number, stride: number, dilation: number, padBefore: number, reflect: boolean): Float64Array {
  const counts = new Float64Array(size);
  for (let p = 0; p < outSize; p++) {
    for (let a = 0; a < kernel; a++) {
      let i = p * stride + a * dilation - padBefore;
      if (i < 0 || i >= size) {
        if (!reflect || size < 2) continue;
        i = i < 0 ? -i : 2 * (size - 1) - i;
        if (i < 0 || i >= size) continue;
      }
      counts[i]!++;
    }
  }
  return counts;
}

/** `[padTop, padLeft]` from PyTorch's `padding` argument (`'same'`: the smaller half first). */
function padBefore(padding: unknown, k: [number, number], d: [number, number], fn: string): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') return [(d[0] * (k[0] - 1)) >> 1, (d[1] * (k[1] - 1)) >> 1];
  return pair(padding, 0, 'padding', fn);
}

/**
 * `Conv2d` (NCHW, `[N, C, H, W]` or `[T, N, C, H, W]`): an input pixel `(c, i, j)` feeds
 * `rowTaps[i] x colTaps[j] x outChannels / groups` weights; dense MACs per row are
 * `outChannels x Ho x Wo x (inChannels / groups) x kH x kW`.
 */
const conv2dRule: SopRule = (m, name) => {
  const fn = 'SopCounter';
  const inC = positiveInt(m, name, 'inChannels', fn);
  const outC = positiveInt(m, name, 'outChannels', fn);
  const groups = (m as unknown as Fields)['groups'] === undefined ? 1 : positiveInt(m, name, 'groups', fn);
  const fields = m as unknown as Fields;
  const k = pair(field(m, name, 'kernelSize', fn), 1, 'kernelSize', fn);
  const s = pair(fields['stride'], 1, 'stride', fn);
  const d = pair(fields['dilation'], 1, 'dilation', fn);
  const pad = padBefore(fields['padding'], k, d, fn);
  const reflect = fields['paddingMode'] === 'reflect';
  const cache = new Map<string, [Float64Array, Float64Array]>();
  return (x, out) => {
    const [H, W] = x.shape.slice(-2) as [number, number];
    const [Ho, Wo] = out.shape.slice(-2) as [number, number];
    const key = `${H},${W},${Ho},${Wo}`;
    let taps = cache.get(key);
    if (!taps) {
      taps = [axisTapCounts(H, Ho, k[0], s[0], d[0], pad[0], reflect), axisTapCounts(W, Wo, k[1], s[1], d[1], pad[1], reflect)];
      cache.set(key, taps);
    }
    const [rowTaps, colTaps] = taps;
    const data = tf.tidy(() => {
      const { nz, counts } = spikeStats(x);
      const perPixel = tf.sum(tf.cast(nz, 'int32'), [...Array(x.rank - 2).keys()]); // [H, W]
      return tf.concat([tf.reshape(perPixel, [-1]), counts]).dataSync();
    });
    let nnz = 0;
    let weighted = 0;
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const c = data[i * W + j]!;
        nnz += c;
        weighted += c * rowTaps[i]! * colTaps[j]!;
      }
    }
    const rows = x.size / (inC * H * W);
    const denseMacs = rows * outC * Ho * Wo * (inC / groups) * k[0] * k[1];
    return { rows, inputElements: x.size, nnz, nonBinary: data[H * W]!, nonConstant: data[H * W + 1]!, sops: weighted * (outC / groups), denseMacs };
  };
};

/**
 * The counting rule of each supported class name.
 *
 * @internal
 */
export const SOP_RULES: ReadonlyMap<string, SopRule> = new Map([
  ['Linear', linearRule],
  ['Conv2d', conv2dRule],
]);
