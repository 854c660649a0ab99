// Time-chunked inference (containers/time_chunk.ts) and step-layer hoisting: in eval mode without a
// gradient tape, Sequential runs a multi-step sequence in time chunks, with exactly the outputs and
// neuron states of one whole call, a smaller peak (tf.profile's peakBytes), and whole calls
// wherever a split would show (training, a tape, hooks, storeVSeq, unknown modules). A stateless
// layer in 'm' mode runs once on a repeated frame; hoisted BatchNorm counts all T·N frames in its
// running variance.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { manualSeed, setBackend } from '@snnts/core';
import { ATan, repeatOverTime, repeatedFrame, resetNet, setStepMode } from '@snnts/functional';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  IFNode,
  LIFNode,
  Linear,
  MaxPool2d,
  SeqToANNContainer,
  Sequential,
  StepLayer,
  isTimeLocal,
  setTimeChunkBudget,
  timeChunkLengths,
} from '@snnts/nn';
import { NODE_BACKENDS, values } from '../../../test/helpers/golden.js';

class Shift extends StepLayer {
  static override className = 'ChunkTestShift';
  layerForward(x: tf.Tensor) {
    return tf.add(x, 1);
  }
}

/** Conv-BN-LIF-Pool then Flatten-Linear-IF, in 'm' mode, eval, with non-trivial BN statistics. */
function convNet(): Sequential {
  manualSeed(5);
  const net = new Sequential(
    new SeqToANNContainer(new Conv2d(1, 4, 3, { padding: 1 }), new BatchNorm2d(4)),
    new LIFNode({ tau: 2, surrogateFunction: new ATan() }),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(4 * 4 * 4, 5),
    new IFNode({ vThreshold: 0.5, vReset: null }),
  );
  setStepMode(net, 'm');
  const stats = { '0.1.running_mean': tf.tensor1d([0.1, -0.2, 0.3, 0]), '0.1.running_var': tf.tensor1d([0.5, 2, 1.5, 0.8]) };
  net.loadStateDict({ ...net.stateDict(), ...stats });
  tf.dispose(Object.values(stats));
  net.eval();
  return net;
}

/** The potentials of every neuron in `net`, in order. */
const potentials = (net: Sequential) => net.modules().filter((m) => m instanceof LIFNode || m instanceof IFNode).map((m) => values((m as LIFNode).v as tf.Tensor));

/** Output, final potentials and peak bytes (tf.profile) of one call with the given chunk budget (0: whole). */
async function measure(net: Sequential, x: () => tf.Tensor, budget: number): Promise<{ y: number[]; v: number[][]; peak: number }> {
  const was = setTimeChunkBudget(budget);
  try {
    let y: number[] = [];
    const p = await tf.profile(() => {
      const out = net.call(x());
      y = values(out);
      out.dispose();
    });
    const v = potentials(net);
    resetNet(net);
    return { y, v, peak: p.peakBytes };
  } finally {
    setTimeChunkBudget(was);
  }
}

describe('timeChunkLengths', () => {
  it('splits T into near-equal chunks that fit the budget, or null when the sequence fits', () => {
    expect(timeChunkLengths(25, 1_000_000, 4_000_000)).toEqual([4, 4, 4, 4, 3, 3, 3]);
    expect(timeChunkLengths(32, 1_000, 8_000)).toEqual([8, 8, 8, 8]);
    expect(timeChunkLengths(10, 100, 1_000)).toBeNull();
    expect(timeChunkLengths(10, 5_000, 1_000)).toEqual(new Array(10).fill(1));
    expect(timeChunkLengths(10, 100, 0)).toBeNull();
    expect(() => setTimeChunkBudget(-1)).toThrow(/setTimeChunkBudget.*elements.*-1/);
  });
});

