// Time-invariant hoisting (containers/time_invariant.ts, SeqToANNContainer): over a sequence made
// by repeatOverTime, the stateless layers run once on [N, ...] instead of [T*N, ...]; outputs,
// parameter gradients and BatchNorm's normalisation equal the unhoisted run; a layer that is not
// registered time-invariant disables hoisting; no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { manualSeed, setBackend } from '@snnts/core';
import { ATan, repeatOverTime, repeatedFrame, resetNet, setStepMode } from '@snnts/functional';
import { BatchNorm2d, Conv2d, Flatten, LIFNode, Linear, MaxPool2d, SeqToANNContainer, Sequential, StepLayer, isTimeInvariant, registerTimeInvariant } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

class Shift extends StepLayer {
  static override className = 'HoistTestShift';
  layerForward(x: tf.Tensor) {
    return tf.add(x, 1);
  }
}

function csnn() {
  manualSeed(3);
  const lif = () => new LIFNode({ tau: 2, detachReset: true, surrogateFunction: new ATan() });
  const net = new Sequential(
    new SeqToANNContainer(new Conv2d(1, 4, 3, { padding: 1, bias: false }), new BatchNorm2d(4), new MaxPool2d(2)),
    lif(),
    new SeqToANNContainer(new Flatten(), new Linear(4 * 4 * 4, 3)),
    lif(),
  );
  setStepMode(net, 'm');
  return net;
}

describe.each(NODE_BACKENDS)('hoisting over repeatOverTime on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('repeatOverTime equals stacking the frame and is marked; its gradient sums over time', () => {
    const x = tf.randomNormal([2, 3], 0, 1, 'float32', 1);
    const seq = repeatOverTime(x, 4);
    expect(values(seq)).toEqual(values(tf.stack([x, x, x, x])));
    expect(repeatedFrame(seq)?.T).toBe(4);
    expect(repeatedFrame(tf.reshape(seq, [4, 6]))).toBeNull();
    const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(repeatOverTime(xi, 4), tf.range(1, 5).reshape([4, 1, 1]))))(x);
    expect(values(g)).toEqual(new Array(6).fill(10));
    tf.dispose([x, seq, g]);
  });

  it('time-invariance registry: built-in layers yes, neurons and unregistered layers no', () => {
    expect(isTimeInvariant(new Linear(2, 2))).toBe(true);
    expect(isTimeInvariant(new Sequential(new Flatten(), new Linear(2, 2)))).toBe(true);
    expect(isTimeInvariant(new LIFNode())).toBe(false);
    expect(isTimeInvariant(new Shift())).toBe(false);
    registerTimeInvariant('HoistTestShift2');
    class Shift2 extends Shift {
      static override className = 'HoistTestShift2';
    }
    expect(isTimeInvariant(new Shift2())).toBe(true);
  });

  it('SeqToANNContainer runs its layers once on the frame, with the same output', () => {
    const fc = new Linear(5, 3);
    const c = new SeqToANNContainer(fc);
    const x = tf.randomNormal([2, 5], 0, 1, 'float32', 2);
    const spy = vi.spyOn(fc, 'forward');
    const hoisted = c.forward(repeatOverTime(x, 6));
    expect(spy.mock.calls[0]![0].shape).toEqual([2, 5]);
    expect(repeatedFrame(hoisted)?.T).toBe(6);
    const plain = c.forward(tf.stack(new Array<tf.Tensor>(6).fill(x)));
    expect(spy.mock.calls[1]![0].shape).toEqual([12, 5]);
    expect(maxAbsError(values(hoisted), values(plain))).toBeLessThan(1e-6);
    const c2 = new SeqToANNContainer(new Linear(5, 5), new Shift());
    const spy2 = vi.spyOn(c2.children()[0]!, 'forward');
    c2.forward(repeatOverTime(x, 6));
    expect(spy2.mock.calls[0]![0].shape).toEqual([12, 5]);
    c.dispose();
    c2.dispose();
    x.dispose();
  });

  it('a Conv-BN-Pool-LIF net: same spikes, loss and parameter gradients hoisted or not', () => {
    const x = tf.randomUniform([3, 1, 8, 8], 0, 1, 'float32', 4);
    const run = (marked: boolean) => {
      const net = csnn();
      const { value, grads } = tf.variableGrads(() => {
        const xs = marked ? repeatOverTime(x, 5) : tf.stack(new Array<tf.Tensor>(5).fill(x));
        return tf.sum(tf.mul(net.forward(xs), tf.range(1, 4).reshape([1, 1, 3]))) as tf.Scalar;
      }, net.parameters());
      const out = { loss: value.dataSync()[0]!, grads: net.parameters().map((p) => values(grads[p.name]!)) };
      tf.dispose([value, ...Object.values(grads)]);
      resetNet(net);
      net.dispose();
      return out;
    };
    const a = run(true);
    const b = run(false);
    expect(a.loss).toBeCloseTo(b.loss, 4);
    a.grads.forEach((g, i) => expect(maxAbsError(g, b.grads[i]!)).toBeLessThan(1e-4));
    x.dispose();
  });

  it('keeps tf.memory().numTensors flat over hoisted training steps', () => {
    const net = csnn();
    const x = tf.randomUniform([2, 1, 8, 8], 0, 1, 'float32', 5);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(repeatOverTime(x, 3))) as tf.Scalar, net.parameters());
      tf.dispose([value, ...Object.values(grads)]);
      resetNet(net);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    x.dispose();
  });
});
