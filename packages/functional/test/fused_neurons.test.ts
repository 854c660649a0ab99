// The fused multi-step neuron kernels (src/neurons/fused): on cpu and wasm, forward values equal
// the composed tfjs ops exactly and gradients (x and v0) agree to float32 rounding, for IF/LIF,
// hard/soft reset, detachReset, five surrogates, storeVSeq, tensor v0 and repeated input; the fast
// path is really taken (tf.profile kernel names) and declined when it must be; no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasFusedKernel, listFusedKernels, setBackend, setFusedKernelsEnabled } from '@snnts/core';
import {
  ATan,
  Erf,
  FastSigmoid,
  NEURON_MULTI_STEP,
  NEURON_MULTI_STEP_GRAD,
  PiecewiseQuadratic,
  Sigmoid,
  SoftSign,
  ifMultiStep,
  lifMultiStep,
  neuronMultiStep,
  repeatOverTime,
  resolveNeuronOptions,
  type MultiStepResult,
  type SurrogateFunction,
} from '@snnts/functional';
import { NODE_BACKENDS, maxAbsError, values } from '../../../test/helpers/golden.js';

type Run = (x: tf.Tensor, v0: tf.Tensor | number, storeVSeq: boolean) => MultiStepResult;

interface Case {
  name: string;
  run: (sg: SurrogateFunction, detachReset: boolean) => Run;
}

const CASES: Case[] = [
  { name: 'IF hard reset', run: (sg, detachReset) => (x, v0, storeVSeq) => ifMultiStep(x, v0, { surrogateFunction: sg, detachReset }, { storeVSeq }) },
  { name: 'IF soft reset, vth 0.7', run: (sg, detachReset) => (x, v0, storeVSeq) => ifMultiStep(x, v0, { vReset: null, vThreshold: 0.7, surrogateFunction: sg, detachReset }, { storeVSeq }) },
  { name: 'LIF decayInput, vReset -0.1', run: (sg, detachReset) => (x, v0, storeVSeq) => lifMultiStep(x, v0, { tau: 2.5, vReset: -0.1, surrogateFunction: sg, detachReset }, { storeVSeq }) },
  { name: 'LIF no decayInput, soft reset', run: (sg, detachReset) => (x, v0, storeVSeq) => lifMultiStep(x, v0, { tau: 20, decayInput: false, vReset: null, surrogateFunction: sg, detachReset }, { storeVSeq }) },
];

const SURROGATES: [string, () => SurrogateFunction][] = [
  ['Sigmoid', () => new Sigmoid()],
  ['ATan', () => new ATan({ alpha: 3 })],
  ['FastSigmoid', () => new FastSigmoid()],
  ['SoftSign', () => new SoftSign()],
  ['PiecewiseQuadratic', () => new PiecewiseQuadratic()],
];

/** Forward outputs and d(loss)/d(x, v0) of a weighted loss over spikes, V[T-1] and (maybe) V[t]. */
function evaluate(run: Run, x: tf.Tensor, v0: tf.Tensor | number, storeVSeq: boolean) {
  const w = tf.randomUniform(x.shape, -1, 1, 'float32', 7);
  const loss = (xi: tf.Tensor, vi: tf.Tensor | number) => {
    const r = run(xi, vi, storeVSeq);
    let l = tf.add(tf.sum(tf.mul(r.spikeSeq, w)), tf.sum(tf.mul(r.v, 0.3)));
    if (r.vSeq) l = tf.add(l, tf.sum(tf.mul(r.vSeq, tf.reverse(w, 0))));
    return l as tf.Scalar;
  };
  const r = run(x, v0, storeVSeq);
  const out = { spikes: values(r.spikeSeq), v: values(r.v), vSeq: r.vSeq ? values(r.vSeq) : [] };
  let gx: number[];
  let gv: number[] = [];
  if (v0 instanceof tf.Tensor) {
    const [a, b] = tf.grads((xi: tf.Tensor, vi: tf.Tensor) => loss(xi, vi))([x, v0]);
    gx = values(a!);
    gv = values(b!);
  } else {
    gx = values(tf.grad((xi: tf.Tensor) => loss(xi, v0))(x));
  }
  return { ...out, gx, gv };
}

/** Runs `f` with fused kernels on and off; returns both results. */
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
  const info = await tf.profile(() => {
    f();
  });
  return info.kernelNames;
}

