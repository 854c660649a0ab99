import * as tf from '@tensorflow/tfjs';
import { manualSeed, setBackend } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNet, encode, forwardDirect } from '../src/model.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('mnist model', () => {
  it('encode repeats the image over T', () => {
    const x = tf.randomUniform([2, 1, 28, 28]);
    const xSeq = encode(x, 3);
    expect(xSeq.shape).toEqual([3, 2, 1, 28, 28]);
    expect(tf.max(tf.abs(tf.sub(tf.gather(xSeq, 2), x))).dataSync()[0]).toBe(0);
    tf.dispose([x, xSeq]);
  });

  it('forwardDirect matches net.forward(encode(x)) in outputs, state and gradients', () => {
    manualSeed(1);
    const snn = buildNet(32);
    const x = tf.randomUniform([4, 1, 28, 28], 0, 6, 'float32', 3); // strong enough to make both layers spike
    const T = 5;
    const lossOf = (f: () => tf.Tensor) => () => tf.sum(tf.mul(f(), tf.range(1, 11).reshape([1, 1, 10]))) as tf.Scalar;
    const run = (f: () => tf.Tensor) => {
      const { value, grads } = tf.variableGrads(lossOf(f), snn.net.parameters());
      const out = tf.tidy(f);
      const v = (snn.lif1.v as tf.Tensor).clone();
      resetNet(snn.net);
      return { value, grads, out, v };
    };
    const a = run(() => snn.net.forward(encode(x, T)));
    const b = run(() => forwardDirect(snn, x, T));
    expect(b.out.shape).toEqual([T, 4, 10]);
    expect(b.value.dataSync()[0]).toBeCloseTo(a.value.dataSync()[0]!, 4);
    expect(Array.from(b.out.dataSync())).toEqual(Array.from(a.out.dataSync()));
    expect(tf.max(tf.abs(tf.sub(a.v, b.v))).dataSync()[0]).toBeLessThan(1e-5);
    expect(Object.keys(a.grads)).toHaveLength(4);
    expect(tf.sum(a.out).dataSync()[0]).toBeGreaterThan(0); // some output spikes, so the check is not vacuous
    for (const name of Object.keys(a.grads)) {
      const diff = tf.max(tf.abs(tf.sub(a.grads[name]!, b.grads[name]!))).dataSync()[0]!;
      const scale = tf.max(tf.abs(a.grads[name]!)).dataSync()[0]!;
      expect(scale, name).toBeGreaterThan(0);
      expect(diff, name).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
    }
    snn.net.dispose();
  });
});
