/**
 * Training with `minimize` / `trainStep`: convergence on a quadratic and on a small Module,
 * gradient containers, parameters without gradients, lr changes, clipping and maximize.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect, beforeAll } from 'vitest';
import { Module, setBackend } from '@snnts/core';
import { Adam, AdamW, SGD, trainStep, type Optimizer } from '@snnts/optim';

beforeAll(async () => {
  await setBackend('cpu');
});

const TARGET = [1.5, -2, 0.25, 3];
/** f(w) = sum(c * (w - target)^2) with curvatures c from 0.5 to 2. */
function quadratic(w: tf.Variable): () => tf.Scalar {
  const target = tf.tensor1d(TARGET);
  const c = tf.tensor1d([0.5, 1, 1.5, 2]);
  return () => tf.sum(tf.mul(c, tf.square(tf.sub(w, target))));
}

describe('minimize converges on a quadratic', () => {
  it.each<[string, (w: tf.Variable) => Optimizer, number]>([
    ['SGD', (w) => new SGD([w], { lr: 0.1 }), 100],
    ['SGD momentum', (w) => new SGD([w], { lr: 0.05, momentum: 0.9 }), 200],
    ['SGD nesterov', (w) => new SGD([w], { lr: 0.05, momentum: 0.9, nesterov: true }), 200],
    ['Adam', (w) => new Adam([w], { lr: 0.1 }), 500],
    ['Adam amsgrad', (w) => new Adam([w], { lr: 0.1, amsgrad: true }), 500],
    ['AdamW (no decay)', (w) => new AdamW([w], { lr: 0.1, weightDecay: 0 }), 500],
  ])('%s', (_name, make, steps) => {
    const w = tf.variable(tf.zeros([4]));
    const opt = make(w);
    const f = quadratic(w);
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push(opt.minimize(f));
    expect(typeof losses[0]).toBe('number');
    expect(losses[0]).toBeCloseTo(0.5 * 1.5 ** 2 + 4 + 1.5 * 0.25 ** 2 + 2 * 9, 5);
    expect(losses.at(-1)!).toBeLessThan(1e-6);
    Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(TARGET[i]!, 3));
  });

  it('AdamW decay is decoupled: with zero gradients w shrinks by (1 - lr * wd) per step; Adam L2 does not', () => {
    const a = tf.variable(tf.tensor1d([2]));
    const b = tf.variable(tf.tensor1d([2]));
    const adamw = new AdamW([a], { lr: 0.01, weightDecay: 0.5 });
    const adam = new Adam([b], { lr: 0.01, weightDecay: 0.5 });
    for (let i = 0; i < 10; i++) {
      adamw.step(new Map([[a, tf.zeros([1])]]));
      adam.step(new Map([[b, tf.zeros([1])]]));
    }
    expect(a.dataSync()[0]).toBeCloseTo(2 * (1 - 0.01 * 0.5) ** 10, 6);
    // Adam normalises the L2 gradient wd * w, so it moves by about lr per step instead.
    expect(b.dataSync()[0]).toBeCloseTo(2 - 10 * 0.01, 3);
  });
});

class Affine extends Module {
  static override className = 'Affine';
  readonly w = this.registerParameter('weight', tf.randomNormal([3, 1], 0, 0.1, 'float32', 7));
  readonly b = this.registerParameter('bias', tf.zeros([1]));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.w), this.b);
  }
}

describe('training a Module', () => {
  it('opt.minimize(() => loss(net.call(x), y)) fits a linear model', () => {
    const net = new Affine();
    const x = tf.randomUniform([32, 3], -1, 1, 'float32', 3);
    const y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[2], [-1], [0.5]])), 0.3));
    const opt = new Adam(net.parameters(), { lr: 0.05 });
    const mse = (pred: tf.Tensor, target: tf.Tensor) => tf.mean(tf.square(tf.sub(pred, target))) as tf.Scalar;
    let loss = Infinity;
    for (let i = 0; i < 400; i++) loss = opt.minimize(() => mse(net.call(x), y));
    expect(loss).toBeLessThan(1e-5);
    expect(Array.from(net.b.dataSync())[0]).toBeCloseTo(0.3, 2);
    // trainStep is the same call as a free function.
    expect(trainStep(opt, () => mse(net.call(x), y))).toBeLessThan(1e-5);
    opt.dispose();
    net.dispose();
    tf.dispose([x, y]);
  });
});

