/**
 * In-page runs of the fused multi-step neuron kernels (`SnntsNeuronMultiStep` and its gradient) on
 * the active backend, each case twice: fused kernels on, then off (the composed tfjs ops). Also
 * which kernels really ran (tf.profile) and a small timing of both paths. Only computes; the
 * comparisons are in browser/test/fused.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { hasFusedKernel, setFusedKernelsEnabled } from '@snnts/core';
import { getSurrogate, ifMultiStep, lifMultiStep, repeatOverTime, type MultiStepResult } from '@snnts/functional';
import { LIFNode } from '@snnts/nn';

/** One parity case: a neuron setup, a surrogate and how the sequence is fed. */
export interface FusedCase {
  neuron: 'if' | 'lif';
  vThreshold: number;
  vReset: number | null;
  tau: number;
  decayInput: boolean;
  surrogate: string;
  alpha: number;
  detachReset: boolean;
  storeVSeq: boolean;
  /** Initial potential: a tensor input (`v0`) or the resting value. */
  v0Tensor: boolean;
  /** Input made by repeatOverTime (one frame for all steps). */
  repeated: boolean;
  /** Eval mode: no surrogate gradient. */
  evalMode: boolean;
}

/** One path's numbers (flat, row-major). */
export interface PathRun {
  spikes: number[];
  v: number[];
  vSeq: number[];
  gx: number[];
  gv: number[];
  kernels: string[];
}

/** A case on one backend: the inputs and both paths. */
export interface FusedRun {
  x: number[];
  v0: number[];
  shape: number[];
  fused: PathRun;
  composed: PathRun;
}

const SHAPE = [6, 4, 40];

function run(c: FusedCase, x: tf.Tensor, v0: tf.Tensor | number): MultiStepResult {
  const o = { vThreshold: c.vThreshold, vReset: c.vReset, detachReset: c.detachReset, surrogateFunction: getSurrogate(c.surrogate, { alpha: c.alpha }) };
  const exec = { storeVSeq: c.storeVSeq, surrogate: !c.evalMode };
  const xs = c.repeated ? repeatOverTime(tf.slice(x, 0, 1).squeeze([0]), SHAPE[0]!) : x;
  return c.neuron === 'if' ? ifMultiStep(xs, v0, o, exec) : lifMultiStep(xs, v0, { ...o, tau: c.tau, decayInput: c.decayInput }, exec);
}

async function onePath(c: FusedCase, x: tf.Tensor, v0: tf.Tensor | number, w: tf.Tensor): Promise<PathRun> {
  const loss = (xi: tf.Tensor, vi: tf.Tensor | number): tf.Scalar =>
    tf.tidy(() => {
      const r = run(c, xi, vi);
      let l = tf.add(tf.sum(tf.mul(r.spikeSeq, w)), tf.sum(tf.mul(r.v, 0.3)));
      if (r.vSeq) l = tf.add(l, tf.sum(tf.mul(r.vSeq, tf.reverse(w, 0))));
      return l as tf.Scalar;
    });
  let fwd: MultiStepResult | null = null;
  const prof = await tf.profile(() => {
    fwd = run(c, x, v0);
  });
  const r = fwd! as MultiStepResult;
  const grads = v0 instanceof tf.Tensor ? tf.grads((xi: tf.Tensor, vi: tf.Tensor) => loss(xi, vi))([x, v0]) : [tf.grad((xi: tf.Tensor) => loss(xi, v0))(x)];
  const out: PathRun = {
    spikes: Array.from(await r.spikeSeq.data()),
    v: Array.from(await r.v.data()),
    vSeq: r.vSeq ? Array.from(await r.vSeq.data()) : [],
    gx: Array.from(await grads[0]!.data()),
    gv: grads[1] ? Array.from(await grads[1].data()) : [],
    kernels: prof.kernelNames,
  };
  tf.dispose([r.spikeSeq, r.v, ...(r.vSeq ? [r.vSeq] : []), ...grads]);
  return out;
}

/** Runs one case with fused kernels on and off (deterministic seeded inputs). */
export async function runFusedCase(c: FusedCase): Promise<FusedRun> {
  const x = tf.randomNormal(SHAPE, c.neuron === 'if' ? 0.4 : 0.9, 0.8, 'float32', 11);
  const v0 = c.v0Tensor ? tf.randomUniform(SHAPE.slice(1), -0.5, 0.5, 'float32', 12) : c.vReset ?? 0;
  const w = tf.randomUniform(SHAPE, -1, 1, 'float32', 7);
  try {
    const fused = await onePath(c, x, v0, w);
    const was = setFusedKernelsEnabled(false);
    let composed: PathRun;
    try {
      composed = await onePath(c, x, v0, w);
    } finally {
      setFusedKernelsEnabled(was);
    }
    const xs = c.repeated ? tf.tidy(() => tf.tile(tf.slice(x, 0, 1), [SHAPE[0]!, 1, 1])) : x;
    const res = { x: Array.from(await xs.data()), v0: v0 instanceof tf.Tensor ? Array.from(await v0.data()) : [v0], shape: SHAPE, fused, composed };
    if (xs !== x) xs.dispose();
    return res;
  } finally {
    tf.dispose([x, w, ...(v0 instanceof tf.Tensor ? [v0] : [])]);
  }
}

/** Kernel names of an `LIFNode` in multi-step mode, forward and backward, and whether the fused kernel is registered here. */
export async function fusedModuleKernels(): Promise<{ registered: boolean; forward: string[]; backward: string[] }> {
  const node = new LIFNode({ stepMode: 'm' });
  const x = tf.variable(tf.randomNormal([8, 4, 64], 1, 1, 'float32', 3));
  const forward = (await tf.profile(() => node.forward(x))).kernelNames;
  node.reset();
  const backward = (await tf.profile(() => tf.variableGrads(() => tf.sum(node.forward(x)) as tf.Scalar))).kernelNames;
  node.dispose();
  x.dispose();
  return { registered: hasFusedKernel('SnntsNeuronMultiStep'), forward, backward };
}

/** Median milliseconds of an LIF forward + backward over `shape`, fused and composed (after a warm-up), and what the fused runs left behind. */
export async function timeFused(shape: number[], reps: number): Promise<{ fusedMs: number; composedMs: number; leakedTensors: number; leakedDataIds: number }> {
  const x = tf.randomNormal(shape, 1, 1, 'float32', 4);
  const dataIds = (): number => tf.engine().backend.numDataIds();
  const before = { tensors: tf.memory().numTensors, dataIds: dataIds() };
  const step = async (): Promise<number> => {
    const t0 = performance.now();
    const g = tf.grad((xi: tf.Tensor) => tf.sum(lifMultiStep(xi, 0, { tau: 2 }).spikeSeq))(x);
    await g.data();
    g.dispose();
    return performance.now() - t0;
  };
  const median = async (): Promise<number> => {
    await step();
    const ts: number[] = [];
    for (let i = 0; i < reps; i++) ts.push(await step());
    return ts.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
  };
  const fusedMs = await median();
  const leakedTensors = tf.memory().numTensors - before.tensors;
  const leakedDataIds = dataIds() - before.dataIds;
  const was = setFusedKernelsEnabled(false);
  try {
    return { fusedMs, composedMs: await median(), leakedTensors, leakedDataIds };
  } finally {
    setFusedKernelsEnabled(was);
    x.dispose();
  }
}
