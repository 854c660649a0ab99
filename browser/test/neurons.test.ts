// The 56 spikingjelly golden IF/LIF/PLIF cases (test/fixtures/golden/neurons.json) in headless
// Chromium on cpu, webgl and webgpu (SwiftShader), every op through a shader (the harness turns
// tfjs's small-tensor CPU hand-off off). Each backend must match spikingjelly as in Node (spikes
// identical, V within 1e-5, grad x within 1e-4, PLIF grad w within 1e-4 relative), and each GPU
// backend must match in-browser cpu within the tolerances below. A spike may differ only where
// cpu's |H - Vth| is inside float32 rounding (8 ulps); such flips are counted and reported, and
// that neuron's later potentials and its gradients are left out of the comparison.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';
import type { NeuronCase } from '../../test/helpers/fixture_types.js';
import type { NeuronRun } from '../page/neurons.js';
import { GPU_BACKENDS, compareSpikes, flat, loadJson, maxAbsError, maxMixedError, writeReport } from './helpers.js';

/** GPU vs cpu tolerances (observed on SwiftShader: V bit-identical, grad x 7e-7, grad w 1.4e-5 relative). */
const TOL = { v: 1e-6, gradX: 1e-5, gradWRelative: 1e-4 };
/** vs spikingjelly, the same as packages/nn/test/golden_neurons.test.ts. */
const GOLDEN_TOL = { v: 1e-5, gradX: 1e-4, gradWRelative: 1e-4 };

const { cases } = loadJson<{ cases: NeuronCase[] }>('test/fixtures/golden/neurons.json');
const byId = new Map(cases.map((c) => [c.id, c]));
const BACKENDS = ['cpu', ...GPU_BACKENDS] as const;
const runs: Record<string, Map<string, NeuronRun>> = {};
const errors: Record<string, Map<string, string>> = {};
const report: Record<string, Record<string, number>> = {};
let session: HarnessSession;

beforeAll(async () => {
  session = await openHarness(inject('origin'));
  for (const b of BACKENDS) {
    const outcomes = await session.call('neurons', b);
    runs[b] = new Map(outcomes.filter((o) => o.result).map((o) => [o.label, o.result!]));
    errors[b] = new Map(outcomes.filter((o) => o.error).map((o) => [o.label, o.error!]));
  }
});

afterAll(async () => {
  await session?.close();
  writeReport('neurons', { tolerancesVsCpu: TOL, tolerancesVsSpikingjelly: GOLDEN_TOL, backends: report });
  for (const b of GPU_BACKENDS) {
    const r = report[b] ?? {};
    console.log(
      `neurons on ${b} vs cpu: ${r['spikeFlipsNearThresholdVsCpu'] ?? '?'} spike flips within float precision of Vth, ` +
        `${r['spikeMismatchesVsCpu'] ?? '?'} other spike mismatches (smallest |H - Vth| ${r['minThresholdMarginCpu']?.toExponential(1) ?? '?'}), ` +
        `max |dV| ${r['maxVErrorVsCpu']?.toExponential(1) ?? '?'}, grad x ${r['maxGradXErrorVsCpu']?.toExponential(1) ?? '?'}, grad w ${r['maxGradWRelativeErrorVsCpu']?.toExponential(1) ?? '?'} (relative)`,
    );
  }
});

function tally(backend: string, key: string, value: number, mode: 'max' | 'sum'): void {
  const r = (report[backend] ??= {});
  r[key] = mode === 'max' ? Math.max(r[key] ?? 0, value) : (r[key] ?? 0) + value;
}

const caseIds = cases.map((c) => c.id);

