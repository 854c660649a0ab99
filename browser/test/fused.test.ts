// The fused multi-step neuron kernels for webgl (GLSL) and webgpu (WGSL) in headless Chromium on
// SwiftShader: for IF/LIF, hard/soft reset, detachReset, five surrogates, storeVSeq, tensor v0,
// repeated input and eval mode, the fused kernel must agree with the composed tfjs ops on the same
// backend (spikes identical except where |H - Vth| is within float32 rounding, counted; V and
// gradients within TOL), the fused path must really run (tf.profile kernel names: one forward and
// one gradient kernel, none of the per-step ops), and a small timing of both paths is reported.
// The golden suite (neurons.test.ts) runs with fused kernels on, which is their default.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';
import type { FusedCase, FusedRun } from '../page/fused.js';
import { GPU_BACKENDS, compareSpikes, maxAbsError, writeReport } from './helpers.js';

/** Fused vs composed on the same GPU backend. */
const TOL = { v: 1e-5, grad: 1e-4 };

const SETUPS: Pick<FusedCase, 'neuron' | 'vThreshold' | 'vReset' | 'tau' | 'decayInput'>[] = [
  { neuron: 'if', vThreshold: 1, vReset: 0, tau: 1, decayInput: false },
  { neuron: 'if', vThreshold: 0.7, vReset: null, tau: 1, decayInput: false },
  { neuron: 'lif', vThreshold: 1, vReset: -0.1, tau: 2.5, decayInput: true },
  { neuron: 'lif', vThreshold: 1, vReset: null, tau: 20, decayInput: false },
];
const SURROGATES: [string, number][] = [['Sigmoid', 4], ['ATan', 3], ['FastSigmoid', 25], ['SoftSign', 2], ['PiecewiseQuadratic', 1]];
const base = { storeVSeq: false, v0Tensor: false, repeated: false, evalMode: false, detachReset: false };
const CASES: FusedCase[] = [
  ...SETUPS.flatMap((s, si) =>
    SURROGATES.flatMap(([surrogate, alpha], gi) =>
      [false, true].map((detachReset) => ({ ...base, ...s, surrogate, alpha, detachReset, storeVSeq: (si + gi) % 2 === 0, v0Tensor: (si + gi + Number(detachReset)) % 2 === 1 })),
    ),
  ),
  { ...base, ...SETUPS[0]!, surrogate: 'ATan', alpha: 2, repeated: true },
  { ...base, ...SETUPS[2]!, surrogate: 'Sigmoid', alpha: 4, repeated: true, storeVSeq: true, v0Tensor: true },
  { ...base, ...SETUPS[3]!, surrogate: 'Sigmoid', alpha: 4, evalMode: true, storeVSeq: true },
];

const f32 = Math.fround;

/** H[t] of the reference recurrence (float32, like the composed ops), for the near-threshold test. */
function chargedSeq(c: FusedCase, r: FusedRun): number[] {
  const [T, ...rest] = r.shape;
  const M = rest.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: M }, (_, i) => f32(r.v0.length === 1 ? r.v0[0]! : r.v0[i]!));
  const rv = f32(c.vReset ?? 0);
  const h: number[] = [];
  for (let t = 0; t < T!; t++) {
    for (let i = 0; i < M; i++) {
      const x = r.x[t * M + i]!;
      const vi = v[i]!;
      const H = c.neuron === 'if' ? f32(vi + x) : c.decayInput ? f32(vi + f32(f32(x - f32(vi - rv)) / c.tau)) : f32(f32(vi - f32(f32(vi - rv) / c.tau)) + x);
      h.push(H);
      v[i] = H >= c.vThreshold ? (c.vReset === null ? f32(H - c.vThreshold) : rv) : H;
    }
  }
  return h;
}

let session: HarnessSession;
const runs: Record<string, { c: FusedCase; run?: FusedRun; error?: string }[]> = {};
const report: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  session = await openHarness(inject('origin'));
  for (const b of GPU_BACKENDS) {
    const outcomes = await session.call('fused', b, CASES);
    runs[b] = outcomes.map((o, i) => ({ c: CASES[i]!, run: o.result, error: o.error }));
  }
});

afterAll(async () => {
  await session?.close();
  writeReport('fused', { tolerances: TOL, cases: CASES.length, backends: report });
  for (const b of GPU_BACKENDS) console.log(`fused neuron kernels on ${b}: ${JSON.stringify(report[b])}`);
});

describe.each(GPU_BACKENDS)('fused multi-step neuron kernels on %s', (backend) => {
  it('every case runs on both paths', () => {
    const failed = runs[backend]!.filter((r) => r.error).map((r) => `${JSON.stringify(r.c)}: ${r.error}`);
    expect(failed).toEqual([]);
  });

  it(`fused == composed: spikes (flips only within float32 of Vth), V within ${TOL.v}, grads within ${TOL.grad}`, () => {
    const r = (report[backend] ??= {});
    let flips = 0;
    let real = 0;
    let vErr = 0;
    let gErr = 0;
    const bad: string[] = [];
    for (const { c, run } of runs[backend]!) {
      if (!run) continue;
      const { fused, composed } = run;
      const M = run.shape.slice(1).reduce((a, b) => a * b, 1);
      const cmp = compareSpikes(fused.spikes, composed.spikes, chargedSeq(c, run), c.vThreshold, M);
      flips += cmp.nearThreshold;
      real += cmp.real;
      const keep = (i: number): boolean => !cmp.divergedFrom.has(i % M);
      const ve = Math.max(maxAbsError(fused.v, composed.v, keep), maxAbsError(fused.vSeq, composed.vSeq, keep));
      const ge = Math.max(maxAbsError(fused.gx, composed.gx, keep), maxAbsError(fused.gv, composed.gv, keep));
      vErr = Math.max(vErr, ve);
      gErr = Math.max(gErr, ge);
      if (cmp.real > 0 || ve > TOL.v || ge > TOL.grad) bad.push(`${JSON.stringify(c)}: ${cmp.real} spike mismatches, |dV| ${ve}, |dgrad| ${ge}`);
    }
    Object.assign(r, { spikeFlipsNearThreshold: flips, spikeMismatches: real, maxVError: vErr, maxGradError: gErr });
    expect(bad).toEqual([]);
  });

  it('the fused path really runs: one kernel forward, one backward, no per-step ops; the composed path has none', async () => {
    for (const { run } of runs[backend]!) {
      if (!run) continue;
      expect(run.fused.kernels).toContain('SnntsNeuronMultiStep');
      expect(run.composed.kernels).not.toContain('SnntsNeuronMultiStep');
    }
    const k = await session.call('fusedKernels', backend);
    expect(k.registered).toBe(true);
    expect(k.forward).toContain('SnntsNeuronMultiStep');
    expect(k.forward).not.toContain('Unpack');
    expect(k.backward).toContain('SnntsNeuronMultiStepGrad');
  });

  it('leaks nothing, and reports the time of an LIF forward + backward, fused vs composed (SwiftShader: correctness, not GPU speed)', async () => {
    const shape = [16, 16, 1024];
    const t = await session.call('timeFused', backend, shape, 5);
    Object.assign((report[backend] ??= {}), { timing: { shape, ...t, speedup: t.composedMs / t.fusedMs } });
    expect(t.fusedMs).toBeGreaterThan(0);
    // No tensor and no backend buffer/texture left behind by the fused forward + backward.
    expect(t.leakedTensors).toBe(0);
    expect(t.leakedDataIds).toBe(0);
  });
});
