// A short training run in Chromium on cpu, webgl and webgpu: the examples/browser trainer
// (784-64-10 LIF, T = 8, AdamW 2e-3, batch 32, seed 0) for 60 steps on the bundled MNIST digits.
// The loss must fall (mean of the last 10 steps under half of the first 10), test accuracy on 500
// held-out digits must be far above chance (> 0.5; chance is 0.1), no tensor may leak, and the
// GPU backends must follow cpu's loss curve for the first 10 steps within 1e-5 (same seed, same
// batches; observed 7e-9: later steps may drift once a near-threshold spike flips).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';
import type { TrainRun } from '../page/harness.js';
import { GPU_BACKENDS, writeReport } from './helpers.js';

const STEPS = 60;
const TEST_COUNT = 500;
const OPTIONS = { hidden: 64, T: 8, batchSize: 32, lr: 2e-3, seed: 0 };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const runs: Record<string, TrainRun> = {};
let s: HarnessSession;

beforeAll(async () => {
  s = await openHarness(inject('origin'));
});
afterAll(async () => {
  await s?.close();
  writeReport('training', Object.fromEntries(Object.entries(runs).map(([b, r]) => [b, { ...r, losses: r.losses.map((l) => +l.toFixed(6)) }])));
});

describe.each(['cpu', ...GPU_BACKENDS])('training in Chromium on %s', (backend) => {
  it(`${STEPS} steps: loss falls, accuracy > 0.5, no leak`, async () => {
    const r = await s.call('train', backend, STEPS, TEST_COUNT, OPTIONS);
    runs[backend] = r;
    expect(r.backend).toBe(backend);
    expect(r.losses).toHaveLength(STEPS);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(mean(r.losses.slice(-10))).toBeLessThan(0.5 * mean(r.losses.slice(0, 10)));
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
  });

  it.skipIf(backend === 'cpu')('follows the cpu loss curve over the first 10 steps', () => {
    const ref = runs['cpu'];
    const r = runs[backend];
    expect(ref && r, 'the training runs above must have completed').toBeTruthy();
    for (let i = 0; i < 10; i++) expect(Math.abs(r!.losses[i]! - ref!.losses[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-5);
  });
});
