// Conv2d against PyTorch 1.13 (fixtures from scripts/make_conv_fixtures.py): forward, input,
// weight and bias gradients within 1e-4 on cpu and wasm, for stride, padding ('same', reflect),
// dilation and groups; PyTorch's init bounds; 'm' equals 's' per step; typed errors; flat memory.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, manualSeed, setBackend } from '@snnts/core';
import { Conv2d, type Conv2dArgs } from '@snnts/nn';
import { NODE_BACKENDS, maxMixedError, values } from '../../../test/helpers/golden.js';
import type { ConvCase } from '../../../test/helpers/fixture_types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch_conv.json', import.meta.url), 'utf8')) as { cases: ConvCase[] };

/** PyTorch's snake_case kwargs to snnts options. */
function toArgs(a: Record<string, unknown>): Conv2dArgs {
  return {
    stride: a['stride'] as Conv2dArgs['stride'],
    padding: a['padding'] as Conv2dArgs['padding'],
    dilation: a['dilation'] as Conv2dArgs['dilation'],
    groups: a['groups'] as number | undefined,
    bias: a['bias'] as boolean | undefined,
    paddingMode: a['padding_mode'] as Conv2dArgs['paddingMode'],
  };
}

describe.each(NODE_BACKENDS)('Conv2d on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches PyTorch: %s', (_name, c) => {
    const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize, toArgs(c.args));
    const wShape = conv.weight.shape;
    conv.loadStateDict({
      weight: tf.tensor(c.weight, wShape),
      ...(c.bias ? { bias: tf.tensor(c.bias) } : {}),
    });
    const x = tf.tensor(c.x, c.xShape);
    const g = tf.tensor(c.g, c.yShape);
    const y = conv.call(x);
    expect(y.shape).toEqual(c.yShape);
    expect(maxMixedError(values(y), c.y)).toBeLessThan(1e-4);
    const vars = [conv.weight, ...(conv.bias ? [conv.bias] : [])];
    const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, ww: tf.Tensor, ...bb: tf.Tensor[]) => {
      // Gradients w.r.t. the input and the parameters through the layer's own forward.
      return tf.sum(tf.mul(convWith(conv, xx, ww, bb[0] ?? null), g)) as tf.Scalar;
    })([x, ...vars]);
    expect(maxMixedError(values(grads[0]!), c.grad_x)).toBeLessThan(1e-4);
    expect(maxMixedError(values(grads[1]!), c.grad_weight)).toBeLessThan(1e-4);
    if (c.grad_bias) expect(maxMixedError(values(grads[2]!), c.grad_bias)).toBeLessThan(1e-4);
    tf.dispose([x, g, y, value, ...grads]);
    conv.dispose();
  });

  it('variableGrads through the layer equal the fixture weight gradient', () => {
    const c = fixture.cases[0]!;
    const conv = new Conv2d(c.inChannels, c.outChannels, c.kernelSize, toArgs(c.args));
    conv.loadStateDict({ weight: tf.tensor(c.weight, conv.weight.shape), bias: tf.tensor(c.bias!) });
    const x = tf.tensor(c.x, c.xShape);
    const g = tf.tensor(c.g, c.yShape);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.forward(x), g)) as tf.Scalar, [conv.weight, conv.bias!]);
    expect(maxMixedError(values(grads[conv.weight.name]!), c.grad_weight)).toBeLessThan(1e-4);
    expect(maxMixedError(values(grads[conv.bias!.name]!), c.grad_bias!)).toBeLessThan(1e-4);
    tf.dispose([x, g, value, ...Object.values(grads)]);
    conv.dispose();
  });

  it("'m' mode equals 's' mode applied at each step", () => {
    manualSeed(3);
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: 2 });
    const xSeq = tf.randomNormal([4, 2, 2, 9, 9], 0, 1, 'float32', 7);
    const steps = tf.unstack(xSeq).map((x) => conv.call(x));
    conv.stepMode = 'm';
    const ySeq = conv.call(xSeq);
    expect(ySeq.shape).toEqual([4, 2, 3, 5, 5]);
    expect(maxMixedError(values(ySeq), values(tf.stack(steps)))).toBeLessThan(1e-6);
    tf.dispose([xSeq, ySeq, ...steps]);
    conv.dispose();
  });
});

