// A spikingjelly-style convolutional block, Conv2d -> BatchNorm2d -> LIFNode -> MaxPool2d, run in
// 'm' mode on [T, N, C, H, W] against the same weights run step by step in 's' mode: equal in eval
// mode (spikes exactly, everything else within float error); in train mode BatchNorm's statistics
// differ by design ('m' normalises over all T*N samples, 's' over the N of each step), which the
// second test checks against the closed form, including the running estimates each mode leaves.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { manualSeed, setBackend } from '@snnts/core';
import { resetNet, setStepMode } from '@snnts/functional';
import { BatchNorm2d, Conv2d, LIFNode, MaxPool2d, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, maxMixedError, values } from '../../../test/helpers/golden.js';

const [T, N, C, H] = [4, 3, 2, 8];

/** Two copies of the block with the same parameters and buffers: one 'm', one 's'. */
function twinBlocks(): { m: Sequential; s: Sequential } {
  const make = () => new Sequential(new Conv2d(C, 4, 3, { padding: 1 }), new BatchNorm2d(4), new LIFNode({ tau: 2 }), new MaxPool2d(2));
  manualSeed(11);
  const m = make();
  const s = make();
  const state = m.stateDict();
  // Non-trivial running statistics, so eval mode really uses them.
  state['1.running_mean'] = tf.tensor1d([0.3, -0.2, 0.1, 0.5]);
  state['1.running_var'] = tf.tensor1d([0.5, 2, 1.5, 0.8]);
  m.loadStateDict(state);
  s.loadStateDict(state);
  tf.dispose([state['1.running_mean'], state['1.running_var']]);
  setStepMode(m, 'm');
  setStepMode(s, 's');
  return { m, s };
}

/** Runs the 's' block over the sequence one step at a time. */
function stepByStep(s: Sequential, xSeq: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.stack(tf.unstack(xSeq).map((x) => s.call(x))));
}

describe.each(NODE_BACKENDS)('Conv2d -> BatchNorm2d -> LIFNode -> MaxPool2d on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it("eval mode: 'm' over [T, N, ...] equals 's' step by step, spikes exactly", () => {
    const { m, s } = twinBlocks();
    m.eval();
    s.eval();
    const xSeq = tf.mul(tf.randomNormal([T, N, C, H, H], 0, 1, 'float32', 5), 2);
    const ym = m.call(xSeq);
    const ys = stepByStep(s, xSeq);
    expect(ym.shape).toEqual([T, N, 4, H / 2, H / 2]);
    const spikes = values(ym);
    expect(spikes).toEqual(values(ys));
    // The test means something: some but not all pooled outputs fired.
    const rate = spikes.reduce((a, v) => a + v, 0) / spikes.length;
    expect(rate).toBeGreaterThan(0.05);
    expect(rate).toBeLessThan(0.95);
    // Membrane potentials of the LIF layer agree too.
    const lifM = m.at(2) as LIFNode;
    const lifS = s.at(2) as LIFNode;
    expect(maxMixedError(values(lifM.v as tf.Tensor), values(lifS.v as tf.Tensor))).toBeLessThan(1e-5);
    tf.dispose([xSeq, ym, ys]);
    m.dispose();
    s.dispose();
  });

  it("train mode: BatchNorm statistics come from all T*N samples in 'm' and from each step's N in 's'", () => {
    const { m, s } = twinBlocks();
    m.train();
    s.train();
    // A drift over time, which per-step statistics normalise away and sequence statistics do not.
    const xSeq = tf.add(tf.randomNormal([T, N, C, H, H], 0, 1, 'float32', 6), tf.reshape(tf.range(0, T), [T, 1, 1, 1, 1]));
    const [convM, bnM, convS, bnS] = [m.at(0) as Conv2d, m.at(1) as BatchNorm2d, s.at(0) as Conv2d, s.at(1) as BatchNorm2d];
    const zAll = tf.tidy(() => tf.stack(tf.unstack(xSeq).map((x) => convS.layerForward(x)))); // [T, N, 4, H, H]
    // Closed form (weight 1, bias 0 at initialisation): biased batch statistics over the axes.
    const normalised = (axes: number[]) =>
      tf.tidy(() => {
        const { mean, variance } = tf.moments(zAll, axes, true);
        return tf.div(tf.sub(zAll, mean), tf.sqrt(tf.add(variance, 1e-5)));
      });
    const hm = tf.tidy(() => bnM.call(convM.call(xSeq)));
    const hs = tf.tidy(() => tf.stack(tf.unstack(xSeq).map((x) => bnS.call(convS.call(x)))));
    const [eAll, eStep] = [normalised([0, 1, 3, 4]), normalised([1, 3, 4])];
    expect(maxMixedError(values(hm), values(eAll))).toBeLessThan(1e-4);
    expect(maxMixedError(values(hs), values(eStep))).toBeLessThan(1e-4);
    expect(maxMixedError(values(hm), values(hs))).toBeGreaterThan(0.5);
    // Running means: 'm' moves once towards the sequence mean; 's' moves T times, towards each step's.
    const stepMeans = tf.tidy(() => tf.mean(zAll, [1, 3, 4]).arraySync() as number[][]);
    const seqMean = tf.tidy(() => tf.mean(zAll, [0, 1, 3, 4]).arraySync() as number[]);
    const r0 = [0.3, -0.2, 0.1, 0.5];
    const expM = r0.map((r, c) => 0.9 * r + 0.1 * seqMean[c]!);
    const expS = r0.map((r, c) => stepMeans.reduce((acc, mu) => 0.9 * acc + 0.1 * mu[c]!, r));
    expect(maxMixedError(values(bnM.runningMean!), expM)).toBeLessThan(1e-5);
    expect(maxMixedError(values(bnS.runningMean!), expS)).toBeLessThan(1e-5);
    tf.dispose([xSeq, hm, hs, eAll, eStep, zAll]);
    m.dispose();
    s.dispose();
  });

  it('keeps the tensor count flat over steps, resets and training iterations', () => {
    const { m } = twinBlocks();
    m.train();
    const xSeq = tf.randomNormal([T, N, C, H, H], 0, 1, 'float32', 8);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(m.forward(xSeq) as tf.Tensor) as tf.Scalar, m.parameters());
      tf.dispose([value, ...Object.values(grads)]);
      resetNet(m);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    xSeq.dispose();
    m.dispose();
  });
});
