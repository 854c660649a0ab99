// Pooling layers against PyTorch (fixtures from packages/nn/scripts/make_pool_fixtures.py):
// MaxPool2d / AvgPool2d / AdaptiveAvgPool2d forward and input gradients on cpu and wasm within
// 1e-4, multi-step equal to a loop of single steps, config round trips, flat memory, typed errors.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, fromConfig, serialize, setBackend, type Module } from '@snnts/core';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';
import type { PoolCase } from '../../../test/helpers/fixture_types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch_pool.json', import.meta.url), 'utf8')) as { cases: PoolCase[] };
const TOL = 1e-4;

function build(c: Pick<PoolCase, 'kind' | 'args'>, stepMode: 's' | 'm' = 's'): Module {
  const { kernelSize, outputSize, ...rest } = c.args;
  switch (c.kind) {
    case 'MaxPool2d':
      return new MaxPool2d(kernelSize as number, { ...rest, stepMode });
    case 'AvgPool2d':
      return new AvgPool2d(kernelSize as number, { ...rest, stepMode });
    case 'AdaptiveAvgPool2d':
      return new AdaptiveAvgPool2d(outputSize as number, { stepMode });
  }
}

describe.each(NODE_BACKENDS)('pooling on %s', (backend) => {
  const worst = { forward: 0, grad: 0 };
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterAll(() => {
    console.log(`pooling on ${backend}: max |error| vs PyTorch forward ${worst.forward.toExponential(2)}, grad ${worst.grad.toExponential(2)}`);
  });

  it('has fixtures for every layer', () => {
    expect(new Set(fixture.cases.map((c) => c.kind))).toEqual(new Set(['MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d']));
  });

  it.each(fixture.cases.map((c) => [c.python, c] as const))('%s: output and input gradient match PyTorch', (_name, c) => {
    const layer = build(c);
    const x = tf.tensor(c.input, c.inputShape);
    const g = tf.tensor(c.gradOutput, c.outputShape);
    const y = layer.call(x);
    expect(y.shape).toEqual(c.outputShape);
    const ef = maxAbsError(values(y), c.output);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.forward(xx), g)))(x);
    expect(dx.shape).toEqual(c.inputShape);
    const eg = maxAbsError(values(dx), c.gradInput);
    worst.forward = Math.max(worst.forward, ef);
    worst.grad = Math.max(worst.grad, eg);
    expect(ef).toBeLessThan(TOL);
    expect(eg).toBeLessThan(TOL);
    tf.dispose([x, g, y, dx]);
    layer.dispose();
  });

  it.each(fixture.cases.map((c) => [c.python, c] as const))("%s: stepMode 'm' equals a loop of single steps", (_name, c) => {
    const s = build(c, 's');
    const m = build(c, 'm');
    const xSeq = tf.randomNormal([3, ...c.inputShape]);
    const ym = m.call(xSeq);
    const ys = tf.stack(tf.unstack(xSeq).map((xt) => s.call(xt)));
    expect(ym.shape).toEqual([3, ...c.outputShape]);
    expect(maxAbsError(values(ym), values(ys))).toBeLessThan(1e-6);
    tf.dispose([xSeq, ym, ys]);
  });

  it('round-trips through serialize / fromConfig', () => {
    for (const layer of [
      new MaxPool2d([2, 3], { stride: [2, 1], padding: 1, ceilMode: true, stepMode: 'm' }),
      new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      new AdaptiveAvgPool2d([null, 3]),
    ]) {
      const copy = fromConfig(serialize(layer));
      expect(copy.className).toBe(layer.className);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      const x = tf.randomNormal(layer.getConfig()['stepMode'] === 'm' ? [2, 1, 2, 6, 7] : [1, 2, 6, 7]);
      expect(values(copy.call(x))).toEqual(values(layer.call(x)));
    }
    expect(new MaxPool2d(2).getConfig()).toEqual({ stepMode: 's', kernelSize: 2, stride: [2, 2], padding: [0, 0], dilation: 1, ceilMode: false });
  });

  it('keeps tf.memory().numTensors flat over forward and backward passes', () => {
    const layers = [new MaxPool2d(3, { stride: 2, padding: 1 }), new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), new AdaptiveAvgPool2d([2, 3])];
    const x = tf.randomNormal([2, 3, 7, 7]);
    const run = () => {
      for (const l of layers) {
        l.call(x).dispose();
        tf.grad((xx: tf.Tensor) => tf.sum(l.forward(xx)))(x).dispose();
      }
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it("max pooling routes each window's gradient to its first maximum, as PyTorch (ties are common with spikes)", () => {
    // Expected values printed by torch 1.13: F.max_pool2d(x, 2).sum().backward() and
    // F.max_pool2d(zeros(1, 1, 3, 3), 2, stride=1, padding=1).sum().backward().
    const spikes = tf.tensor([1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1], [1, 1, 4, 4]);
    const pool = new MaxPool2d(2);
    expect(values(tf.grad((x: tf.Tensor) => tf.sum(pool.forward(x)))(spikes))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0]);
    const padded = new MaxPool2d(2, { stride: 1, padding: 1 });
    expect(values(tf.grad((x: tf.Tensor) => tf.sum(padded.forward(x)))(tf.zeros([1, 1, 3, 3])))).toEqual([4, 2, 2, 2, 1, 1, 2, 1, 1]);
    // Overlapping 3x3 windows, stride 2, padding 1, upstream gradient 1..9 (torch.manual_seed(3) spikes).
    const x5 = tf.tensor([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0], [1, 1, 5, 5]);
    const g3 = tf.range(1, 10).reshape([1, 1, 3, 3]);
    const overlap = new MaxPool2d(3, { stride: 2, padding: 1 });
    expect(values(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(overlap.forward(x), g3)))(x5))).toEqual([
      0, 0, 0, 0, 0, 0, 12, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 8, 9, 0, 7, 0, 0, 0, 0,
    ]);
  });

  it('max pooling pads with -Infinity, average pooling with zeros', () => {
    const x = tf.fill([1, 1, 2, 2], -5);
    // Every window of a 2x2 kernel with padding 1 holds one real cell: max -5, average -5/4.
    expect(values(new MaxPool2d(2, { stride: 1, padding: 1 }).call(x))).toEqual(Array(9).fill(-5));
    expect(values(new AvgPool2d(2, { stride: 1, padding: 1 }).call(x))[0]).toBeCloseTo(-1.25, 6);
    expect(values(new AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false }).call(x))).toEqual(Array(9).fill(-5));
  });

  it('rejects a kernel larger than the padded input with a named ShapeError', () => {
    const x = tf.zeros([1, 1, 2, 2]);
    expect(() => new MaxPool2d(5, { padding: 1 }).call(x)).toThrowError(ShapeError);
    expect(() => new MaxPool2d(5, { padding: 1 }).call(x)).toThrowError(/MaxPool2d\.forward: 'x' expected spatial size \[H, W\] of at least .*\[3, 3\].*but got shape \[1, 1, 2, 2\].*larger than the padded input/);
    expect(() => new AvgPool2d([1, 3]).call(x)).toThrowError(/AvgPool2d\.forward: 'x' expected .*\[1, 3\].*shape \[1, 1, 2, 2\]/);
    expect(() => new MaxPool2d(2).call(tf.zeros([1, 4, 4]))).toThrowError(/MaxPool2d\.forward: 'x' expected rank 4, but got rank 3/);
    expect(() => new AvgPool2d(2, { stepMode: 'm' }).call(tf.zeros([1, 1, 4, 4]))).toThrowError(/AvgPool2d\.forward: 'xSeq' expected rank 5/);
    expect(() => new AdaptiveAvgPool2d(2).call(tf.zeros([4, 4]))).toThrowError(ShapeError);
  });

  it('rejects bad options with a named ConfigError', () => {
    expect(() => new MaxPool2d(2, { dilation: 2 })).toThrowError(ConfigError);
    expect(() => new MaxPool2d(2, { dilation: [1, 2] })).toThrowError(/MaxPool2d: 'dilation' expected 1 .*but got \[1, 2\]/);
    expect(new MaxPool2d(2, { dilation: [1, 1] }).getConfig()['dilation']).toBe(1);
    expect(() => new MaxPool2d(3, { padding: 2 })).toThrowError(/MaxPool2d: 'padding' expected at most half of the kernel size/);
    expect(() => new AvgPool2d(0)).toThrowError(/AvgPool2d: 'kernelSize' expected an integer >= 1/);
    expect(() => new AvgPool2d(2, { stride: 1.5 })).toThrowError(ConfigError);
    expect(() => new AvgPool2d(2, { padding: -1 })).toThrowError(ConfigError);
    expect(() => new AvgPool2d(2, { countIncludePad: 'no' as unknown as boolean })).toThrowError(/'countIncludePad' expected a boolean/);
    expect(() => new AdaptiveAvgPool2d(0)).toThrowError(/AdaptiveAvgPool2d: 'outputSize' expected a positive integer/);
    expect(() => new AdaptiveAvgPool2d([2, 2, 2] as unknown as [number, number])).toThrowError(ConfigError);
  });
});