/** The layer's convolution with explicit weight/bias tensors (so tf.grads can see them). */
function convWith(conv: Conv2d, x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
  const clone = Object.create(conv) as Conv2d;
  Object.defineProperty(clone, 'weight', { value: w });
  Object.defineProperty(clone, 'bias', { value: b });
  return clone.layerForward(x);
}

describe('Conv2d initialisation and errors', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('uses U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = inChannels/groups * kH * kW', () => {
    manualSeed(5);
    const conv = new Conv2d(16, 64, 3, { groups: 2 });
    expect(conv.weight.shape).toEqual([64, 8, 3, 3]);
    const bound = 1 / Math.sqrt(8 * 9);
    const w = values(conv.weight);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    const std = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(Math.abs(std - bound / Math.sqrt(3)) / (bound / Math.sqrt(3))).toBeLessThan(0.03);
    expect(Math.max(...values(conv.bias!).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Object.keys(conv.stateDict())).toEqual(['weight', 'bias']);
    conv.dispose();
  });

  it('rejects a wrong channel count, wrong ranks and a kernel larger than the padded input', () => {
    const conv = new Conv2d(3, 4, 5);
    expect(() => conv.call(tf.zeros([2, 1, 8, 8]))).toThrowError(ShapeError);
    expect(() => conv.call(tf.zeros([2, 1, 8, 8]))).toThrowError(/Conv2d\.forward: 'x' expected 3 channels \(inChannels\) on axis 1 of \[N, C, H, W\], but got 1 channels/);
    expect(() => conv.call(tf.zeros([2, 3, 8]))).toThrowError(/Conv2d\.forward: 'x' expected rank 4/);
    expect(() => conv.call(tf.zeros([2, 3, 4, 4]))).toThrowError(/conv2d: 'x' expected a padded input at least as large as the \(dilated\) kernel 5x5, but got padded input 4x4/);
    conv.stepMode = 'm';
    expect(() => conv.call(tf.zeros([2, 3, 8, 8]))).toThrowError(ShapeError);
    expect(() => conv.call(tf.zeros([2, 3, 8, 8]))).toThrowError(/rank 5/);
    expect(() => conv.call(tf.zeros([4, 2, 2, 8, 8]))).toThrowError(/'xSeq' expected 3 channels \(inChannels\) on axis 2 of \[T, N, C, H, W\]/);
    conv.dispose();
  });

  it('rejects bad configurations with ConfigError', () => {
    expect(() => new Conv2d(3, 4, 0)).toThrowError(ConfigError);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrowError(/'groups' expected a divisor of inChannels 3 and outChannels 4/);
    expect(() => new Conv2d(3, 4, 3, { padding: -1 })).toThrowError(ConfigError);
    expect(() => new Conv2d(3, 4, 3, { padding: 'full' as never })).toThrowError(ConfigError);
    expect(() => new Conv2d(3, 4, 3, { paddingMode: 'circular' as never })).toThrowError(/'paddingMode' expected 'zeros' or 'reflect'/);
    const strided = new Conv2d(3, 4, 3, { padding: 'same', stride: 2 });
    expect(() => strided.call(tf.zeros([1, 3, 8, 8]))).toThrowError(/'padding' expected 'same' with stride 1/);
  });

  it('keeps the tensor count flat over training steps', () => {
    const conv = new Conv2d(2, 4, 3, { padding: 1, stepMode: 'm' });
    const x = tf.randomNormal([2, 3, 2, 6, 6]);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(conv.forward(x))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    conv.dispose();
  });
});
