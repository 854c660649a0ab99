// Layers, containers and losses against closed forms: Linear (PyTorch init bounds, forward and
// gradients), Flatten, SeqToANNContainer / MultiStepContainer (equal to explicit loops),
// CrossEntropyLoss / MSELoss (hand-computed), and the typed errors for bad input.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, StepModeError, manualSeed, setBackend } from '@snnts/core';
import { setStepMode } from '@snnts/functional';
import { CrossEntropyLoss, Flatten, IFNode, LIFNode, Linear, MSELoss, MultiStepContainer, ReLU, SeqToANNContainer, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

describe.each(NODE_BACKENDS)('layers on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('Linear uses PyTorch default init U(-1/sqrt(in), 1/sqrt(in))', () => {
    manualSeed(1);
    const fc = new Linear(400, 300);
    const w = values(fc.weight);
    const b = 1 / Math.sqrt(400);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(b);
    const mean = w.reduce((a, c) => a + c, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, c) => a + (c - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(b / 50);
    expect(Math.abs(std - b / Math.sqrt(3)) / (b / Math.sqrt(3))).toBeLessThan(0.02);
    expect(Math.max(...values(fc.bias!).map(Math.abs))).toBeLessThanOrEqual(b);
    fc.dispose();
  });

  it('Linear forward and gradients equal the closed form', () => {
    const fc = new Linear(3, 2);
    fc.loadStateDict({ weight: tf.tensor([[1, 2, 3], [-1, 0.5, 2]]), bias: tf.tensor([0.1, -0.2]) });
    const x = tf.tensor([[1, 0, -1], [2, 1, 0.5]]);
    const y = fc.call(x);
    // y = x W^T + b
    expect(maxAbsError(values(y), [1 - 3 + 0.1, -1 - 2 - 0.2, 2 + 2 + 1.5 + 0.1, -2 + 0.5 + 1 - 0.2])).toBeLessThan(1e-6);
    const G = tf.tensor([[1, 2], [3, -1]]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(fc.forward(x), G)) as tf.Scalar);
    // dW = G^T x, db = sum_n G
    expect(maxAbsError(values(grads[fc.weight.name]!), [1 + 6, 3, -1 + 1.5, 2 - 2, -1, -2 - 0.5])).toBeLessThan(1e-5);
    expect(maxAbsError(values(grads[fc.bias!.name]!), [4, 1])).toBeLessThan(1e-6);
    tf.dispose([x, y, G, ...Object.values(grads)]);
    fc.dispose();
  });

  it('Linear rejects a wrong feature size with a named ShapeError', () => {
    const fc = new Linear(784, 10);
    expect(() => fc.call(tf.zeros([2, 100]))).toThrowError(ShapeError);
    expect(() => fc.call(tf.zeros([2, 100]))).toThrowError(/Linear\.forward: 'x' expected last dimension 784.*shape \[2, 100\]/);
    expect(() => new Linear(0, 3)).toThrowError(ConfigError);
    fc.dispose();
  });

  it('Flatten keeps N in single-step and T, N in multi-step mode', () => {
    expect(new Flatten().call(tf.zeros([2, 1, 28, 28])).shape).toEqual([2, 784]);
    expect(new Flatten({ stepMode: 'm' }).call(tf.zeros([4, 2, 1, 28, 28])).shape).toEqual([4, 2, 784]);
  });

  it('SeqToANNContainer equals applying its layers at every step', () => {
    const c = new SeqToANNContainer(new Flatten(), new Linear(12, 5), new ReLU());
    const x = tf.randomNormal([4, 3, 3, 2, 2]);
    const y = c.call(x);
    expect(y.shape).toEqual([4, 3, 5]);
    const manual = tf.stack(tf.unstack(x).map((xt) => c.children().reduce((h, m) => m.call(h), xt)));
    expect(maxAbsError(values(y), values(manual))).toBeLessThan(1e-6);
    c.dispose();
  });

  it('SeqToANNContainer rejects single-step input and stateful children', () => {
    const c = new SeqToANNContainer(new Linear(4, 2));
    expect(() => c.call(tf.zeros([3, 4]))).toThrowError(StepModeError);
    expect(() => c.call(tf.zeros([3, 4]))).toThrowError(/SeqToANNContainer\.forward: 'xSeq' expected a multi-step tensor/);
    expect(() => new SeqToANNContainer(new LIFNode())).toThrowError(/stateful LIFNode/);
    c.dispose();
  });

  it('MultiStepContainer equals an explicit loop of single steps', () => {
    manualSeed(3);
    const c = new MultiStepContainer(new Linear(4, 3), new IFNode({ vThreshold: 0.5 }));
    const x = tf.randomNormal([6, 2, 4]);
    const y = values(c.call(x));
    const fc = c.children()[0] as Linear;
    const node = new IFNode({ vThreshold: 0.5 });
    const manual = tf.stack(tf.unstack(x).map((xt) => node.call(fc.call(xt))));
    expect(y).toEqual(values(manual));
    node.dispose();
    c.dispose();
  });

  it('MultiStepContainer rejects a multi-step child, naming its class', () => {
    const node = new LIFNode();
    const c = new MultiStepContainer(node);
    node.stepMode = 'm';
    expect(() => c.call(tf.zeros([2, 1, 3]))).toThrowError(/modules\[0\] \(LIFNode\)\.stepMode' expected 's'/);
    c.dispose();
  });

  it('setStepMode sets neurons and leaves container children single-step', () => {
    const net = new Sequential(new SeqToANNContainer(new Flatten(), new Linear(4, 2)), new LIFNode(), new Flatten());
    setStepMode(net, 'm');
    expect((net.at(1) as LIFNode).stepMode).toBe('m');
    expect((net.at(2) as Flatten).stepMode).toBe('m');
    expect(((net.at(0) as SeqToANNContainer).children()[0] as Flatten).stepMode).toBe('s');
    expect(() => setStepMode(net, 'x' as 's')).toThrowError(ConfigError);
    net.dispose();
  });

  it('CrossEntropyLoss matches the hand-computed value, with class indices or probabilities', () => {
    const logits = [[2, 0, -1], [0.5, 0.5, 3]];
    const labels = [0, 2];
    const expected =
      labels.reduce((acc, y, n) => {
        const row = logits[n]!;
        const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
        return acc + (lse - row[y]!);
      }, 0) / 2;
    const ce = new CrossEntropyLoss();
    expect(Math.abs(ce.call(tf.tensor(logits), tf.tensor1d(labels, 'int32')).dataSync()[0]! - expected)).toBeLessThan(1e-6);
    expect(Math.abs(ce.call(tf.tensor(logits), tf.oneHot(tf.tensor1d(labels, 'int32'), 3)).dataSync()[0]! - expected)).toBeLessThan(1e-6);
    expect(() => ce.call(tf.tensor(logits), tf.tensor1d([0], 'int32'))).toThrowError(ShapeError);
    expect(() => new CrossEntropyLoss({ reduction: 'avg' as 'mean' })).toThrowError(ConfigError);
  });

  it('MSELoss matches the hand-computed value', () => {
    const mse = new MSELoss();
    expect(mse.call(tf.tensor([0.5, 1, 0]), tf.tensor([0, 1, 1])).dataSync()[0]).toBeCloseTo((0.25 + 0 + 1) / 3, 6);
    expect(new MSELoss({ reduction: 'sum' }).call(tf.tensor([0.5, 1, 0]), tf.tensor([0, 1, 1])).dataSync()[0]).toBeCloseTo(1.25, 6);
    expect(() => mse.call(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrowError(ShapeError);
  });
});
