// The fast paths of conv2d and batchNormTrain: our Conv2D gradient (registered in place of tfjs's)
// against a brute-force reference for the im2col and convolution filter-gradient branches, stride
// and dilation, and that it skips the input gradient nobody asked for; the fused BatchNorm kernels
// against the composed closed-form fallback and against autodiff through tf.moments, on cpu and
// wasm, with a check that the fused kernels really ran and that memory stays flat.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, setFusedKernelsEnabled } from '@snnts/core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, batchNormTrain, conv2d, conv2dGradConfig, useIm2colFilterGrad } from '@snnts/functional';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

/** Brute-force NCHW gradients of `sum(conv2d(x, w) * g)` (no padding). */
function referenceGrads(x: number[], xs: number[], w: number[], ws: number[], g: number[], gs: number[], s: number, d: number): { dx: number[]; dw: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, , KH, KW] = ws as [number, number, number, number];
  const [, , OH, OW] = gs as [number, number, number, number];
  const dx = new Array<number>(x.length).fill(0);
  const dw = new Array<number>(w.length).fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let y = 0; y < OH; y++)
        for (let z = 0; z < OW; z++) {
          const gv = g[((n * O + o) * OH + y) * OW + z]!;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const xi = ((n * C + c) * H + y * s + i * d) * W + z * s + j * d;
                const wi = ((o * C + c) * KH + i) * KW + j;
                dw[wi] += x[xi]! * gv;
                dx[xi] += w[wi]! * gv;
              }
        }
  return { dx, dw };
}

describe.each(NODE_BACKENDS)('fast conv2d gradient on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('is the registered Conv2D gradient', () => {
    expect(tf.getGradient(tf.Conv2D)).toBe(conv2dGradConfig);
  });

  it.each([
    ['im2col, 1 channel', [2, 1, 7, 6], [3, 1, 3, 3], 1, 1],
    ['convolution, 5 channels', [2, 5, 7, 6], [3, 5, 3, 3], 1, 1],
    ['im2col, stride 2', [2, 2, 9, 8], [4, 2, 3, 3], 2, 1],
    ['convolution, stride 2', [2, 4, 9, 8], [4, 4, 3, 3], 2, 1],
    ['im2col, dilation 2', [1, 2, 9, 9], [3, 2, 3, 3], 1, 2],
    ['convolution, dilation 2', [1, 9, 9, 9], [3, 9, 2, 2], 1, 2],
  ] as const)('matches a brute-force reference: %s', (_name, xShape, wShape, s, d) => {
    const x = tf.randomNormal([...xShape], 0, 1, 'float32', 1);
    const w = tf.randomNormal([...wShape], 0, 1, 'float32', 2);
    const y = conv2d(x, w, null, { stride: s, dilation: d });
    const g = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(a, b, null, { stride: s, dilation: d }), g)))([x, w]);
    const ref = referenceGrads(values(x), [...xShape], values(w), [...wShape], values(g), y.shape, s, d);
    expect(maxAbsError(values(dx!), ref.dx)).toBeLessThan(1e-4);
    expect(maxAbsError(values(dw!), ref.dw)).toBeLessThan(1e-4);
    expect(useIm2colFilterGrad([wShape[2], wShape[3], wShape[1], wShape[0]])).toBe(_name.startsWith('im2col'));
    tf.dispose([x, w, y, g, dx!, dw!]);
  });

  it('computes no input gradient when only the weight needs one', async () => {
    const x = tf.randomNormal([2, 4, 8, 8]);
    const w = tf.variable(tf.randomNormal([4, 4, 3, 3]));
    const info = await tf.profile(() => tf.dispose(tf.grad((ww: tf.Tensor) => tf.sum(conv2d(x, ww, null, { padding: 1 })))(w)));
    // Forward conv + the filter-gradient conv; the input gradient would add a third (and a Reverse).
    expect(info.kernels.filter((k) => k.name === 'Conv2D')).toHaveLength(2);
    expect(info.kernels.some((k) => k.name === 'Reverse')).toBe(false);
    tf.dispose([x, w]);
  });
});

