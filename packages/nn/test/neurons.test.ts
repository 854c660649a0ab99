// Neuron modules beyond the golden data: typed errors for bad options and inputs, state handling
// (v, vSeq, reset, batch-size changes), eval mode, serialization, and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, fromConfig, serialize, setBackend } from '@snnts/core';
import { ATan, lifMultiStep, resetNet } from '@snnts/functional';
import { IFNode, LIFNode, ParametricLIFNode, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

describe.each(NODE_BACKENDS)('neuron modules on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('rejects tau <= 1 and a bad threshold with ConfigError naming the argument', () => {
    expect(() => new LIFNode({ tau: 1 })).toThrowError(ConfigError);
    expect(() => new LIFNode({ tau: 0.5 })).toThrowError(/LIFNode: 'tau' expected a finite number > 1, but got number 0.5/);
    expect(() => new ParametricLIFNode({ initTau: 1 })).toThrowError(/'initTau' expected a finite number > 1/);
    expect(() => new IFNode({ vThreshold: NaN })).toThrowError(/'vThreshold'/);
  });

  it('rejects an unknown surrogate name, listing the registered ones', () => {
    expect(() => new LIFNode({ surrogateFunction: { className: 'Atan' } })).toThrowError(ConfigError);
    expect(() => new LIFNode({ surrogateFunction: { className: 'Atan' } })).toThrowError(/getSurrogate: 'name' expected one of \[.*ATan.*Sigmoid.*\], but got 'Atan'/);
  });

  it('rejects a batch-size change without resetNet, and accepts it after', () => {
    const node = new LIFNode();
    node.call(tf.ones([4, 3]));
    expect(() => node.call(tf.ones([2, 3]))).toThrowError(ShapeError);
    expect(() => node.call(tf.ones([2, 3]))).toThrowError(/'v' expected shape \[2, 3\].*got shape \[4, 3\].*resetNet/);
    resetNet(node);
    expect(node.call(tf.ones([2, 3])).shape).toEqual([2, 3]);
    const m = new LIFNode({ stepMode: 'm' });
    m.call(tf.ones([5, 4, 3]));
    expect(() => m.call(tf.ones([5, 2, 3]))).toThrowError(/resetNet/);
    node.dispose();
    m.dispose();
  });

  it('exposes v (a number until the first step and after reset) and vSeq when storeVSeq', () => {
    const node = new LIFNode({ vReset: -0.1, stepMode: 'm', storeVSeq: true });
    expect(node.v).toBe(-0.1);
    const x = tf.randomNormal([6, 2, 3]);
    node.call(x);
    const ref = lifMultiStep(x, -0.1, { vReset: -0.1 }, { storeVSeq: true });
    expect(values(node.vSeq!)).toEqual(values(ref.vSeq!));
    expect(values(node.v as tf.Tensor)).toEqual(values(ref.v));
    node.reset();
    expect(node.v).toBe(-0.1);
    expect(node.vSeq).toBeNull();
    expect(new LIFNode({ vReset: null }).v).toBe(0);
  });

  it('eval mode gives the same spikes without a surrogate gradient', () => {
    const x = tf.randomNormal([5, 2, 3], 1, 1);
    const node = new LIFNode({ stepMode: 'm' });
    const train = values(node.call(x));
    node.reset();
    node.eval();
    expect(values(node.call(x))).toEqual(train);
    node.reset();
    const g = tf.grad((xi: tf.Tensor) => tf.sum(node.forward(xi)))(x);
    expect(Math.max(...values(g).map(Math.abs))).toBe(0);
    node.train();
    node.reset();
    const g2 = tf.grad((xi: tf.Tensor) => tf.sum(node.forward(xi)))(x);
    expect(Math.max(...values(g2).map(Math.abs))).toBeGreaterThan(0);
    node.dispose();
  });

  it('round-trips through getConfig / fromConfig', () => {
    const a = new LIFNode({ tau: 3.5, decayInput: false, vReset: null, detachReset: true, surrogateFunction: new ATan({ alpha: 3 }), stepMode: 'm' });
    const b = fromConfig(serialize(a)) as LIFNode;
    expect(b).toBeInstanceOf(LIFNode);
    expect(b.getConfig()).toEqual(a.getConfig());
    expect(b.surrogateFunction).toBeInstanceOf(ATan);
    const x = tf.randomNormal([4, 2, 3], 0.5, 1);
    expect(values(b.call(x))).toEqual(values(a.call(x)));
    const p = new ParametricLIFNode({ initTau: 3 });
    expect(p.tau).toBeCloseTo(3, 5);
    expect(Object.keys(new Sequential(p).stateDict())).toEqual(['0.w']);
  });

  it('does not grow tf.memory().numTensors across steps, multi-step runs and resets', () => {
    const nodes = [new IFNode(), new LIFNode({ storeVSeq: true }), new ParametricLIFNode({ storeVSeq: true })];
    const x = tf.randomNormal([3, 4]);
    const xs = tf.randomNormal([5, 3, 4]);
    const run = () => {
      for (const n of nodes) {
        n.stepMode = 's';
        for (let t = 0; t < 5; t++) n.call(x).dispose();
        n.reset();
        n.stepMode = 'm';
        n.call(xs).dispose();
        n.reset();
      }
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    nodes.forEach((n) => n.dispose());
  });

  it('PLIF learns: the gradient reaches w and matches a finite difference', () => {
    const node = new ParametricLIFNode({ initTau: 2, stepMode: 'm', surrogateFunction: new ATan({ spiking: false }) });
    const x = tf.randomNormal([6, 2, 3], 0.8, 0.5);
    const loss = () => tf.sum(node.forward(x)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss);
    node.reset();
    const g = grads[node.w.name]!.dataSync()[0]!;
    const eps = 1e-2;
    const at = (w: number) => {
      node.w.assign(tf.scalar(w));
      node.reset();
      return tf.tidy(() => loss().dataSync()[0]!);
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    expect(Math.abs(g - fd)).toBeLessThan(2e-2 * Math.max(1, Math.abs(fd)));
    expect(maxAbsError([g], [fd])).toBeLessThan(0.05);
    node.dispose();
  });
});
