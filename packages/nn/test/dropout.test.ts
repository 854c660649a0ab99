// Dropout / Dropout2d with spikingjelly's semantics: one mask per sequence (shared over time steps
// and over T in 'm' mode) until reset, values 0 or 1/(1-p), empirical drop rate close to p, whole
// channels for Dropout2d, identity in eval mode, gradients through the mask, flat memory over
// steps and resets, serialization, and typed errors, on cpu and wasm.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, fromConfig, manualSeed, serialize, setBackend } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import { Dropout, Dropout2d, Linear, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, values } from '../../../test/helpers/golden.js';

describe.each(NODE_BACKENDS)('dropout on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('draws one mask of 0 and 1/(1-p) and reuses it at every step until reset', () => {
    manualSeed(11);
    const drop = new Dropout(0.25);
    expect(drop.mask).toBeNull();
    const x = tf.randomUniform([4, 50], 0.5, 1.5);
    const y1 = values(drop.call(x));
    const mask = values(drop.mask!);
    expect(new Set(mask)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const xs = values(x);
    for (let i = 0; i < xs.length; i++) expect(y1[i]).toBeCloseTo(xs[i]! * mask[i]!, 6);
    for (let t = 0; t < 3; t++) expect(values(drop.call(x))).toEqual(y1);
    drop.reset();
    expect(drop.mask).toBeNull();
    const y2 = values(drop.call(x));
    expect(y2).not.toEqual(y1);
    drop.dispose();
  });

  it("in 'm' mode applies one mask to all T steps, equal to 's' looped from the same seed", () => {
    const x = tf.randomUniform([5, 3, 4, 6], 0.5, 1.5);
    manualSeed(7);
    const m = new Dropout(0.5, { stepMode: 'm' });
    const ym = m.call(x);
    manualSeed(7);
    const s = new Dropout(0.5);
    const ys = tf.stack(tf.unstack(x).map((xt) => s.call(xt)));
    expect(values(ym)).toEqual(values(ys));
    const ratio = tf.unstack(tf.div(ym, x)).map(values);
    for (const r of ratio.slice(1)) expect(r).toEqual(ratio[0]);
    expect(m.mask!.shape).toEqual([3, 4, 6]);
    tf.dispose([x, ym, ys]);
    m.dispose();
    s.dispose();
  });

  it('drops a fraction close to p on a large tensor and keeps the mean (fixed seed)', () => {
    manualSeed(2024);
    for (const p of [0.1, 0.5, 0.8]) {
      const drop = new Dropout(p);
      const y = drop.call(tf.ones([500, 1000]));
      const v = y.dataSync();
      let zeros = 0;
      let sum = 0;
      for (const e of v) {
        if (e === 0) zeros++;
        sum += e;
      }
      // 5e5 Bernoulli draws: the standard deviation of the rate is at most 7.1e-4.
      expect(Math.abs(zeros / v.length - p)).toBeLessThan(0.004);
      expect(Math.abs(sum / v.length - 1)).toBeLessThan(0.02);
      y.dispose();
      drop.dispose();
    }
  });

  it('Dropout2d zeroes whole channels with a [N, C, 1, 1] mask, shared over T', () => {
    manualSeed(5);
    const drop = new Dropout2d(0.5, { stepMode: 'm' });
    const x = tf.randomUniform([3, 4, 16, 5, 5], 0.5, 1.5);
    const y = drop.call(x);
    expect(drop.mask!.shape).toEqual([4, 16, 1, 1]);
    const mask = values(drop.mask!);
    expect(new Set(mask)).toEqual(new Set([0, 2]));
    const yv = values(y);
    const xv = values(x);
    const per = 25;
    for (let i = 0; i < yv.length; i++) {
      const channel = Math.floor(i / per) % (4 * 16);
      expect(yv[i]).toBeCloseTo(xv[i]! * mask[channel]!, 5);
    }
    // Channel drop rate over many channels.
    manualSeed(6);
    const big = new Dropout2d(0.3);
    big.call(tf.ones([200, 100, 2, 2])).dispose();
    const rate = values(big.mask!).filter((v) => v === 0).length / 20000;
    expect(Math.abs(rate - 0.3)).toBeLessThan(0.015);
    tf.dispose([x, y]);
    drop.dispose();
    big.dispose();
  });

  it('is the identity in eval mode and draws no mask', () => {
    const drop = new Dropout(0.9);
    const drop2 = new Dropout2d(0.9, { stepMode: 'm' });
    drop.eval();
    drop2.eval();
    const x = tf.randomNormal([2, 3, 4, 4]);
    expect(values(drop.call(x))).toEqual(values(x));
    expect(values(drop2.call(tf.stack([x, x])))).toEqual(values(tf.stack([x, x])));
    expect(drop.mask).toBeNull();
    expect(drop2.mask).toBeNull();
    drop.train();
    expect(values(drop.call(x))).not.toEqual(values(x));
    drop.dispose();
  });

  it('p = 0 keeps everything; its mask is all ones', () => {
    const drop = new Dropout(0);
    const x = tf.randomNormal([3, 7]);
    expect(values(drop.call(x))).toEqual(values(x));
    expect(new Set(values(drop.mask!))).toEqual(new Set([1]));
    drop.dispose();
  });

  it('passes gradients through the mask', () => {
    manualSeed(9);
    const drop = new Dropout(0.4, { stepMode: 'm' });
    const x = tf.randomNormal([3, 2, 10]);
    const g = tf.randomNormal([3, 2, 10]);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(drop.forward(xx), g)))(x);
    const mask = values(drop.mask!);
    const gv = values(g);
    const dxv = values(dx);
    for (let i = 0; i < dxv.length; i++) expect(dxv[i]).toBeCloseTo(gv[i]! * mask[i % 20]!, 5);
    // Gradients into a preceding layer's parameters flow too.
    const net = new Sequential(new Linear(10, 6), new Dropout(0.5));
    const { grads } = tf.variableGrads(() => tf.sum(net.forward(tf.ones([2, 10]))) as tf.Scalar);
    expect(Object.keys(grads)).toHaveLength(2);
    tf.dispose([x, g, dx, ...Object.values(grads)]);
    drop.dispose();
    net.dispose();
  });

  it('keeps tf.memory().numTensors flat over steps, resets and dispose', () => {
    const net = new Sequential(new Dropout(0.3), new Dropout2d(0.3));
    const x = tf.ones([2, 3, 4, 4]);
    const before = tf.memory().numTensors;
    for (let seq = 0; seq < 3; seq++) {
      for (let t = 0; t < 4; t++) net.call(x).dispose();
      // Exactly the two masks are held between steps.
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.grad((xx: tf.Tensor) => tf.sum(net.forward(xx)))(x).dispose();
      expect(tf.memory().numTensors).toBe(before + 2);
      resetNet(net);
      expect(tf.memory().numTensors).toBe(before);
    }
    net.call(x).dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('round-trips through serialize / fromConfig with spikingjelly defaults', () => {
    expect(new Dropout().p).toBe(0.5);
    expect(new Dropout2d().p).toBe(0.2);
    const d = fromConfig(serialize(new Dropout2d(0.3, { stepMode: 'm' }))) as Dropout2d;
    expect(d).toBeInstanceOf(Dropout2d);
    expect(d.getConfig()).toEqual({ stepMode: 'm', p: 0.3 });
    const e = fromConfig(serialize(new Dropout(0.1))) as Dropout;
    expect(e).toBeInstanceOf(Dropout);
    expect(e.getConfig()).toEqual({ stepMode: 's', p: 0.1 });
  });

  it('rejects a bad p, a batch of another size without reset, and bad ranks with typed errors', () => {
    expect(() => new Dropout(1)).toThrowError(ConfigError);
    expect(() => new Dropout(-0.1)).toThrowError(/Dropout: 'p' expected a probability in \[0, 1\), but got number -0\.1/);
    expect(() => new Dropout2d(Number.NaN)).toThrowError(/Dropout2d: 'p' expected a probability in \[0, 1\)/);
    const drop = new Dropout(0.5);
    drop.call(tf.ones([4, 10]));
    expect(() => drop.call(tf.ones([8, 10]))).toThrowError(ShapeError);
    expect(() => drop.call(tf.ones([8, 10]))).toThrowError(/Dropout\.forward: 'x' expected a step whose mask shape is \[4, 10\].*but got a step of shape \[8, 10\].*resetNet/);
    drop.reset();
    expect(drop.call(tf.ones([8, 10])).shape).toEqual([8, 10]);
    drop.dispose();
    const d2 = new Dropout2d(0.5);
    expect(() => d2.call(tf.ones([2, 3, 4]))).toThrowError(/Dropout2d\.forward: 'x' expected rank 4, but got rank 3/);
    d2.call(tf.ones([2, 3, 4, 4]));
    // The spatial size may change (the mask is per channel); the channel count may not.
    expect(d2.call(tf.ones([2, 3, 6, 6])).shape).toEqual([2, 3, 6, 6]);
    expect(() => d2.call(tf.ones([2, 5, 4, 4]))).toThrowError(/mask shape is \[2, 3, 1, 1\]/);
    d2.dispose();
    const m = new Dropout(0.5, { stepMode: 'm' });
    expect(() => m.call(tf.ones([4]))).toThrowError(/Dropout\.forward: 'xSeq' expected rank in/);
    m.dispose();
  });
});
