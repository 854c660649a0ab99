/**
 * The gradient of tfjs's `Conv2D` kernel for NHWC 'valid' convolutions (what {@link conv2d} runs),
 * installed in place of the stock one by `@snnts/functional`'s `register.ts`; every other case
 * (NCHW, 'same' or explicit padding) goes to the stock gradient.
 *
 * Why our own: tfjs-backend-wasm has no `Conv2DBackpropFilter` kernel, and the stock gradient
 * refuses dilation > 1. As a registered gradient (not a `tf.customGrad`) each input gradient is a
 * thunk, so the tape computes only the ones it needs (no input gradient for a network's first
 * layer) and nothing is copied to save the inputs (`customGrad` clones them: an `Identity` copy
 * each on wasm).
 * - Input gradient: a full correlation of `dY` with the flipped filter (stride 1, any dilation;
 *   on wasm XNNPACK's convolution, about 12x faster than `Conv2DBackpropInput`: 14 ms vs 167 ms
 *   for a 3x3, 16->32, 256x14x14 layer), or `Conv2DBackpropInput` when strided.
 * - Filter gradient: a convolution of the input with `dY` as the filter (batch axis as channels);
 *   with few input channels (`C·kH·kW <= 32`, a first layer on images) an im2col matmul instead
 *   (that convolution has a huge filter and a 3x3 output, on which XNNPACK is slow).
 */
import * as tf from '@tensorflow/tfjs';

type P2 = [number, number];

/** dL/dX of a 'valid' NHWC convolution. */
function inputGrad(dy: tf.Tensor4D, f: tf.Tensor4D, xShape: [number, number, number, number], s: P2, d: P2): tf.Tensor4D {
  if (s[0] > 1 || s[1] > 1) return tf.conv2dTranspose(dy, f, xShape, s, 'valid');
  const [kh, kw] = f.shape;
  const ph = d[0] * (kh - 1);
  const pw = d[1] * (kw - 1);
  const dyp = tf.pad(dy, [[0, 0], [ph, ph], [pw, pw], [0, 0]]);
  const flipped = tf.transpose(tf.reverse(f, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const full = tf.conv2d(dyp, flipped, 1, 'valid', 'NHWC', d);
  // Rows/columns of X that no output reads get no gradient beyond this crop.
  const cropped = full.shape[1] === xShape[1] && full.shape[2] === xShape[2];
  return cropped ? full : (tf.slice(full, [0, 0, 0, 0], xShape) as tf.Tensor4D);
}

/**
 * dL/dW as a convolution: `dW[c, i, j, o] = Σ_{n,y,x} X[n, i·d + y·s, j·d + x·s, c] · dY[n, y, x, o]`
 * is a convolution of `X` (`[C, H, W, N]`) with `dY` (`[H', W', N, O]`) as the filter, stride `d`
 * and dilation `s` (on wasm 1.5-6x faster than summing per-tap matmuls).
 */
function filterGradConv(dy: tf.Tensor4D, x: tf.Tensor4D, fShape: number[], s: P2, d: P2): tf.Tensor4D {
  const [kh, kw] = fShape as [number, number];
  const xc = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [cin, Hp, Wp, n]
  const dyf = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [ho, wo, n, cout]
  let g = tf.conv2d(xc, dyf, d, 'valid', 'NHWC', s); // [cin, >= kh, >= kw, cout]
  if (g.shape[1] !== kh || g.shape[2] !== kw) g = tf.slice(g, [0, 0, 0, 0], [-1, kh, kw, -1]);
  return tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
}

/**
 * dL/dW as one matmul over the im2col patches `[N·H'·W', kH·kW·C]`, which are themselves one
 * convolution of `X` with a one-hot filter `[kH, kW, C, kH·kW·C]` (few input channels only).
 */
function filterGradIm2col(dy: tf.Tensor4D, x: tf.Tensor4D, fShape: number[], s: P2, d: P2): tf.Tensor4D {
  const [kh, kw, c, o] = fShape as [number, number, number, number];
  const k = kh * kw * c;
  const m = dy.shape[0] * dy.shape[1] * dy.shape[2];
  const eye = tf.reshape(tf.eye(k), [kh, kw, c, k]) as tf.Tensor4D;
  const patches = tf.conv2d(x, eye, s, 'valid', 'NHWC', d);
  return tf.reshape(tf.matMul(tf.transpose(tf.reshape(patches, [m, k])), tf.reshape(dy, [m, o])), [kh, kw, c, o]) as tf.Tensor4D;
}

/**
 * Whether the filter gradient takes the im2col matmul (`C·kH·kW <= 32`).
 *
 * @example
 * ```ts
 * import { useIm2colFilterGrad } from '@snnts/functional';
 * console.log(useIm2colFilterGrad([3, 3, 1, 16]), useIm2colFilterGrad([3, 3, 16, 32])); // true false
 * ```
 */
export function useIm2colFilterGrad(fShape: readonly number[]): boolean {
  return fShape[0]! * fShape[1]! * fShape[2]! <= 32;
}

/** Attributes of tfjs's `Conv2D` kernel. */
interface Conv2DAttrs {
  strides: number | P2;
  pad: unknown;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | P2;
}

const pair = (v: number | P2): P2 => (typeof v === 'number' ? [v, v] : v);

/** The stock tfjs gradient, captured before ours replaces it. */
let stockGrad: tf.GradConfig | undefined;

/**
 * Gradient config for tfjs's `Conv2D` (NHWC 'valid': ours; anything else: tfjs's stock gradient).
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { conv2dGradConfig } from '@snnts/functional';
 * console.log(tf.getGradient(tf.Conv2D) === conv2dGradConfig); // true once @snnts/functional is imported
 * ```
 */
export const conv2dGradConfig: tf.GradConfig = {
  kernelName: tf.Conv2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const a = attrs as unknown as Conv2DAttrs;
    if (a.dataFormat !== 'NHWC' || a.pad !== 'valid') {
      if (!stockGrad) throw new Error('conv2dGradConfig: no stock Conv2D gradient to delegate to');
      return stockGrad.gradFunc(dy, saved, attrs);
    }
    const [x, f] = saved as [tf.Tensor4D, tf.Tensor4D];
    const g = dy as tf.Tensor4D;
    const [s, d] = [pair(a.strides), pair(a.dilations)];
    const filterGrad = useIm2colFilterGrad(f.shape) ? filterGradIm2col : filterGradConv;
    return { x: () => inputGrad(g, f, x.shape, s, d), filter: () => filterGrad(g, x, f.shape, s, d) };
  },
};

/**
 * Installs {@link conv2dGradConfig} as tfjs's `Conv2D` gradient (idempotent).
 *
 * @internal
 * @example
 * ```ts
 * import { registerConv2dGrad } from '@snnts/functional';
 * registerConv2dGrad();
 * ```
 */
export function registerConv2dGrad(): void {
  const current = tf.getGradient(tf.Conv2D);
  if (current === conv2dGradConfig) return;
  stockGrad = current;
  tf.registerGradient(conv2dGradConfig);
}
