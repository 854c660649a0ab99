// MaxPool2d's fused NCHW kernels (cpu, wasm) against the tfjs path of pooling.ts (fused kernels
// switched off): values and first-maximum gradients for tiled, overlapping, padded and ceil-mode
// windows, on random values and on spikes (ties everywhere); that the fused kernels really run;
// and that memory stays flat.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, setFusedKernelsEnabled } from '@snnts/core';
import { MAX_POOL_NCHW, MAX_POOL_NCHW_GRAD, MaxPool2d, type MaxPool2dArgs } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

const cases: Array<[string, number, MaxPool2dArgs]> = [
  ['2x2 tiled', 2, {}],
  ['3x3 stride 2 padding 1', 3, { stride: 2, padding: 1 }],
  ['3x3 stride 1', 3, { stride: 1 }],
  ['2x2 stride 2 ceil mode', 2, { ceilMode: true }],
  ['3x3 stride 2 ceil mode padding 1', 3, { stride: 2, padding: 1, ceilMode: true }],
];

describe.each(NODE_BACKENDS)('MaxPool2d fused NCHW kernels on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
  });

  it.each(cases)('equal the tfjs path: %s', (_name, k, args) => {
    const pool = new MaxPool2d(k, args);
    for (const x of [tf.randomNormal([2, 3, 7, 9], 0, 1, 'float32', 1), tf.cast(tf.greater(tf.randomUniform([2, 3, 7, 9], 0, 1, 'float32', 2), 0.7), 'float32')]) {
      const g = tf.randomNormal(pool.forward(x).shape, 0, 1, 'float32', 3);
      const run = () => {
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => tf.sum(tf.mul(pool.forward(a), g)))([x]);
        return [pool.forward(x), grads[0]!, value];
      };
      const fused = run();
      setFusedKernelsEnabled(false);
      const stock = run();
      setFusedKernelsEnabled(true);
      expect(fused[0]!.shape).toEqual(stock[0]!.shape);
      expect(maxAbsError(values(fused[0]!), values(stock[0]!))).toBe(0);
      // Overlapping windows add gradients in another order: float rounding only.
      expect(maxAbsError(values(fused[1]!), values(stock[1]!))).toBeLessThan(1e-5);
      tf.dispose([x, g, ...fused, ...stock]);
    }
  });

  it.each(cases)('writes the argmax only under a gradient tape, with the same values: %s', async (_name, k, args) => {
    const pool = new MaxPool2d(k, args);
    const x = tf.randomNormal([2, 3, 7, 9], 0, 1, 'float32', 4);
    const outputsOf = async (f: () => unknown) => (await tf.profile(f)).kernels.filter((q) => q.name === MAX_POOL_NCHW).map((q) => q.outputShapes.length);
    let plain: number[] = [];
    expect(await outputsOf(() => (plain = values(tf.tidy(() => pool.forward(x)))))).toEqual([1]);
    let taped: number[] = [];
    expect(
      await outputsOf(() =>
        tf.dispose(
          tf.grad((a: tf.Tensor) => {
            const y = pool.forward(a);
            taped = values(y);
            return tf.sum(y);
          })(x),
        ),
      ),
    ).toEqual([2]);
    expect(plain).toEqual(taped);
    x.dispose();
  });

  it("takes the fused path in 'm' mode, and keeps memory flat", async () => {
    const pool = new MaxPool2d(2, { stepMode: 'm' });
    const x = tf.randomNormal([3, 2, 4, 6, 6]);
    const step = () => tf.dispose(tf.grad((a: tf.Tensor) => tf.sum(pool.forward(a)))(x));
    step();
    const before = tf.memory().numTensors;
    const names = (await tf.profile(step)).kernels.map((k) => k.name);
    expect(names).toContain(MAX_POOL_NCHW);
    expect(names).toContain(MAX_POOL_NCHW_GRAD);
    expect(names).not.toContain('Transpose');
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
