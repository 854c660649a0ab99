/**
 * The composable core on its own: chain, applyUpdates and the transforms, used optax-style
 * (pure state in, state out), reproduce the PyTorch numbers the classes are built on.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect, beforeAll } from 'vitest';
import { setBackend } from '@snnts/core';
import {
  addDecayedWeights, applyUpdates, chain, scale, scaleByAdam, scaleByLearningRate, trace, type OptState,
} from '@snnts/optim';
import { fixture, gradsAt, makeParams, maxRelError } from './helpers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('transforms', () => {
  it('trace: first step b = g (no dampening), then mu * b + (1 - tau) * g; nesterov g + mu * b', () => {
    const p = tf.zeros([1]);
    const g = tf.tensor1d([1]);
    const tx = trace({ momentum: 0.9, dampening: 0.5 });
    const s0 = tx.init([p]);
    expect(s0).toEqual([{}]);
    const r1 = tx.update([g], s0, [p]);
    const r2 = tx.update([g], r1.state, [p]);
    expect(r1.updates[0]!.dataSync()[0]).toBeCloseTo(1, 6);
    expect(r2.updates[0]!.dataSync()[0]).toBeCloseTo(0.9 + 0.5, 6);
    expect(s0).toEqual([{}]); // pure: the input state is untouched
    const nes = trace({ momentum: 0.9, nesterov: true });
    expect(nes.update([g], nes.init([p]), [p]).updates[0]!.dataSync()[0]).toBeCloseTo(1.9, 6);
  });

  it('scale, scaleByLearningRate, addDecayedWeights', () => {
    const p = tf.tensor1d([2, 4]);
    const g = tf.tensor1d([1, -1]);
    const tx = chain(scale(-1), addDecayedWeights(0.5), scaleByLearningRate(0.1));
    const { updates } = tx.update([g], tx.init([p]), [p]);
    expect(Array.from(updates[0]!.dataSync()).map((x) => +x.toFixed(6))).toEqual([0, -0.3]);
  });

  it('chain merges the per-parameter state of its parts', () => {
    const tx = chain(trace({ momentum: 0.5 }), scaleByAdam({ amsgrad: true }), scaleByLearningRate(1));
    expect(tx.stateKeys).toEqual(['momentumBuffer', 'step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    const p = tf.zeros([3]);
    const s = tx.update([tf.ones([3])], tx.init([p]), [p]).state;
    expect(Object.keys(s[0]!).sort()).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq', 'momentumBuffer', 'step']);
  });

  it('optax-style use of chain(scaleByAdam, scaleByLearningRate) + applyUpdates reproduces torch Adam', () => {
    const c = fixture.optimizers.find((o) => o.name === 'adam_lr')!;
    const params = makeParams();
    const [b1, b2] = c.options['betas'] as [number, number];
    const tx = chain(scaleByAdam({ b1, b2 }), scaleByLearningRate(c.options['lr'] as number));
    let state: OptState = tf.tidy(() => tx.init(params)); // zeros are kept below
    state.forEach((s) => Object.values(s).forEach((v) => v instanceof tf.Tensor && tf.keep(v)));
    c.params.forEach((expected, k) => {
      const grads = [...gradsAt(params, k).values()];
      const next = tf.tidy(() => {
        const r = tx.update(grads, state, params);
        applyUpdates(params, r.updates);
        r.state.forEach((s) => Object.values(s).forEach((v) => v instanceof tf.Tensor && tf.keep(v)));
        return r.state;
      });
      tf.dispose(state);
      tf.dispose(grads);
      state = next;
      params.forEach((p, i) => expect(maxRelError(p.dataSync(), expected[i]!)).toBeLessThanOrEqual(1e-6));
    });
    expect(state[0]!['step']).toBe(c.params.length);
    tf.dispose(state);
    tf.dispose(params);
  });
});
