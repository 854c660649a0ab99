// poissonEncode statistics and seeding; resetNet / setStepMode / detachNet and their snake_case
// aliases walking a module tree.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, MemoryModule, Module, ShapeError, manualSeed, setBackend } from '@snnts/core';
import { detachNet, detach_net, poissonEncode, resetNet, reset_net, setStepMode, set_step_mode } from '../src/index.js';
import { NODE_BACKENDS } from '../../../test/helpers/golden.js';

class Counter extends MemoryModule {
  static override className = 'Counter';
  constructor() {
    super();
    this.registerMemory('n', 0);
  }
  singleStepForward(x: tf.Tensor): tf.Tensor {
    const n = tf.add(this.getMemory('n'), 1);
    this.setMemory('n', n);
    return tf.add(x, n);
  }
}
class Pair extends Module {
  static override className = 'Pair';
  readonly a = this.registerModule('a', new Counter());
  readonly b = this.registerModule('b', new Counter());
  forward(x: tf.Tensor): tf.Tensor {
    return this.b.forward(this.a.forward(x));
  }
}

describe.each(NODE_BACKENDS)('encoders on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('poissonEncode fires with probability x (binomial bounds) and is binary', () => {
    const p = [0, 0.1, 0.5, 0.9, 1];
    const T = 4000;
    const s = poissonEncode(tf.tensor(p), { T, seed: 7 });
    expect(s.shape).toEqual([T, 5]);
    const data = s.dataSync();
    expect(data.every((v) => v === 0 || v === 1)).toBe(true);
    const rate = tf.mean(s, 0).dataSync();
    p.forEach((pi, i) => {
      const sd = Math.sqrt((pi * (1 - pi)) / T);
      expect(Math.abs(rate[i]! - pi)).toBeLessThanOrEqual(5 * sd + 1e-9);
    });
    expect(rate[0]).toBe(0);
    expect(rate[4]).toBe(1);
  });

  it('poissonEncode is reproducible under manualSeed and rejects out-of-range input', () => {
    manualSeed(11);
    const a = poissonEncode(tf.fill([3, 4], 0.5), { T: 5 }).dataSync();
    manualSeed(11);
    const b = poissonEncode(tf.fill([3, 4], 0.5), { T: 5 }).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = poissonEncode(tf.fill([3, 4], 0.5), { T: 5 }).dataSync();
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(() => poissonEncode(tf.tensor([0.5, 1.5]))).toThrowError(ShapeError);
    expect(() => poissonEncode(tf.tensor([0.5, 1.5]))).toThrowError(/poissonEncode: 'x' expected intensities in \[0, 1\]/);
    expect(() => poissonEncode(tf.tensor([0.5]), { T: 0 })).toThrowError(ConfigError);
  });
});

describe('network walkers', () => {
  it('resetNet resets every memory module in the tree (and the alias does the same)', () => {
    const net = new Pair();
    net.call(tf.zeros([2]));
    net.call(tf.zeros([2]));
    expect(Array.from((net.b.getMemory('n') as tf.Tensor).dataSync())).toEqual([2]);
    resetNet(net);
    expect(net.a.getMemory('n')).toBe(0);
    expect(net.b.getMemory('n')).toBe(0);
    net.call(tf.zeros([2]));
    reset_net(net);
    expect(net.b.getMemory('n')).toBe(0);
  });

  it('setStepMode switches every step module and validates the mode', () => {
    const net = new Pair();
    setStepMode(net, 'm');
    expect([net.a.stepMode, net.b.stepMode]).toEqual(['m', 'm']);
    set_step_mode(net, 's');
    expect([net.a.stepMode, net.b.stepMode]).toEqual(['s', 's']);
    expect(() => setStepMode(net, 'q' as 's')).toThrowError(/setStepMode: 'stepMode' expected 's' or 'm'/);
    expect(() => resetNet({} as Module)).toThrowError(/resetNet: 'net' expected a Module/);
  });

  it('detachNet keeps the state values and frees the old tensors', () => {
    const net = new Pair();
    net.call(tf.zeros([3]));
    const before = tf.memory().numTensors;
    detachNet(net);
    detach_net(net);
    expect(Array.from((net.a.getMemory('n') as tf.Tensor).dataSync())).toEqual([1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
