/**
 * 'valid' max pooling with PyTorch's gradient rule, for `MaxPool2d`: the forward pass is tfjs's
 * `maxPool`; the backward pass (`tf.customGrad`) sends each window's gradient to the window's first
 * maximum in row-major order, as PyTorch does. Ties are the rule, not the exception, when the
 * input is spikes. It also avoids tfjs-backend-wasm 4.22's MaxPoolGrad, which starts each
 * window's search at FLT_MIN (so windows whose maximum is <= 0 send their gradient to the wrong
 * cell) and keeps the last of tied maxima. Windows that tile the input (stride = kernel, the
 * common 2x2 case) take one vectorised pass, as fast as the stock kernel on wasm; overlapping
 * windows loop over the kh*kw window cells (slower: several times the stock kernel's time).
 * Internal to `@snnts/nn`.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Puts `g[:, i, j, :]` (`[N, OH, OW, C]`) at row `a + i*sh`, column `b + j*sw` of an `[N, H, W, C]`
 * zero tensor: the adjoint of taking window cell `(a, b)` of every window. The strided scatter is
 * two zero-interleaves (rows, then columns), each a rank-3 pad between reshapes: tfjs 4.22's GPU
 * backends mishandle pads of rank > 4 (webgl does not compile them, webgpu returns zeros).
 */
function placeWindowCell(g: tf.Tensor, a: number, b: number, stride: [number, number], H: number, W: number): tf.Tensor {
  const [N, OH, OW, C] = g.shape as [number, number, number, number];
  const [sh, sw] = stride;
  let t = g;
  if (sh > 1) t = tf.pad(tf.reshape(t, [N * OH, 1, OW * C]), [[0, 0], [0, sh - 1], [0, 0]]);
  t = tf.reshape(t, [N * OH * sh * OW, 1, C]);
  if (sw > 1) t = tf.pad(t, [[0, 0], [0, sw - 1], [0, 0]]);
  t = tf.reshape(t, [N, OH * sh, OW * sw, C]);
  const rows = Math.min(OH * sh, H - a);
  const cols = Math.min(OW * sw, W - b);
  if (rows < OH * sh || cols < OW * sw) t = tf.slice(t, [0, 0, 0, 0], [N, rows, cols, C]);
  return tf.pad(t, [[0, 0], [a, H - a - rows], [b, W - b - cols], [0, 0]]);
}

/**
 * 1 where `d` is exactly 0, else 0. For finite floats `a - b == 0` iff `a == b`, and a broadcasting
 * `sub` plus a scalar `equal` is far cheaper on wasm than a broadcasting `equal` (an infinite
 * maximum, whose difference is NaN, gets no gradient on this path).
 */
function isZero(d: tf.Tensor): tf.Tensor {
  return tf.cast(tf.equal(d, 0), 'float32');
}

/**
 * {@link firstMaxGrad} for windows that tile the input (stride = kernel): one pass over the
 * `[N, OH, kh, OW, kw, C]` view, where the first maximum is the matching cell of lowest row-major rank.
 */
function tiledFirstMaxGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, kernel: [number, number]): tf.Tensor {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [OH, OW] = [y.shape[1]!, y.shape[2]!];
  const [kh, kw] = kernel;
  const used = OH * kh < H || OW * kw < W ? tf.slice(x, [0, 0, 0, 0], [N, OH * kh, OW * kw, C]) : x;
  const perWindow = (t: tf.Tensor) => tf.reshape(t, [N, OH, 1, OW, 1, C]);
  const isMax = isZero(tf.sub(tf.reshape(used, [N, OH, kh, OW, kw, C]), perWindow(y)));
  // Score kh*kw - rank on the maxima, 0 elsewhere: the first maximum has the window's unique best score.
  const priority = tf.tensor(Float32Array.from({ length: kh * kw }, (_, r) => kh * kw - r), [1, 1, kh, 1, kw, 1]);
  const score = tf.mul(isMax, priority);
  const best = tf.maxPool(tf.reshape(score, [N, OH * kh, OW * kw, C]) as tf.Tensor4D, kernel, kernel, 'valid');
  const first = isZero(tf.sub(score, perWindow(best)));
  const g = tf.reshape(tf.mul(first, perWindow(dy)), [N, OH * kh, OW * kw, C]);
  return tf.pad(g, [[0, 0], [0, H - OH * kh], [0, W - OW * kw], [0, 0]]);
}

/** Gradient of 'valid' max pooling of NHWC `x` (output `y`): all of `dy` to each window's first maximum. */
function firstMaxGrad(dy: tf.Tensor, x: tf.Tensor, y: tf.Tensor, kernel: [number, number], stride: [number, number]): tf.Tensor {
  if (kernel[0] === stride[0] && kernel[1] === stride[1]) return tiledFirstMaxGrad(dy, x, y, kernel);
  const [N, H, W, C] = x.shape as [number, number, number, number];
  const [OH, OW] = [y.shape[1]!, y.shape[2]!];
  let dx = tf.zeros(x.shape);
  // 1 while a window's gradient is still to be routed.
  let open = tf.onesLike(y);
  for (let a = 0; a < kernel[0]; a++) {
    for (let b = 0; b < kernel[1]; b++) {
      const cell = tf.stridedSlice(x, [0, a, b, 0], [N, a + (OH - 1) * stride[0] + 1, b + (OW - 1) * stride[1] + 1, C], [1, stride[0], stride[1], 1]);
      const hit = tf.mul(tf.cast(tf.equal(cell, y), 'float32'), open);
      open = tf.sub(open, hit);
      dx = tf.add(dx, placeWindowCell(tf.mul(dy, hit), a, b, stride, H, W));
    }
  }
  return dx;
}

/** 'valid' max pooling of NHWC `x` whose gradient goes to the first maximum of each window, as PyTorch's. */
export function maxPoolFirstMax(x: tf.Tensor4D, kernel: [number, number], stride: [number, number]): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor4D;
    const y = tf.maxPool(xx, kernel, stride, 'valid');
    (args[1] as tf.GradSaveFunc)([xx, y]);
    return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => firstMaxGrad(dy, saved[0]!, saved[1]!, kernel, stride) };
  });
  return f(x) as tf.Tensor4D;
}
