// The 33 spikingjelly golden surrogate entries (test/fixtures/golden/surrogates.json) in headless
// Chromium: heaviside forward, surrogate gradient and primitive on cpu, webgl and webgpu. Forward
// must be identical everywhere; gradients and primitives within 1e-5 of spikingjelly (as in Node)
// and within 1e-6 of cpu on the GPU backends, except SquarewaveFourierSeries on the GPUs, whose sums
// of sin/cos terms differ by up to 2e-4 there (GPU sin/cos lose absolute precision as the argument
// grows): 1e-3 for it, in both comparisons.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';
import { surrogateLabel, type SurrogateRun } from '../page/surrogates.js';
import { GPU_BACKENDS, loadJson, maxAbsError, writeReport } from './helpers.js';

interface GoldenEntry {
  class: string;
  params: Record<string, number>;
  forward: number[];
  grad: number[];
  primitive: number[] | null;
}

const TOL_VS_CPU = 1e-6;
const TOL_VS_GOLDEN = 1e-5;
/** Classes built from GPU transcendental functions with large arguments, and their tolerance. */
const LOOSE: Record<string, number> = { SquarewaveFourierSeries: 1e-3 };

const { entries } = loadJson<{ entries: GoldenEntry[] }>('test/fixtures/golden/surrogates.json');
const labels = entries.map((e) => [surrogateLabel(e), e] as const);
const BACKENDS = ['cpu', ...GPU_BACKENDS] as const;
const runs: Record<string, Map<string, SurrogateRun>> = {};
const errors: Record<string, string[]> = {};
const report: Record<string, Record<string, number>> = {};
let session: HarnessSession;

beforeAll(async () => {
  session = await openHarness(inject('origin'));
  for (const b of BACKENDS) {
    const outcomes = await session.call('surrogates', b);
    runs[b] = new Map(outcomes.filter((o) => o.result).map((o) => [o.label, o.result!]));
    errors[b] = outcomes.filter((o) => o.error).map((o) => `${o.label}: ${o.error}`);
  }
});

afterAll(async () => {
  await session?.close();
  writeReport('surrogates', { tolVsCpu: TOL_VS_CPU, tolVsSpikingjelly: TOL_VS_GOLDEN, loose: LOOSE, worstErrors: report });
});

function note(backend: string, key: string, v: number): void {
  const r = (report[backend] ??= {});
  r[key] = Math.max(r[key] ?? 0, v);
}

describe.each(BACKENDS)('surrogates in Chromium on %s', (backend) => {
  it('ran every entry on the requested backend', () => {
    expect(errors[backend]).toEqual([]);
    expect(runs[backend]!.size).toBe(33);
    for (const r of runs[backend]!.values()) expect(r.backend).toBe(backend);
  });

  it.each(labels)('%s matches spikingjelly', (label, e) => {
    const r = runs[backend]!.get(label)!;
    const tol = (backend !== 'cpu' && LOOSE[e.class]) || TOL_VS_GOLDEN;
    expect(r.forward).toEqual(e.forward);
    const eg = maxAbsError(r.grad, e.grad);
    note(backend, LOOSE[e.class] ? `gradVsSpikingjelly.${e.class}` : 'gradVsSpikingjelly', eg);
    expect(eg, 'grad').toBeLessThanOrEqual(tol);
    if (e.primitive) {
      const ep = maxAbsError(r.primitive!, e.primitive);
      note(backend, LOOSE[e.class] ? `primitiveVsSpikingjelly.${e.class}` : 'primitiveVsSpikingjelly', ep);
      expect(ep, 'primitive').toBeLessThanOrEqual(tol);
    } else {
      expect(r.primitive).toBeNull();
    }
  });
});

describe.each(GPU_BACKENDS)('surrogates: %s agrees with cpu in the same browser', (backend) => {
  it.each(labels)('%s', (label, e) => {
    const r = runs[backend]!.get(label)!;
    const ref = runs['cpu']!.get(label)!;
    const tol = LOOSE[e.class] ?? TOL_VS_CPU;
    expect(r.forward).toEqual(ref.forward);
    const eg = maxAbsError(r.grad, ref.grad);
    note(backend, LOOSE[e.class] ? `gradVsCpu.${e.class}` : 'gradVsCpu', eg);
    expect(eg, 'grad').toBeLessThanOrEqual(tol);
    if (ref.primitive) {
      const ep = maxAbsError(r.primitive!, ref.primitive);
      note(backend, LOOSE[e.class] ? `primitiveVsCpu.${e.class}` : 'primitiveVsCpu', ep);
      expect(ep, 'primitive').toBeLessThanOrEqual(tol);
    }
  });
});
