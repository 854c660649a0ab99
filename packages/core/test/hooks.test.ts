// Forward hooks (Module.registerForwardHook / registerForwardPreHook, src/hooks.ts): called once
// per forward with live tensors, in registration order, also when a parent runs the module as a
// child; removable (idempotent, the forward wrapper goes with the last hook); pre-hooks can
// replace inputs; multi-step modules call them once per sequence; no tensor leaks, even when a
// hook throws.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, MemoryModule, Module, setBackend, type ForwardHook } from '../src/index.js';

/** `y = 2 x`. */
class Double extends Module {
  static override className = 'Double';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, 2);
  }
}

/** Runs two children by calling their `forward`, as the nn containers do. */
class Chain extends Module {
  static override className = 'Chain';
  readonly a = this.registerModule('a', new Double());
  readonly b = this.registerModule('b', new Double());
  forward(x: tf.Tensor): tf.Tensor {
    return this.b.forward(this.a.forward(x));
  }
}

/** Running sum over steps; output = state + 0 (a fresh tensor). */
class Sum extends MemoryModule {
  static override className = 'Sum';
  constructor() {
    super();
    this.registerMemory('s', 0);
  }
  singleStepForward(x: tf.Tensor): tf.Tensor {
    const s = tf.add(this.getMemory('s'), x);
    this.setMemory('s', s);
    return tf.add(s, 0);
  }
}

describe('forward hooks', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('are called once per call with the module, the inputs and the live output', () => {
    const m = new Double();
    const seen: { module: Module; inputs: number[][]; output: number[] }[] = [];
    m.registerForwardHook((module, inputs, output) => {
      seen.push({ module, inputs: inputs.map((t) => Array.from(t.dataSync())), output: Array.from(output.dataSync()) });
    });
    const y = m.call([1, 2]);
    expect(Array.from(y.dataSync())).toEqual([2, 4]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.module).toBe(m);
    expect(seen[0]!.inputs).toEqual([[1, 2]]);
    expect(seen[0]!.output).toEqual([2, 4]);
    m.call([3]);
    expect(seen).toHaveLength(2);
    y.dispose();
  });

  it('run in registration order, pre-hooks before forward and post-hooks after', () => {
    const m = new Double();
    const order: string[] = [];
    m.registerForwardPreHook(() => void order.push('pre1'));
    m.registerForwardHook(() => void order.push('post1'));
    m.registerForwardPreHook(() => void order.push('pre2'));
    m.registerForwardHook(() => void order.push('post2'));
    m.registerForwardHook(() => void order.push('post3'));
    m.call([1]).dispose();
    expect(order).toEqual(['pre1', 'pre2', 'post1', 'post2', 'post3']);
  });

  it('are removable; remove() twice is harmless and the wrapper goes with the last hook', () => {
    const m = new Double();
    let a = 0;
    let b = 0;
    const ha = m.registerForwardHook(() => void a++);
    const hb = m.registerForwardPreHook(() => void b++);
    expect(Object.hasOwn(m, 'forward')).toBe(true);
    m.call([1]).dispose();
    ha.remove();
    ha.remove();
    m.call([1]).dispose();
    expect([a, b]).toEqual([1, 2]);
    hb.remove();
    expect(Object.hasOwn(m, 'forward')).toBe(false);
    m.call([1]).dispose();
    expect([a, b]).toEqual([1, 2]);
    // Registering again after everything was removed works, and old handles stay inert.
    const hc = m.registerForwardHook(() => void a++);
    ha.remove();
    m.call([1]).dispose();
    expect(a).toBe(2);
    hc.remove();
  });

  it('fire on children run by a parent through forward, and the parent sees the final output', () => {
    const net = new Chain();
    const log: [string, number[]][] = [];
    const hook = (name: string): ForwardHook<Module> => (_m, _inputs, out) => void log.push([name, Array.from(out.dataSync())]);
    net.a.registerForwardHook(hook('a'));
    net.b.registerForwardHook(hook('b'));
    net.registerForwardHook(hook('net'));
    net.call([1, 3]).dispose();
    expect(log).toEqual([
      ['a', [2, 6]],
      ['b', [4, 12]],
      ['net', [4, 12]],
    ]);
  });

  it('a pre-hook can replace the inputs (the post-hook sees the replaced ones)', () => {
    const m = new Double();
    let seenInput: number[] = [];
    m.registerForwardPreHook((_m, [x]) => [tf.add(x!, 10)]);
    m.registerForwardHook((_m, [x]) => void (seenInput = Array.from(x!.dataSync())));
    const y = m.call([1, 2]);
    expect(Array.from(y.dataSync())).toEqual([22, 24]);
    expect(seenInput).toEqual([11, 12]);
    y.dispose();
  });

  it('multi-step modules call their hooks once per sequence with the [T, N, ...] output', () => {
    const s = new Sum();
    s.stepMode = 'm';
    const shapes: number[][] = [];
    s.registerForwardHook((_m, _i, out) => void shapes.push(out.shape));
    const y = s.call(tf.ones([4, 2, 3]));
    expect(shapes).toEqual([[4, 2, 3]]);
    expect(Array.from(y.dataSync()).slice(-3)).toEqual([4, 4, 4]);
    y.dispose();
    s.dispose();
  });

  it('leak no tensors: hooks that compute, keep-and-dispose, or throw', () => {
    const net = new Chain();
    const kept: tf.Tensor[] = [];
    net.a.registerForwardHook((_m, _i, out) => void tf.sum(out).dataSync());
    const hb = net.b.registerForwardHook((_m, _i, out) => void kept.push(tf.keep(out.clone())));
    const x = tf.ones([8]);
    net.call(x).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) net.call(x).dispose();
    expect(tf.memory().numTensors).toBe(before + 50);
    expect(Array.from(kept[10]!.dataSync())).toEqual(new Array(8).fill(4));
    tf.dispose(kept);
    expect(tf.memory().numTensors).toBe(before - 1);
    hb.remove();
    const n = tf.memory().numTensors;
    const bad = net.a.registerForwardHook(() => {
      tf.zeros([100]);
      throw new Error('boom');
    });
    expect(() => net.call(x)).toThrowError('boom');
    expect(tf.memory().numTensors).toBe(n);
    bad.remove();
    x.dispose();
  });

  it('reject a hook that is not a function with a named ConfigError', () => {
    const m = new Double();
    expect(() => m.registerForwardHook(42 as unknown as ForwardHook)).toThrowError(ConfigError);
    expect(() => m.registerForwardPreHook(null as never)).toThrowError(/Double\.registerForwardPreHook: 'hook' expected a function, but got object/);
    expect(Object.hasOwn(m, 'forward')).toBe(false);
  });
});
