// The PyTorch layer fixtures of packages/nn/test/fixtures (Conv2d, MaxPool2d/AvgPool2d/
// AdaptiveAvgPool2d, BatchNorm1d/2d and tdBN) in headless Chromium: outputs and gradients on cpu,
// webgl and webgpu, within 1e-4 of PyTorch (as in Node) and within 1e-5 of in-browser cpu on the
// GPU backends (observed: 2e-6), both as max |a - b| / max(1, |b|). Cases that tfjs 4.22 gets
// wrong on a GPU backend are listed in KNOWN_BROKEN with the cause; they must still fail, so the
// list is shortened as soon as one is fixed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';
import type { Nested } from '../../test/helpers/fixture_types.js';
import type { LayerRun } from '../page/layers.js';
import type { Outcome } from '../page/harness.js';
import { GPU_BACKENDS, flat, loadJson, maxMixedError, writeReport } from './helpers.js';

const TOL_VS_TORCH = 1e-4;
const TOL_VS_CPU = 1e-5;

/**
 * Cases that tfjs 4.22 gets wrong on a GPU backend, with the cause: none at the moment. (MaxPool2d's
 * backward for stride > 1 used to pad a rank-6 tensor, which webgl did not compile and webgpu
 * computed as zeros; packages/nn/src/layers/max_pool_grad.ts now stays at rank <= 4.)
 */
const KNOWN_BROKEN: Record<string, Record<string, string>> = { webgl: {}, webgpu: {} };

type Kind = 'conv' | 'pool' | 'norm';

/** The PyTorch values of a case, keyed like the harness's LayerRun.values. */
function torchValues(kind: Kind, c: Record<string, unknown>): Record<string, number[]> {
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => c[k] != null).map((k) => [k, flat(c[k])]));
  if (kind === 'conv') return pick(['y', 'grad_x', 'grad_weight', 'grad_bias']);
  if (kind === 'pool') return { output: c['output'] as number[], gradInput: c['gradInput'] as number[] };
  const out: Record<string, number[]> = {};
  for (const mode of ['train', 'eval'] as const) {
    const rec = c[mode] as Record<string, Nested>;
    for (const k of ['output', 'grad_input', 'grad_weight', 'grad_bias', 'output2', 'running_mean', 'running_var']) {
      if (rec[k] !== undefined) out[`${mode}.${k}`] = flat(rec[k]);
    }
  }
  return out;
}

const FIXTURES: Record<Kind, { file: string; label: (c: Record<string, unknown>) => string }> = {
  conv: { file: 'packages/nn/test/fixtures/torch_conv.json', label: (c) => `Conv2d ${c['name']}` },
  pool: { file: 'packages/nn/test/fixtures/torch_pool.json', label: (c) => c['python'] as string },
  norm: { file: 'packages/nn/test/fixtures/torch_norm.json', label: (c) => `${c['cls']} ${c['name']}` },
};
const cases = (Object.keys(FIXTURES) as Kind[]).flatMap((kind) =>
  loadJson<{ cases: Record<string, unknown>[] }>(FIXTURES[kind].file).cases.map((c) => ({ kind, label: FIXTURES[kind].label(c), torch: torchValues(kind, c) })),
);
const BACKENDS = ['cpu', ...GPU_BACKENDS] as const;
const runs: Record<string, Map<string, Outcome<LayerRun>>> = {};
const report: Record<string, Record<string, number | string[]>> = {};
let session: HarnessSession;

beforeAll(async () => {
  session = await openHarness(inject('origin'));
  for (const b of BACKENDS) {
    const r = await session.call('layers', b);
    runs[b] = new Map([...r.conv, ...r.pool, ...r.norm].map((o) => [o.label, o]));
  }
});

afterAll(async () => {
  await session?.close();
  writeReport('layers', { tolVsTorch: TOL_VS_TORCH, tolVsCpu: TOL_VS_CPU, knownBroken: KNOWN_BROKEN, backends: report });
});

/** Worst error per key of `values` against `expected`; Infinity for a missing key. */
function worst(values: Record<string, number[]>, expected: Record<string, number[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(expected).map(([k, e]) => [k, values[k] ? maxMixedError(values[k]!, e) : Infinity]));
}

function note(backend: string, key: string, errs: Record<string, number>): void {
  const r = (report[backend] ??= {});
  r[key] = Math.max((r[key] as number | undefined) ?? 0, ...Object.values(errs));
}

describe.each(BACKENDS)('layer fixtures in Chromium on %s', (backend) => {
  it('ran all 34 cases', () => {
    expect(cases.length).toBe(34);
    expect(runs[backend]!.size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', (label, c) => {
    const o = runs[backend]!.get(label)!;
    const ref = runs['cpu']!.get(label)!;
    const broken = KNOWN_BROKEN[backend]?.[label];
    const vsTorch = o.result ? worst(o.result.values, c.torch) : null;
    const vsCpu = o.result && ref.result && backend !== 'cpu' ? worst(o.result.values, ref.result.values) : null;
    const ok = o.result !== undefined && Object.values(vsTorch!).every((e) => e <= TOL_VS_TORCH) && (vsCpu === null || Object.values(vsCpu).every((e) => e <= TOL_VS_CPU));
    if (broken) {
      (report[backend] ??= {})['knownBrokenStillBroken'] = [...((report[backend]!['knownBrokenStillBroken'] as string[]) ?? []), label];
      expect(ok, `${label} on ${backend} now passes: remove it from KNOWN_BROKEN (${broken})`).toBe(false);
      return;
    }
    expect(o.error, 'error').toBeUndefined();
    expect(o.result!.backend).toBe(backend);
    note(backend, `${c.kind}VsTorch`, vsTorch!);
    for (const [k, e] of Object.entries(vsTorch!)) expect(e, `${k} vs PyTorch`).toBeLessThanOrEqual(TOL_VS_TORCH);
    if (vsCpu) {
      note(backend, `${c.kind}VsCpu`, vsCpu);
      expect(Object.keys(vsCpu).sort()).toEqual(Object.keys(o.result!.values).sort());
      for (const [k, e] of Object.entries(vsCpu)) expect(e, `${k} vs cpu`).toBeLessThanOrEqual(TOL_VS_CPU);
    }
  });
});