describe.each(NODE_BACKENDS)('fused multi-step neurons on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
  });

  it('is registered for cpu and wasm in the fused-kernel registry', () => {
    const k = listFusedKernels().find((e) => e.kernelName === NEURON_MULTI_STEP);
    expect(k?.backends).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    expect(hasFusedKernel(NEURON_MULTI_STEP)).toBe(true);
    setFusedKernelsEnabled(false);
    expect(hasFusedKernel(NEURON_MULTI_STEP)).toBe(false);
  });

  for (const c of CASES) {
    for (const [sgName, sg] of SURROGATES) {
      for (const detachReset of [false, true]) {
        it(`${c.name}, ${sgName}, detachReset ${detachReset}: fused == composed (forward exact, grads 1e-5)`, () => {
          const x = tf.randomNormal([6, 3, 4], 0.6, 0.8, 'float32', 11);
          const v0 = tf.randomUniform([3, 4], -0.5, 0.5, 'float32', 12);
          for (const [v, storeVSeq] of [[0, false], [v0, true]] as const) {
            const { fused, composed } = bothPaths(() => evaluate(c.run(sg(), detachReset), x, v, storeVSeq));
            expect(fused.spikes).toEqual(composed.spikes);
            expect(fused.v).toEqual(composed.v);
            expect(fused.vSeq).toEqual(composed.vSeq);
            expect(maxAbsError(fused.gx, composed.gx)).toBeLessThan(1e-5);
            expect(maxAbsError(fused.gv, composed.gv)).toBeLessThan(1e-5);
          }
          tf.dispose([x, v0]);
        });
      }
    }
  }

  it('a repeated input (repeatOverTime) gives the same values and the summed frame gradient', () => {
    const frame = tf.randomNormal([3, 5], 0.5, 0.7, 'float32', 3);
    const run = (f: tf.Tensor, marked: boolean) => {
      const xs = marked ? repeatOverTime(f, 7) : tf.stack(new Array<tf.Tensor>(7).fill(f));
      return lifMultiStep(xs, 0, { tau: 3, surrogateFunction: new ATan() }).spikeSeq;
    };
    const loss = (marked: boolean) => (f: tf.Tensor) => tf.sum(tf.mul(run(f, marked), tf.linspace(0.1, 1, 7).reshape([7, 1, 1])));
    expect(values(run(frame, true))).toEqual(values(run(frame, false)));
    const gMarked = values(tf.grad(loss(true))(frame));
    const gPlain = values(tf.grad(loss(false))(frame));
    expect(maxAbsError(gMarked, gPlain)).toBeLessThan(1e-5);
    frame.dispose();
  });

  it('takes the fast path: one forward kernel, one gradient kernel, no per-step ops', async () => {
    const x = tf.randomNormal([8, 2, 3], 1, 1, 'float32', 5);
    const forward = await kernelNames(() => lifMultiStep(x, 0));
    expect(forward).toContain(NEURON_MULTI_STEP);
    expect(forward).not.toContain('Unpack');
    const backward = await kernelNames(() => tf.grad((xi: tf.Tensor) => tf.sum(lifMultiStep(xi, 0).spikeSeq))(x));
    expect(backward).toContain(NEURON_MULTI_STEP_GRAD);
    x.dispose();
  });

  it('declines (composed ops run) when fused kernels are off, for a surrogate without a scalar gradient, and for an untagged charge', async () => {
    const x = tf.randomNormal([4, 2, 3], 1, 1, 'float32', 5);
    setFusedKernelsEnabled(false);
    expect(await kernelNames(() => lifMultiStep(x, 0))).not.toContain(NEURON_MULTI_STEP);
    setFusedKernelsEnabled(true);
    expect(await kernelNames(() => lifMultiStep(x, 0, { surrogateFunction: new Erf() }))).not.toContain(NEURON_MULTI_STEP);
    // Eval mode needs no surrogate gradient, so even Erf runs fused there.
    expect(await kernelNames(() => lifMultiStep(x, 0, { surrogateFunction: new Erf() }, { surrogate: false }))).toContain(NEURON_MULTI_STEP);
    const o = resolveNeuronOptions({}, 'test');
    expect(await kernelNames(() => neuronMultiStep((xi, v) => tf.add(v, xi), x, 0, o, {}, 'test'))).not.toContain(NEURON_MULTI_STEP);
    x.dispose();
  });

  it('eval mode (no surrogate): same spikes, zero gradient through the spikes', () => {
    const x = tf.randomNormal([5, 2, 3], 1, 1, 'float32', 9);
    const { fused, composed } = bothPaths(() => {
      const s = values(lifMultiStep(x, 0, {}, { surrogate: false }).spikeSeq);
      const g = values(tf.grad((xi: tf.Tensor) => tf.sum(lifMultiStep(xi, 0, {}, { surrogate: false }).spikeSeq))(x));
      return { s, g };
    });
    expect(fused.s).toEqual(composed.s);
    expect(fused.g.every((v) => v === 0)).toBe(true);
    x.dispose();
  });

  it('keeps tf.memory().numTensors flat over forward and gradient runs', () => {
    const x = tf.randomNormal([6, 4, 5], 1, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        lifMultiStep(x, 0, {}, { storeVSeq: true });
        tf.grad((xi: tf.Tensor) => tf.sum(lifMultiStep(xi, 0, {}, { storeVSeq: true }).vSeq!))(x);
        tf.grad((xi: tf.Tensor) => tf.sum(lifMultiStep(repeatOverTime(tf.sum(xi, 0), 6), 0).spikeSeq))(x);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
