/**
 * Optimizer state dicts: PyTorch's shape (`state` by parameter index, `paramGroups` with indices),
 * cloned tensors, and a save / load in a fresh optimizer that continues the torch trajectory.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect, beforeAll } from 'vitest';
import { setBackend } from '@snnts/core';
import { Adam, SGD, type Optimizer } from '@snnts/optim';
import { fixture, gradsAt, makeOptimizer, makeParams, maxRelError } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function runSteps(opt: Optimizer, params: tf.Variable[], from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const g = gradsAt(params, k);
    opt.step(g);
    tf.dispose([...g.values()]);
  }
}

describe('stateDict', () => {
  it('is shaped like PyTorch: state by global index, groups with indices and hyperparameters', () => {
    const [a, b, c] = [tf.variable(tf.ones([2])), tf.variable(tf.ones([3])), tf.variable(tf.ones([1]))];
    const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.1, amsgrad: true }], { lr: 0.01 });
    // b gets no gradient, so (as in PyTorch) it has no state entry.
    opt.step(new Map([[a, tf.ones([2])], [c, tf.ones([1])]]));
    opt.step({ [a.name]: tf.ones([2]), [c.name]: tf.ones([1]) });
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual([
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1] },
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [2] },
    ]);
    expect(Object.keys(sd.state)).toEqual(['0', '2']);
    expect(Object.keys(sd.state[0]!).sort()).toEqual(['expAvg', 'expAvgSq', 'step']);
    expect(Object.keys(sd.state[2]!).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'step']);
    expect(sd.state[0]!['step']).toBe(2);
    // m after two unit gradients: 0.1 + 0.09 = 0.19
    expect(maxRelError((sd.state[0]!['expAvg'] as tf.Tensor).dataSync(), [0.19, 0.19])).toBeLessThan(1e-6);
    // Clones: disposing them (or mutating the returned groups) leaves the optimizer intact.
    tf.dispose(sd.state);
    sd.paramGroups[0]!.betas[0] = 0;
    expect(opt.paramGroups[0]!.betas).toEqual([0.9, 0.999]);
    opt.step(new Map([[a, tf.ones([2])]]));
    expect(opt.stateDict().state[0]!['step']).toBe(3);
  });

  it('SGD without momentum keeps no state; with momentum a momentumBuffer', () => {
    const w = tf.variable(tf.ones([2]));
    const plain = new SGD([w], { lr: 0.1 });
    plain.minimize(() => tf.sum(w));
    expect(plain.stateDict().state).toEqual({ 0: {} });
    const mom = new SGD([w], { lr: 0.1, momentum: 0.9 });
    expect(mom.stateDict().state).toEqual({});
    mom.minimize(() => tf.sum(w));
    expect(Object.keys(mom.stateDict().state[0]!)).toEqual(['momentumBuffer']);
  });
});

describe('loadStateDict', () => {
  it.each(['sgd_momentum', 'sgd_nesterov', 'adam_amsgrad', 'adamw_wd_amsgrad', 'adam_groups'])(
    '%s: save after 3 steps, load into a fresh optimizer, continue to torch step 5',
    (name) => {
      const c = fixture.optimizers.find((o) => o.name === name)!;
      const params = makeParams();
      const opt = makeOptimizer(c, params);
      runSteps(opt, params, 0, 3);
      const sd = opt.stateDict();
      opt.dispose();
      // A fresh optimizer with another lr: loading restores the saved hyperparameters too.
      const fresh = makeOptimizer(c, params, { lr: 99 });
      fresh.loadStateDict(sd);
      tf.dispose(sd.state);
      expect(fresh.paramGroups.map((g) => g.lr)).toEqual(c.groups.map((g) => g['lr'] ?? c.options['lr'] ?? 1e-3));
      runSteps(fresh, params, 3, 5);
      params.forEach((p, i) => expect(maxRelError(p.dataSync(), c.params[4]![i]!)).toBeLessThanOrEqual(1e-6));
      fresh.dispose();
      tf.dispose(params);
    },
  );
});

