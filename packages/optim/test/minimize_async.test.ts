/**
 * `Optimizer.minimizeAsync`: the same update and loss as `minimize` (step for step, on cpu), the
 * loss read with `await data()`, argument errors thrown synchronously, kept tensors from the loss
 * function surviving the step, clipping passed through, and no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, setBackend } from '@snnts/core';
import { Adam, SGD } from '@snnts/optim';

beforeAll(async () => {
  await setBackend('cpu');
});

const lossOf = (w: tf.Variable) => () => tf.sum(tf.mul(tf.tensor1d([0.5, 1, 2]), tf.square(tf.sub(w, tf.tensor1d([1, -2, 3])))));

describe('Optimizer.minimizeAsync', () => {
  it('matches minimize step for step (loss and parameters, Adam with clipping)', async () => {
    const a = tf.variable(tf.zeros([3]));
    const b = tf.variable(tf.zeros([3]));
    const optA = new Adam([a], { lr: 0.1 });
    const optB = new Adam([b], { lr: 0.1 });
    for (let i = 0; i < 20; i++) {
      const sync = optA.minimize(lossOf(a), { clipGradNorm: 2 });
      const asy = await optB.minimizeAsync(lossOf(b), { clipGradNorm: 2 });
      expect(asy).toBe(sync);
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
  });

  it('returns the loss before the update and converges', async () => {
    const w = tf.variable(tf.zeros([3]));
    const opt = new SGD([w], { lr: 0.2 });
    const first = await opt.minimizeAsync(lossOf(w));
    expect(first).toBeCloseTo(0.5 + 4 + 18, 5);
    let last = first;
    for (let i = 0; i < 100; i++) last = await opt.minimizeAsync(lossOf(w));
    expect(last).toBeLessThan(1e-6);
    w.dispose();
  });

  it('throws argument errors synchronously, before any promise', () => {
    const w = tf.variable(tf.zeros([2]));
    const opt = new SGD([w], { lr: 0.1 });
    expect(() => opt.minimizeAsync(42 as unknown as () => tf.Scalar)).toThrow(ConfigError);
    expect(() => opt.minimizeAsync(() => tf.sum(w), { clipGradNorm: 0 })).toThrow(/minimizeAsync.*clipGradNorm/);
    expect(() => opt.minimizeAsync(() => tf.mul(w, 2) as unknown as tf.Scalar)).toThrow(ShapeError);
    w.dispose();
  });

  it('keeps what the loss function tf.keep-s, and leaks nothing else', async () => {
    const w = tf.variable(tf.ones([4]));
    const opt = new Adam([w], { lr: 0.01 });
    await opt.minimizeAsync(() => tf.sum(tf.square(w))); // creates the optimizer state
    const before = tf.memory().numTensors;
    let kept: tf.Tensor | null = null;
    const loss = await opt.minimizeAsync(() => {
      const l = tf.sum(tf.square(w));
      kept = tf.keep(tf.mul(l, 2));
      return l as tf.Scalar;
    });
    expect((await kept!.data())[0]).toBeCloseTo(2 * loss, 4);
    kept!.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