describe.each(NODE_BACKENDS)('time-chunked inference on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('gives exactly the whole call\'s output and neuron states, chunk by chunk, with a smaller peak', async () => {
    const net = convNet();
    const lif = net.at(1) as LIFNode;
    const x = tf.randomUniform([16, 3, 1, 8, 8], 0, 1.5, 'float32', 7);
    const spy = vi.spyOn(lif, 'multiStepForward');
    const whole = await measure(net, () => x, 0);
    expect(spy.mock.calls.map((c) => c[0].shape[0])).toEqual([16]);
    const chunked = await measure(net, () => x, 4 * 3 * 8 * 8); // 4 steps of [3, 1, 8, 8] per chunk
    expect(spy.mock.calls.slice(1).map((c) => c[0].shape[0])).toEqual([4, 4, 4, 4]);
    expect(chunked.y).toEqual(whole.y);
    chunked.v.forEach((v, i) => expect(v).toEqual(whole.v[i]));
    expect(whole.y.some((s) => s !== 0)).toBe(true);
    expect(chunked.peak).toBeLessThan(0.5 * whole.peak);
    net.dispose();
    x.dispose();
  });

  it('a repeated input runs the leading time-invariant layers once on the frame, never over T', async () => {
    const net = convNet();
    const conv = (net.at(0) as SeqToANNContainer).children()[0] as Conv2d;
    const frame = tf.randomUniform([3, 1, 8, 8], 0, 1.5, 'float32', 8);
    const spy = vi.spyOn(conv, 'forward');
    const whole = await measure(net, () => tf.stack(new Array<tf.Tensor>(12).fill(frame)), 0);
    const chunked = await measure(net, () => repeatOverTime(frame, 12), 3 * 3 * 4 * 8 * 8); // 3 steps of the hoisted [3, 4, 8, 8]
    expect(spy.mock.calls.map((c) => c[0].shape)).toEqual([
      [36, 1, 8, 8],
      [3, 1, 8, 8],
    ]);
    expect(chunked.y).toEqual(whole.y);
    chunked.v.forEach((v, i) => expect(v).toEqual(whole.v[i]));
    net.dispose();
    frame.dispose();
  });

  it('hoists a time-invariant prefix inside nested Sequentials, and repeats the frame once per chunk length', async () => {
    manualSeed(6);
    const lif = new LIFNode({ tau: 2 });
    const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new Sequential(new BatchNorm2d(4), lif), new MaxPool2d(2), new Flatten(), new Linear(64, 3));
    setStepMode(net, 'm');
    net.eval();
    const bn = (net.at(1) as Sequential).at(0) as BatchNorm2d;
    const frame = tf.randomUniform([3, 1, 8, 8], 0, 1.5, 'float32', 13);
    const bnSpy = vi.spyOn(bn, 'layerForward');
    const lifSpy = vi.spyOn(lif, 'multiStepForward');
    const whole = await measure(net, () => repeatOverTime(frame, 10), 0);
    const chunked = await measure(net, () => repeatOverTime(frame, 10), 3 * 3 * 4 * 8 * 8);
    expect(bnSpy.mock.calls.map((c) => c[0].shape)).toEqual([
      [3, 4, 8, 8],
      [3, 4, 8, 8],
    ]);
    const inputs = lifSpy.mock.calls.slice(1).map((c) => c[0]);
    expect(inputs.map((t) => t.shape[0])).toEqual([3, 3, 2, 2]);
    expect(inputs[0]).toBe(inputs[1]);
    expect(inputs[2]).toBe(inputs[3]);
    expect(chunked.y).toEqual(whole.y);
    chunked.v.forEach((v, i) => expect(v).toEqual(whole.v[i]));
    net.dispose();
    frame.dispose();
  });

  it('a chunk output that is its own repeated input (eval Dropout) survives', () => {
    const net = new Sequential(new Linear(6, 5, { stepMode: 'm' }), new Dropout(0.5, { stepMode: 'm' }));
    net.eval();
    const frame = tf.randomUniform([4, 6], -1, 1, 'float32', 14);
    const was = setTimeChunkBudget(2 * 4 * 5);
    const chunked = tf.tidy(() => values(net.forward(repeatOverTime(frame, 7))));
    setTimeChunkBudget(0);
    const whole = tf.tidy(() => values(net.forward(repeatOverTime(frame, 7))));
    setTimeChunkBudget(was);
    expect(chunked).toEqual(whole);
    net.dispose();
    frame.dispose();
  });

  it('runs whole in training mode, under a gradient tape, with hooks, with storeVSeq, or with an unknown layer', () => {
    const net = convNet();
    const lif = net.at(1) as LIFNode;
    const x = tf.randomUniform([8, 2, 1, 8, 8], 0, 1, 'float32', 9);
    const was = setTimeChunkBudget(2 * 8 * 8); // one step per chunk
    const spy = vi.spyOn(lif, 'multiStepForward');
    const calls = () => spy.mock.calls.splice(0).map((c) => c[0].shape[0]);
    const run = () => {
      tf.dispose(net.call(x));
      resetNet(net);
    };
    run();
    expect(calls()).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(isTimeLocal(net)).toBe(true);
    net.train();
    run();
    expect(calls()).toEqual([8]);
    net.eval();
    tf.dispose(tf.grad((xi: tf.Tensor) => tf.sum(net.forward(xi)))(x));
    resetNet(net);
    expect(calls()).toEqual([8]);
    const h = net.at(4)!.registerForwardHook(() => undefined);
    run();
    expect(calls()).toEqual([8]);
    h.remove();
    lif.storeVSeq = true;
    run();
    expect(calls()).toEqual([8]);
    lif.storeVSeq = false;
    const withShift = new Sequential(new Shift({ stepMode: 'm' }), lif);
    withShift.eval();
    expect(isTimeLocal(withShift)).toBe(false);
    setStepMode(net, 's');
    expect(isTimeLocal(net)).toBe(false);
    setTimeChunkBudget(was);
    net.dispose();
    x.dispose();
  });

  it('keeps tf.memory().numTensors flat over chunked calls and resets', () => {
    const net = convNet();
    const x = tf.randomUniform([8, 2, 1, 8, 8], 0, 1, 'float32', 10);
    const was = setTimeChunkBudget(2 * 4 * 8 * 8 * 3);
    const step = () => {
      tf.dispose(net.call(x));
      tf.dispose(tf.tidy(() => net.forward(repeatOverTime(tf.squeeze(tf.slice(x, 0, 1), [0]), 8))));
      resetNet(net);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    setTimeChunkBudget(was);
    net.dispose();
    x.dispose();
  });
});