/** Autodiff through tf.moments: the plain definition. */
function referenceBatchNorm(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor {
  const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
  const bshape = [1, x.shape[1]!, ...Array<number>(x.rank - 2).fill(1)];
  const { mean, variance } = tf.moments(x, axes, true);
  const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(xhat, tf.reshape(w, bshape)), tf.reshape(b, bshape));
}

describe.each(NODE_BACKENDS)('batchNormTrain on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
  });

  const shapes = [[6, 3], [4, 3, 5], [3, 4, 5, 6]] as const;
  it.each(shapes)('fused, composed and autodiff agree on values and gradients for shape %j', (...shape) => {
    const x = tf.randomNormal([...shape], 2, 3, 'float32', 4);
    const w = tf.randomNormal([shape[1]], 1, 0.5, 'float32', 5);
    const b = tf.randomNormal([shape[1]], 0, 1, 'float32', 6);
    const g = tf.randomNormal([...shape], 0, 1, 'float32', 7);
    const run = (f: (a: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.Tensor) => {
      const { value, grads } = tf.valueAndGrads((a: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(a, ww, bb), g)))([x, w, b]);
      return [f(x, w, b), ...grads, value];
    };
    const fused = run((a, ww, bb) => batchNormTrain(a, ww, bb).y);
    setFusedKernelsEnabled(false);
    const composed = run((a, ww, bb) => batchNormTrain(a, ww, bb).y);
    const reference = run((a, ww, bb) => referenceBatchNorm(a, ww, bb, 1e-5));
    for (let i = 0; i < 4; i++) {
      expect(maxAbsError(values(fused[i]!), values(reference[i]!))).toBeLessThan(1e-4);
      expect(maxAbsError(values(composed[i]!), values(reference[i]!))).toBeLessThan(1e-4);
    }
    tf.dispose([x, w, b, g, ...fused, ...composed, ...reference]);
  });

  it('returns the batch mean and biased variance, and works without weight and bias', () => {
    const x = tf.randomNormal([5, 2, 3], 1, 2, 'float32', 8);
    const { mean, variance } = tf.moments(x, [0, 2]);
    for (const fusedOn of [true, false]) {
      setFusedKernelsEnabled(fusedOn);
      const r = batchNormTrain(x);
      const ref = referenceBatchNorm(x, tf.ones([2]), tf.zeros([2]), 1e-5);
      expect(maxAbsError(values(r.mean), values(mean))).toBeLessThan(1e-5);
      expect(maxAbsError(values(r.variance), values(variance))).toBeLessThan(1e-4);
      expect(maxAbsError(values(r.y), values(ref))).toBeLessThan(1e-5);
      tf.dispose([r.y, r.mean, r.variance, ref]);
    }
    tf.dispose([x, mean, variance]);
  });

  it('runs one fused kernel each way, and keeps memory flat', async () => {
    const x = tf.randomNormal([8, 4, 5, 5]);
    const w = tf.variable(tf.ones([4]));
    const b = tf.variable(tf.zeros([4]));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(batchNormTrain(x, w, b).y)) as tf.Scalar, [w, b]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    const info = await tf.profile(step);
    const names = info.kernels.map((k) => k.name);
    expect(names).toContain(BATCH_NORM_TRAIN);
    expect(names).toContain(BATCH_NORM_TRAIN_GRAD);
    expect(names).not.toContain('Mean');
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    setFusedKernelsEnabled(false);
    step();
    const composedBefore = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(composedBefore);
    tf.dispose([x, w, b]);
  });

  it('rejects a weight of the wrong size with a ShapeError naming the argument', () => {
    expect(() => batchNormTrain(tf.zeros([2, 3]), tf.ones([4]), tf.zeros([4]))).toThrow(/batchNormTrain.*weight/);
  });
});
