/**
 * Memory: tf.memory().numTensors stays flat over 50 training steps for every optimizer (state is
 * kept, the previous state disposed), `dispose()` frees the state, and state survives a caller's
 * own tf.tidy around the step.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect, beforeAll } from 'vitest';
import { setBackend } from '@snnts/core';
import { Adam, AdamW, CosineAnnealingLR, SGD, StepLR, type Optimizer } from '@snnts/optim';
import { BACKENDS } from './helpers.js';

const CONFIGS: [string, (ps: tf.Variable[]) => Optimizer][] = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.01 })],
  ['SGD nesterov + weight decay', (ps) => new SGD(ps, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 })],
  ['SGD maximize + dampening', (ps) => new SGD(ps, { lr: 0.01, momentum: 0.9, dampening: 0.3, maximize: true })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.01 })],
  ['Adam amsgrad + weight decay', (ps) => new Adam(ps, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
  ['AdamW amsgrad, two groups', (ps) => new AdamW([{ params: [ps[0]!] }, { params: [ps[1]!], lr: 1e-3 }], { amsgrad: true })],
];

function problem() {
  const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 1));
  const b = tf.variable(tf.zeros([3]));
  const x = tf.randomNormal([8, 4], 0, 1, 'float32', 2);
  const y = tf.randomNormal([8, 3], 0, 1, 'float32', 3);
  const loss = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar;
  return { params: [w, b], loss, dispose: () => tf.dispose([w, b, x, y]) };
}

describe.each(BACKENDS)('memory on %s', (backend) => {
  beforeAll(async () => {
    expect(await setBackend(backend)).toBe(backend);
  });

  it.each(CONFIGS)('%s: minimize() is flat over 50 steps, dispose() frees the state', (_name, make) => {
    const p = problem();
    const before = tf.memory().numTensors;
    const opt = make(p.params);
    const sched = new StepLR(opt, { stepSize: 10, gamma: 0.5 });
    opt.minimize(p.loss);
    sched.step();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      opt.minimize(p.loss);
      sched.step();
      expect(tf.memory().numTensors).toBe(after1);
    }
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  it.each(CONFIGS)('%s: step(grads) from tf.variableGrads is flat over 50 steps', (_name, make) => {
    const p = problem();
    const opt = make(p.params);
    const stepOnce = () => {
      const { value, grads } = tf.variableGrads(p.loss, p.params);
      opt.step(grads);
      tf.dispose([value, grads]);
    };
    stepOnce();
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) stepOnce();
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    p.dispose();
  });

  it('state survives a tf.tidy around the step; stateDict / loadStateDict do not leak', () => {
    const p = problem();
    const opt = new Adam(p.params, { lr: 0.01, amsgrad: true });
    const sched = new CosineAnnealingLR(opt, { TMax: 20 });
    tf.tidy(() => {
      opt.minimize(p.loss);
    });
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      tf.tidy(() => opt.minimize(p.loss));
      sched.step();
      const sd = opt.stateDict();
      opt.loadStateDict(sd);
      tf.dispose(sd.state);
      expect(tf.memory().numTensors).toBe(after1);
    }
    expect(Number.isFinite(opt.minimize(p.loss))).toBe(true);
    opt.dispose();
    p.dispose();
  });
});
