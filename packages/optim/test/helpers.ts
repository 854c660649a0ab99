/**
 * Shared test helpers: the PyTorch fixture (written by scripts/make_fixtures.py), the backends
 * every numeric suite runs on, and a relative-error comparison.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Adam, AdamW, SGD, type Optimizer } from '@snnts/optim';

/** One torch.optim run: the options, the groups (parameter indices) and the parameters after each step. */
export interface OptimizerCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  call: string;
  options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[];
  scheduler: { name: 'StepLR' | 'CosineAnnealingLR'; options: Record<string, number> } | null;
  params: number[][][];
}

/** One scheduler run: `lrs[0]` after construction, `lrs[k]` after the k-th `step()`. */
export interface SchedulerCase {
  name: string;
  scheduler: 'StepLR' | 'CosineAnnealingLR';
  call: string;
  lr: number;
  options: Record<string, number>;
  lrs: number[];
}

export interface TorchFixture {
  torch: string;
  shapes: number[][];
  params0: number[][];
  grads: number[][][];
  optimizers: OptimizerCase[];
  schedulers: SchedulerCase[];
}

export const fixture: TorchFixture = JSON.parse(
  readFileSync(new URL('./fixtures/torch_optim.json', import.meta.url), 'utf8'),
) as TorchFixture;

/** The backends the numeric suites run on. */
export const BACKENDS = ['cpu', 'wasm'] as const;

/** Largest `|a - b| / |b|` over the elements. */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    worst = Math.max(worst, Math.abs(actual[i]! - e) / Math.abs(e));
  }
  return worst;
}

/** Fresh variables holding the fixture's initial parameters. */
export function makeParams(): tf.Variable[] {
  return fixture.params0.map((v, i) => tf.variable(tf.tensor(v, fixture.shapes[i], 'float32')));
}

/** The fixture's gradients of step `k` (0-based), keyed by variable. */
export function gradsAt(params: tf.Variable[], k: number): Map<tf.Variable, tf.Tensor> {
  return new Map(params.map((p, i) => [p, tf.tensor(fixture.grads[k]![i]!, fixture.shapes[i], 'float32')]));
}

/** The fixture case's optimizer over `params`, with `overrides` applied to its default options. */
export function makeOptimizer(c: OptimizerCase, params: tf.Variable[], overrides: Record<string, unknown> = {}): Optimizer {
  const groups = c.groups.map(({ params: ids, ...rest }) => ({ ...rest, params: ids.map((i) => params[i]!) }));
  const options = { ...c.options, ...overrides };
  switch (c.optimizer) {
    case 'SGD':
      return new SGD(groups, options as { lr: number });
    case 'Adam':
      return new Adam(groups, options);
    case 'AdamW':
      return new AdamW(groups, options);
    default:
      return c.optimizer satisfies never;
  }
}