describe('step()', () => {
  it('accepts a Map by variable or a Record by variable name, with the same result', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([1, 2]));
    const oa = new SGD([a], { lr: 0.1, momentum: 0.9 });
    const ob = new SGD([b], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 3; i++) {
      oa.step(new Map([[a, tf.tensor1d([0.5, -1])]]));
      ob.step({ [b.name]: tf.tensor1d([0.5, -1]) });
    }
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('leaves parameters without a gradient alone and ignores gradients of other variables', () => {
    const used = tf.variable(tf.tensor1d([1]));
    const unused = tf.variable(tf.tensor1d([5]));
    const frozen = tf.variable(tf.tensor1d([7]), false);
    const stranger = tf.variable(tf.tensor1d([9]));
    const opt = new Adam([used, unused, frozen], { lr: 0.1 });
    opt.minimize(() => tf.sum(tf.mul(tf.add(used, frozen), stranger)));
    opt.step(new Map([[stranger, tf.tensor1d([1])]]));
    expect(used.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect([unused.dataSync()[0], frozen.dataSync()[0], stranger.dataSync()[0]]).toEqual([5, 7, 9]);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
  });

  it('uses the current lr of each group (what schedulers change), and zeroGrad is a no-op', () => {
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new SGD([w], { lr: 0.1 });
    opt.zeroGrad();
    opt.step(new Map([[w, tf.tensor1d([1])]]));
    opt.paramGroups[0]!.lr = 0.5;
    opt.step(new Map([[w, tf.tensor1d([1])]]));
    expect(w.dataSync()[0]).toBeCloseTo(1 - 0.1 - 0.5, 6);
  });

  it('addParamGroup adds a group with its own hyperparameters', () => {
    const a = tf.variable(tf.tensor1d([1]));
    const b = tf.variable(tf.tensor1d([1]));
    const opt = new SGD([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 0.01 });
    opt.minimize(() => tf.add(tf.sum(a), tf.sum(b)));
    expect([a.dataSync()[0], b.dataSync()[0]].map((x) => +x!.toFixed(6))).toEqual([0.9, 0.99]);
  });

  it('maximize ascends', () => {
    const w = tf.variable(tf.tensor1d([0]));
    const opt = new SGD([w], { lr: 0.1, maximize: true });
    for (let i = 0; i < 60; i++) opt.minimize(() => tf.neg(tf.square(tf.sub(w, 1))).sum());
    expect(w.dataSync()[0]).toBeCloseTo(1, 3);
  });

  it('clipGradNorm scales the gradients to the given global norm', () => {
    const a = tf.variable(tf.tensor1d([0, 0]));
    const b = tf.variable(tf.tensor1d([0]));
    const opt = new SGD([a, b], { lr: 1 });
    // gradient (3, 0 | 4): norm 5, clipped to 1 -> (0.6, 0 | 0.8)
    opt.minimize(() => tf.add(tf.sum(tf.mul(a, tf.tensor1d([3, 0]))), tf.sum(tf.mul(b, 4))), { clipGradNorm: 1 });
    expect(Array.from(a.dataSync()).map((x) => +x.toFixed(5))).toEqual([-0.6, 0]);
    expect(b.dataSync()[0]).toBeCloseTo(-0.8, 5);
    // below the limit: unchanged
    opt.minimize(() => tf.sum(tf.mul(b, 0.5)), { clipGradNorm: 1 });
    expect(b.dataSync()[0]).toBeCloseTo(-1.3, 5);
  });
});
