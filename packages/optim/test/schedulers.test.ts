/**
 * Learning-rate schedulers: StepLR and CosineAnnealingLR against torch.optim.lr_scheduler's
 * numbers, LambdaLR against its definition, per-group base lrs, state dicts and resuming.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '@snnts/core';
import { Adam, CosineAnnealingLR, LambdaLR, SGD, StepLR, type LRScheduler } from '@snnts/optim';
import { fixture } from './helpers.js';

const v = () => tf.variable(tf.zeros([1]));

function expectLrs(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(expected[i]!) + 1e-15));
}

describe('schedulers match torch.optim.lr_scheduler', () => {
  it.each(fixture.schedulers.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const opt = new SGD([v()], { lr: c.lr });
    const sched: LRScheduler =
      c.scheduler === 'StepLR'
        ? new StepLR(opt, c.options as { stepSize: number })
        : new CosineAnnealingLR(opt, c.options as { TMax: number });
    const lrs = [sched.getLastLr()[0]!];
    for (let k = 1; k < c.lrs.length; k++) {
      sched.step();
      lrs.push(sched.getLastLr()[0]!);
      expect(opt.paramGroups[0]!.lr).toBe(lrs[k]);
    }
    expectLrs(lrs, c.lrs);
  });
});

describe('StepLR', () => {
  it('decays every group from its own base lr', () => {
    const opt = new SGD([{ params: [v()] }, { params: [v()], lr: 1 }], { lr: 0.1 });
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const seen = [sched.getLastLr()];
    for (let k = 0; k < 4; k++) {
      sched.step();
      seen.push(sched.getLastLr());
    }
    expect(seen.map((l) => l.map((x) => +x.toPrecision(12)))).toEqual([
      [0.1, 1], [0.1, 1], [0.05, 0.5], [0.05, 0.5], [0.025, 0.25],
    ]);
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 1]);
  });

  it('getLastLr returns a copy', () => {
    const sched = new StepLR(new SGD([v()], { lr: 0.1 }), { stepSize: 1 });
    sched.getLastLr()[0] = 5;
    expect(sched.getLastLr()).toEqual([0.1]);
  });
});

describe('CosineAnnealingLR', () => {
  it('follows the closed form eta_min + (base - eta_min)(1 + cos(pi t / T)) / 2', () => {
    const opt = new Adam([v()], { lr: 0.3 });
    const sched = new CosineAnnealingLR(opt, { TMax: 7, etaMin: 0.02 });
    for (let t = 0; t <= 20; t++) {
      const expected = 0.02 + (0.3 - 0.02) * (1 + Math.cos((Math.PI * t) / 7)) / 2;
      expect(sched.getLastLr()[0]).toBeCloseTo(expected, 14);
      sched.step();
    }
  });
});

describe('LambdaLR', () => {
  it('sets base lr times lambda(epoch), one function or one per group', () => {
    const opt = new SGD([{ params: [v()] }, { params: [v()], lr: 1 }], { lr: 0.1 });
    const one = new LambdaLR(opt, (e) => 0.9 ** e);
    one.step();
    one.step();
    expectLrs(one.getLastLr(), [0.1 * 0.81, 0.81]);
    const opt2 = new SGD([{ params: [v()] }, { params: [v()], lr: 1 }], { lr: 0.1 });
    const per = new LambdaLR(opt2, [(e) => e + 1, (e) => 1 / (e + 1)]);
    expectLrs(per.getLastLr(), [0.1, 1]);
    per.step();
    expectLrs(per.getLastLr(), [0.2, 0.5]);
    expectLrs(opt2.paramGroups.map((g) => g.lr), [0.2, 0.5]);
  });

  it('a warmup lambda changes the lr at construction (epoch 0), as in PyTorch', () => {
    const opt = new SGD([v()], { lr: 0.1 });
    new LambdaLR(opt, (e) => Math.min(1, (e + 1) / 5));
    expectLrs([opt.paramGroups[0]!.lr], [0.02]);
  });

  it('rejects a lambda returning a non-finite number', () => {
    const opt = new SGD([v()], { lr: 0.1 });
    const sched = new LambdaLR(opt, (e) => (e > 0 ? NaN : 1));
    expect(() => sched.step()).toThrow(ConfigError);
    expect(() => new LambdaLR(new SGD([v()], { lr: 0.1 }), () => Infinity)).toThrow(/LambdaLR\.step: 'lrLambda\(0\)' expected a function returning a finite number, but got number Infinity/);
  });
});

describe('scheduler state', () => {
  it('stateDict / loadStateDict round-trip, and resuming with lastEpoch continues the schedule', () => {
    const opt = new SGD([v()], { lr: 0.1 });
    const a = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    for (let k = 0; k < 3; k++) a.step();
    const sd = a.stateDict();
    expect(JSON.parse(JSON.stringify(sd))).toEqual({ stepSize: 2, gamma: 0.5, lastEpoch: 3, baseLrs: [0.1], lastLr: [0.05] });

    const b = new StepLR(new SGD([v()], { lr: 0.1 }), { stepSize: 7, gamma: 0.9 });
    b.loadStateDict(sd);
    expect([b.stepSize, b.gamma, b.lastEpoch]).toEqual([2, 0.5, 3]);
    a.step();
    b.step();
    expect(b.getLastLr()).toEqual(a.getLastLr());

    // PyTorch-style resume: the optimizer's groups carry initialLr.
    const c = new StepLR(opt, { stepSize: 2, gamma: 0.5, lastEpoch: 4 });
    expectLrs(c.getLastLr(), [0.1 * 0.5 ** 2]);
  });

  it('resuming needs initialLr on the groups', () => {
    const opt = new SGD([v()], { lr: 0.1 });
    expect(() => new CosineAnnealingLR(opt, { TMax: 5, lastEpoch: 3 })).toThrow(
      /CosineAnnealingLR: 'lastEpoch' expected -1, since optimizer.paramGroups\[0\] has no initialLr to resume from, but got 3/,
    );
  });

  it('loadStateDict rejects a dict for a different number of groups', () => {
    const sched = new StepLR(new SGD([v()], { lr: 0.1 }), { stepSize: 2 });
    const other = new StepLR(new SGD([{ params: [v()] }, { params: [v()] }], { lr: 0.1 }), { stepSize: 2 });
    expect(() => sched.loadStateDict(other.stateDict())).toThrow(ConfigError);
    expect(() => sched.loadStateDict(other.stateDict())).toThrow(/StepLR.loadStateDict: 'stateDict.baseLrs' expected one number per parameter group \(1\), but got an array of length 2/);
  });
});