describe.each(BACKENDS)('golden neurons in Chromium on %s vs spikingjelly', (backend) => {
  it('ran every case on the requested backend, without an error', () => {
    expect(cases.length).toBe(56);
    expect([...errors[backend]!.entries()]).toEqual([]);
    expect([...runs[backend]!.keys()]).toEqual(caseIds);
    for (const r of runs[backend]!.values()) expect(r.backend).toBe(backend);
  });

  it.each(caseIds)('%s', (id) => {
    const r = runs[backend]!.get(id)!;
    const c = byId.get(id)!;
    const perStep = c.x_seq[0]!.flat().length;
    const spikes = compareSpikes(r.spikes, flat(c.spike_seq), r.hSeq, c.config.v_threshold, perStep);
    tally(backend, 'spikeFlipsNearThresholdVsSpikingjelly', spikes.nearThreshold, 'sum');
    expect(spikes.real, 'spikes differing away from the threshold').toBe(0);
    const keep = (i: number) => !spikes.divergedFrom.has(i % perStep) || Math.floor(i / perStep) < spikes.divergedFrom.get(i % perStep)!;
    const ev = maxAbsError(r.vSeq, flat(c.v_seq), keep);
    const eg = maxMixedError(r.gradX, flat(c.grad_x_seq), (i) => !spikes.divergedFrom.has(i % perStep));
    tally(backend, 'maxVErrorVsSpikingjelly', ev, 'max');
    tally(backend, 'maxGradXErrorVsSpikingjelly', eg, 'max');
    expect(ev, 'v_seq').toBeLessThanOrEqual(GOLDEN_TOL.v);
    expect(eg, 'grad_x_seq').toBeLessThanOrEqual(GOLDEN_TOL.gradX);
    if (c.grad_w !== undefined && spikes.divergedFrom.size === 0) {
      const ew = Math.abs(r.gradW! - c.grad_w) / Math.max(Math.abs(c.grad_w), 1e-6);
      tally(backend, 'maxGradWRelativeErrorVsSpikingjelly', ew, 'max');
      expect(ew, 'grad_w (relative)').toBeLessThanOrEqual(GOLDEN_TOL.gradWRelative);
    }
  });
});

describe.each(GPU_BACKENDS)('golden neurons: %s agrees with cpu in the same browser', (backend) => {
  it.each(caseIds)('%s', (id) => {
    const r = runs[backend]!.get(id)!;
    const ref = runs['cpu']!.get(id)!;
    const c = byId.get(id)!;
    const perStep = c.x_seq[0]!.flat().length;
    const spikes = compareSpikes(r.spikes, ref.spikes, ref.hSeq, c.config.v_threshold, perStep);
    tally(backend, 'spikeFlipsNearThresholdVsCpu', spikes.nearThreshold, 'sum');
    tally(backend, 'spikeMismatchesVsCpu', spikes.real, 'sum');
    report[backend]!['minThresholdMarginCpu'] = Math.min(report[backend]!['minThresholdMarginCpu'] ?? Infinity, spikes.minMargin);
    expect(spikes.real, 'spikes differing away from the threshold').toBe(0);
    const keep = (i: number) => !spikes.divergedFrom.has(i % perStep) || Math.floor(i / perStep) < spikes.divergedFrom.get(i % perStep)!;
    const ev = maxAbsError(r.vSeq, ref.vSeq, keep);
    const eh = maxAbsError(r.hSeq, ref.hSeq, keep);
    const eg = maxMixedError(r.gradX, ref.gradX, (i) => !spikes.divergedFrom.has(i % perStep));
    tally(backend, 'maxVErrorVsCpu', Math.max(ev, eh), 'max');
    tally(backend, 'maxGradXErrorVsCpu', eg, 'max');
    expect(ev, 'v_seq').toBeLessThanOrEqual(TOL.v);
    expect(eh, 'H').toBeLessThanOrEqual(TOL.v);
    expect(eg, 'grad_x').toBeLessThanOrEqual(TOL.gradX);
    if (ref.gradW !== undefined && spikes.divergedFrom.size === 0) {
      const ew = Math.abs(r.gradW! - ref.gradW) / Math.max(Math.abs(ref.gradW), 1e-6);
      tally(backend, 'maxGradWRelativeErrorVsCpu', ew, 'max');
      expect(ew, 'grad_w (relative)').toBeLessThanOrEqual(TOL.gradWRelative);
    }
  });
});