describe.each(NODE_BACKENDS)('step-layer hoisting on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it("a time-invariant layer in 'm' mode runs once on a repeated frame with the same output; others run on T·N", () => {
    const conv = new Conv2d(1, 2, 3, { stepMode: 'm' });
    const frame = tf.randomUniform([2, 1, 6, 6], 0, 1, 'float32', 11);
    const spy = vi.spyOn(conv, 'layerForward');
    const hoisted = conv.call(repeatOverTime(frame, 5));
    expect(spy.mock.calls[0]![0].shape).toEqual([2, 1, 6, 6]);
    const plain = conv.call(tf.stack(new Array<tf.Tensor>(5).fill(frame)));
    expect(spy.mock.calls[1]![0].shape).toEqual([10, 1, 6, 6]);
    expect(values(hoisted)).toEqual(values(plain));
    const shift = new Shift({ stepMode: 'm' });
    const s2 = vi.spyOn(shift, 'layerForward');
    tf.tidy(() => {
      const y = shift.forward(repeatOverTime(frame, 5));
      expect(repeatedFrame(y)).toBeNull();
    });
    expect(s2.mock.calls[0]![0].shape).toEqual([10, 1, 6, 6]);
    tf.dispose([hoisted, plain, frame]);
    conv.dispose();
  });

  it('hoisted BatchNorm in training mode updates running_var with the Bessel factor of all T·N frames', () => {
    const x = tf.randomNormal([4, 3, 5, 5], 0, 2, 'float32', 12);
    const T = 6;
    const run = (seq: () => tf.Tensor) => {
      const bn = new BatchNorm2d(3, { stepMode: 'm' });
      tf.dispose(tf.tidy(() => bn.forward(seq())));
      const out = { mean: values(bn.runningMean!), v: values(bn.runningVar!) };
      bn.dispose();
      return out;
    };
    const hoisted = run(() => repeatOverTime(x, T));
    const plain = run(() => tf.stack(new Array<tf.Tensor>(T).fill(x)));
    const n = T * 4 * 5 * 5;
    // Closed form: running_var = 0.9 · 1 + 0.1 · var · n / (n - 1), var the biased variance per channel.
    const expected = tf.tidy(() => values(tf.add(0.9, tf.mul(tf.moments(x, [0, 2, 3]).variance, (0.1 * n) / (n - 1)))));
    hoisted.v.forEach((v, i) => {
      expect(v).toBeCloseTo(plain.v[i]!, 5);
      expect(v).toBeCloseTo(expected[i]!, 5);
    });
    hoisted.mean.forEach((m, i) => expect(m).toBeCloseTo(plain.mean[i]!, 6));
    x.dispose();
  });
});
