/**
 * Golden tests: SGD, Adam, AdamW (and their use with StepLR / CosineAnnealingLR) reproduce
 * torch.optim's parameters after every step, within 1e-6 relative, on the cpu and wasm backends.
 * The numbers come from scripts/make_fixtures.py (torch version and exact calls in the fixture).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect, beforeAll } from 'vitest';
import { setBackend } from '@snnts/core';
import { CosineAnnealingLR, StepLR, type CosineAnnealingLROptions, type LRScheduler, type Optimizer, type StepLROptions } from '@snnts/optim';
import { BACKENDS, fixture, gradsAt, makeOptimizer, makeParams, maxRelError, type OptimizerCase } from './helpers.js';

const RTOL = 1e-6;

function build(c: OptimizerCase, params: tf.Variable[]): [Optimizer, LRScheduler | null] {
  const opt = makeOptimizer(c, params);
  const sched = c.scheduler;
  if (sched === null) return [opt, null];
  switch (sched.name) {
    case 'StepLR':
      return [opt, new StepLR(opt, sched.options as unknown as StepLROptions)];
    case 'CosineAnnealingLR':
      return [opt, new CosineAnnealingLR(opt, sched.options as unknown as CosineAnnealingLROptions)];
    default:
      return sched.name satisfies never;
  }
}

describe.each(BACKENDS)('torch.optim parity on %s', (backend) => {
  beforeAll(async () => {
    expect(await setBackend(backend)).toBe(backend);
  });

  it(`uses the fixture of torch ${fixture.torch}`, () => {
    expect(fixture.optimizers.length).toBeGreaterThanOrEqual(15);
  });

  it.each(fixture.optimizers.map((c) => [c.name, c] as const))('%s matches every step', (_name, c) => {
    const params = makeParams();
    const [opt, sched] = build(c, params);
    c.params.forEach((expected, k) => {
      const grads = gradsAt(params, k);
      opt.step(grads);
      sched?.step();
      tf.dispose([...grads.values()]);
      params.forEach((p, i) => {
        const err = maxRelError(p.dataSync(), expected[i]!);
        expect(err, `${c.call}\nstep ${k + 1}, param ${i}: max relative error ${err}`).toBeLessThanOrEqual(RTOL);
      });
    });
    opt.dispose();
    tf.dispose(params);
  });
});
