// checkpointOverTime: forward values and gradients (input, parameters incl. PLIF's w) equal the plain
// multi-step run for several chunk sizes, the state after the run matches, and tf.memory() stays
// flat over training iterations.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { checkpointOverTime, resetNet, setStepMode } from '@snnts/functional';
import { LIFNode, Linear, ParametricLIFNode, SeqToANNContainer, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

function buildNet() {
  const net = new Sequential(
    new SeqToANNContainer(new Linear(5, 8)),
    new LIFNode({ tau: 2 }),
    new SeqToANNContainer(new Linear(8, 3)),
    new ParametricLIFNode({ vReset: null, storeVSeq: true }),
  );
  setStepMode(net, 'm');
  return net;
}

describe.each(NODE_BACKENDS)('checkpointOverTime on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('gives the same outputs, gradients and final state as the plain run', () => {
    const net = buildNet();
    const x = tf.randomUniform([10, 4, 5], 0, 1.5, 'float32', 3);
    const wt = tf.randomUniform([10, 4, 3], -1, 1, 'float32', 4);
    const run = (f: (xi: tf.Tensor) => tf.Tensor) => {
      resetNet(net);
      const g = tf.grads((xi: tf.Tensor, ...ps: tf.Tensor[]) => {
        void ps;
        return tf.sum(tf.mul(f(xi), wt)) as tf.Scalar;
      })([x, ...net.parameters()]);
      const out = values(tf.tidy(() => (resetNet(net), f(x))));
      const vLast = values(net.modules().filter((m): m is LIFNode => m instanceof LIFNode)[0]!.v as tf.Tensor);
      return { out, g: g.map(values), vLast };
    };
    const plain = run((xi) => net.forward(xi));
    for (const chunk of [1, 3, 4, 10, 16]) {
      const ck = run((xi) => checkpointOverTime(net, xi, chunk));
      expect(ck.out).toEqual(plain.out);
      expect(ck.vLast).toEqual(plain.vLast);
      ck.g.forEach((g, i) => expect(maxAbsError(g, plain.g[i]!)).toBeLessThan(1e-5));
    }
    expect(plain.g.at(-1)!.some((v) => v !== 0)).toBe(true); // PLIF's w gets a gradient
    resetNet(net);
    net.dispose();
    tf.dispose([x, wt]);
  });

  it('keeps tf.memory().numTensors flat over training iterations', () => {
    const net = buildNet();
    const x = tf.randomUniform([8, 2, 5], 0, 1.5, 'float32', 3);
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(checkpointOverTime(net, x, 3)) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      resetNet(net);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    x.dispose();
  });

  it('rejects a bad chunk size with a named error', () => {
    const net = buildNet();
    expect(() => checkpointOverTime(net, tf.zeros([4, 2, 5]), 0)).toThrow(/checkpointOverTime.*chunk/);
    net.dispose();
  });
});
