// Linear on the event-driven spike matmul (functional's spikeMatMul), on cpu and wasm: outputs and
// the gradients of weight, bias and x equal the plain tf.matMul path (fused kernels off) for spike
// inputs at several densities and for non-binary inputs, in both step modes and without bias; the
// counters show the event-driven kernel ran for sparse spikes (including a LIF layer's real output)
// and the dense one for non-binary input and, on wasm, for dense spikes (on cpu tfjs's matmul is
// slower than the event loop at any density); memory stays flat over training steps.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualSeed, setBackend, setFusedKernelsEnabled } from '@snnts/core';
import { resetNet, resetSpikeMatMulStats, setSpikeMatMulMode, spikeMatMulStats } from '@snnts/functional';
import { LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';
import { NODE_BACKENDS, maxMixedError, values } from '../../../test/helpers/golden.js';

const [T, B, IN, OUT] = [4, 8, 60, 200];

/** Binary `[T, B, IN]` spikes with about `density` ones. */
const spikes = (density: number, seed: number) => tf.tidy(() => tf.cast(tf.less(tf.randomUniform([T, B, IN], 0, 1, 'float32', seed), density), 'float32'));

/** Output and the gradients of weight, bias and x of `sum(fc(x) * g)`. */
function run(fc: Linear, x: tf.Tensor, g: tf.Tensor): number[][] {
  const y = fc.call(x);
  const xv = tf.variable(x.clone());
  const vars = [fc.weight, ...(fc.bias ? [fc.bias] : []), xv];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(fc.forward(xv), g)) as tf.Scalar, vars);
  const out = [values(y), ...vars.map((v) => values(grads[v.name]!))];
  tf.dispose([y, xv, value, ...Object.values(grads)]);
  return out;
}

/** The same with the fused kernels off (Linear's plain tf.matMul path). */
function plain(fc: Linear, x: tf.Tensor, g: tf.Tensor): number[][] {
  const was = setFusedKernelsEnabled(false);
  try {
    return run(fc, x, g);
  } finally {
    setFusedKernelsEnabled(was);
  }
}

describe.each(NODE_BACKENDS)('Linear, event-driven on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
    setSpikeMatMulMode('auto');
  });

  for (const bias of [true, false]) {
    it.each([0, 0.01, 0.1, 0.6, 1])(`bias ${bias}: spikes at density %f give the plain path's output and gradients`, (density) => {
      manualSeed(3);
      const fc = new Linear(IN, OUT, { stepMode: 'm', bias });
      const x = spikes(density, 4);
      const g = tf.randomNormal([T, B, OUT], 0, 1, 'float32', 5);
      const expected = plain(fc, x, g);
      for (const mode of ['auto', 'event'] as const) {
        setSpikeMatMulMode(mode);
        resetSpikeMatMulStats();
        const got = run(fc, x, g);
        got.forEach((v, i) => expect(maxMixedError(v, expected[i]!)).toBeLessThan(1e-5));
        const s = spikeMatMulStats();
        if (mode === 'event' || density <= 0.01) expect(s).toMatchObject({ forwardEvent: 2, forwardDense: 0, gradEvent: 1 });
        if (mode === 'auto' && density >= 0.6 && backend === 'wasm') expect(s).toMatchObject({ forwardEvent: 0, forwardDense: 2, gradEvent: 0, gradDense: 1 });
      }
      tf.dispose([x, g]);
      fc.dispose();
    });
  }

  it('a non-binary input takes the dense kernel, in single-step mode too, with the same numbers', () => {
    manualSeed(4);
    const fc = new Linear(IN, OUT);
    const x = tf.tidy(() => tf.mul(tf.cast(tf.less(tf.randomUniform([B, IN], 0, 1, 'float32', 6), 0.01), 'float32'), 0.5));
    const g = tf.randomNormal([B, OUT], 0, 1, 'float32', 7);
    const expected = plain(fc, x, g);
    resetSpikeMatMulStats();
    run(fc, x, g).forEach((v, i) => expect(maxMixedError(v, expected[i]!)).toBeLessThan(1e-5));
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 0, forwardDense: 2, gradEvent: 0, gradDense: 1 });
    tf.dispose([x, g]);
    fc.dispose();
  });

  it("a LIF layer's output is recognised as spikes, and training keeps memory flat", () => {
    manualSeed(5);
    const fc1 = new Linear(IN, OUT, { stepMode: 'm' });
    const fc2 = new Linear(OUT, 300, { stepMode: 'm' });
    const net = new Sequential(new SeqToANNContainer(fc1), new LIFNode({ tau: 2, stepMode: 'm' }), new SeqToANNContainer(fc2));
    const x = tf.randomUniform([T, B, IN], 0, 2, 'float32', 8);
    setSpikeMatMulMode('event');
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(net.forward(x))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
      resetNet(net);
    };
    step();
    resetSpikeMatMulStats();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // fc1 sees a non-binary input (dense), fc2 the LIF spikes (event-driven), four steps each.
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 4, forwardDense: 4, gradEvent: 4, gradDense: 4 });
    setSpikeMatMulMode('auto');
    for (let i = 0; i < 2; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });
});
