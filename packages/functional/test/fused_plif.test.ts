// The fused PLIF kernel (SnntsPLIFMultiStep, cpu and wasm): forward values equal the composed tfjs
// ops exactly and the gradients of x, v0 and w agree to float32 rounding, for decayInput on/off,
// hard/soft reset, detachReset, two surrogates, storeVSeq, tensor v0 and repeated input; the fast
// path is really taken; ParametricLIFNode uses it; no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, setFusedKernelsEnabled } from '@snnts/core';
import { ATan, PLIF_MULTI_STEP, PLIF_MULTI_STEP_GRAD, Sigmoid, plifMultiStep, repeatOverTime, type PLIFOptions } from '@snnts/functional';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

const OPTIONS: [string, PLIFOptions][] = [
  ['decayInput, hard reset', { surrogateFunction: new Sigmoid() }],
  ['decayInput, hard reset -0.1, detachReset', { vReset: -0.1, detachReset: true, surrogateFunction: new ATan() }],
  ['no decayInput, soft reset', { decayInput: false, vReset: null, surrogateFunction: new ATan({ alpha: 3 }) }],
  ['no decayInput, soft reset vth 0.7, detachReset', { decayInput: false, vReset: null, vThreshold: 0.7, detachReset: true }],
];

/** Forward outputs and d(loss)/d(x, v0, w) of a weighted loss over spikes, V[T-1] and V[t]. */
function evaluate(opts: PLIFOptions, x: tf.Tensor, v0: tf.Tensor, w: tf.Tensor, repeated: boolean) {
  const T = 6;
  const wt = tf.randomUniform([T, ...x.shape.slice(repeated ? 0 : 1)], -1, 1, 'float32', 7);
  const seq = (xi: tf.Tensor) => (repeated ? repeatOverTime(xi, T) : xi);
  const loss = (xi: tf.Tensor, vi: tf.Tensor, wi: tf.Tensor) => {
    const r = plifMultiStep(seq(xi), vi, wi, opts, { storeVSeq: true });
    return tf.addN([tf.sum(tf.mul(r.spikeSeq, wt)), tf.sum(tf.mul(r.v, 0.3)), tf.sum(tf.mul(r.vSeq!, tf.reverse(wt, 0)))]) as tf.Scalar;
  };
  const r = plifMultiStep(seq(x), v0, w, opts, { storeVSeq: true });
  const [gx, gv, gw] = tf.grads(loss)([x, v0, w]).map(values);
  return { spikes: values(r.spikeSeq), v: values(r.v), vSeq: values(r.vSeq!), gx: gx!, gv: gv!, gw: gw! };
}

function bothPaths<T>(f: () => T): { fused: T; composed: T } {
  const fused = tf.tidy(() => f());
  const was = setFusedKernelsEnabled(false);
  try {
    return { fused, composed: tf.tidy(() => f()) };
  } finally {
    setFusedKernelsEnabled(was);
  }
}

async function kernelNames(f: () => unknown): Promise<string[]> {
  return (await tf.profile(() => void f())).kernelNames;
}

describe.each(NODE_BACKENDS)('fused PLIF on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
  });

  for (const [name, opts] of OPTIONS) {
    for (const repeated of [false, true]) {
      it(`${name}${repeated ? ', repeated input' : ''}: fused == composed (forward exact, grads of x, v0, w close)`, () => {
        const x = repeated ? tf.randomNormal([3, 4], 0.8, 0.8, 'float32', 11) : tf.randomNormal([6, 3, 4], 0.8, 0.8, 'float32', 11);
        const v0 = tf.randomUniform([3, 4], -0.5, 0.5, 'float32', 12);
        const w = tf.scalar(-0.4);
        const { fused, composed } = bothPaths(() => evaluate(opts, x, v0, w, repeated));
        expect(fused.spikes).toEqual(composed.spikes);
        expect(fused.v).toEqual(composed.v);
        expect(fused.vSeq).toEqual(composed.vSeq);
        expect(maxAbsError(fused.gx, composed.gx)).toBeLessThan(1e-5);
        expect(maxAbsError(fused.gv, composed.gv)).toBeLessThan(1e-5);
        expect(Math.abs(fused.gw[0]! - composed.gw[0]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(composed.gw[0]!)));
        tf.dispose([x, v0, w]);
      });
    }
  }

  it('takes the fast path forward and backward (scalar v0 too), and keeps tf.memory() flat', async () => {
    const x = tf.randomNormal([8, 2, 3], 1, 1, 'float32', 5);
    const w = tf.variable(tf.scalar(0));
    expect(await kernelNames(() => plifMultiStep(x, 0, w))).toContain(PLIF_MULTI_STEP);
    const loss = () => tf.sum(plifMultiStep(x, 0, w).spikeSeq) as tf.Scalar;
    expect(await kernelNames(() => tf.variableGrads(loss))).toContain(PLIF_MULTI_STEP_GRAD);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.tidy(() => void tf.variableGrads(loss));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});
