/**
 * The built-in learning-rate schedules: `StepLR`, `CosineAnnealingLR` and `LambdaLR`, each a
 * closed form of the epoch, with PyTorch's option names (camelCase) and defaults.
 */
import { assertNumber, ConfigError, describeValue } from '@snnts/core';
import { LRScheduler, type LRSchedulerStateDict } from './lr_scheduler.js';
import type { Optimizer } from './optimizer.js';

/**
 * Options of {@link StepLR} (PyTorch's `step_size`, `gamma`, `last_epoch`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, StepLR, type StepLROptions } from '@snnts/optim';
 * const options: StepLROptions = { stepSize: 30, gamma: 0.1 };
 * new StepLR(new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 }), options);
 * ```
 */
export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Multiplicative factor of each decay (default 0.1). */
  gamma?: number;
  /** The epoch to resume after (default -1). */
  lastEpoch?: number;
}

function checkStepLR(stepSize: unknown, gamma: unknown, fn: string, prefix = ''): void {
  assertNumber(stepSize, (v) => Number.isInteger(v) && v > 0, 'a positive integer', `${prefix}stepSize`, fn);
  assertNumber(gamma, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', `${prefix}gamma`, fn);
}

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs:
 * `lr = baseLr * gamma ^ floor(epoch / stepSize)` (torch.optim.lr_scheduler.StepLR).
 *
 * @throws ConfigError when `stepSize` is not a positive integer or `gamma` is negative.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, StepLR } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) {
 *   // ... train one epoch with opt ...
 *   sched.step();
 * }
 * ```
 */
export class StepLR extends LRScheduler {
  static override className = 'StepLR';
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    const { stepSize, gamma = 0.1, lastEpoch = -1 } = options ?? ({} as StepLROptions);
    checkStepLR(stepSize, gamma, 'StepLR', 'options.');
    super(optimizer, lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  protected override options(): Record<string, unknown> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected override loadOptions(sd: LRSchedulerStateDict, fn: string): void {
    checkStepLR(sd['stepSize'], sd['gamma'], fn, 'stateDict.');
    this.stepSize = sd['stepSize'] as number;
    this.gamma = sd['gamma'] as number;
  }
}

/**
 * Options of {@link CosineAnnealingLR} (PyTorch's `T_max`, `eta_min`, `last_epoch`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { CosineAnnealingLR, SGD, type CosineAnnealingLROptions } from '@snnts/optim';
 * const options: CosineAnnealingLROptions = { TMax: 50, etaMin: 1e-4 };
 * new CosineAnnealingLR(new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 }), options);
 * ```
 */
export interface CosineAnnealingLROptions {
  /** Half-period of the cosine, in epochs (> 0). */
  TMax: number;
  /** The minimum lr (default 0). */
  etaMin?: number;
  /** The epoch to resume after (default -1). */
  lastEpoch?: number;
}

function checkCosine(TMax: unknown, etaMin: unknown, fn: string, prefix = ''): void {
  assertNumber(TMax, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0', `${prefix}TMax`, fn);
  assertNumber(etaMin, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0', `${prefix}etaMin`, fn);
}

/**
 * Cosine annealing without restarts, PyTorch's closed form:
 * `lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * epoch / TMax)) / 2`. After `TMax` epochs the
 * cosine continues (the lr rises again), as in PyTorch.
 *
 * @throws ConfigError when `TMax` is not > 0 or `etaMin` is negative.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Adam, CosineAnnealingLR } from '@snnts/optim';
 * const opt = new Adam([tf.variable(tf.zeros([1]))], { lr: 1e-3 });
 * const sched = new CosineAnnealingLR(opt, { TMax: 100, etaMin: 1e-5 });
 * sched.step();
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  static override className = 'CosineAnnealingLR';
  TMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    const { TMax, etaMin = 0, lastEpoch = -1 } = options ?? ({} as CosineAnnealingLROptions);
    checkCosine(TMax, etaMin, 'CosineAnnealingLR', 'options.');
    super(optimizer, lastEpoch);
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected override getLr(): number[] {
    const c = (1 + Math.cos((Math.PI * this.lastEpoch) / this.TMax)) / 2;
    return this.baseLrs.map((lr) => this.etaMin + (lr - this.etaMin) * c);
  }

  protected override options(): Record<string, unknown> {
    return { TMax: this.TMax, etaMin: this.etaMin };
  }

  protected override loadOptions(sd: LRSchedulerStateDict, fn: string): void {
    checkCosine(sd['TMax'], sd['etaMin'], fn, 'stateDict.');
    this.TMax = sd['TMax'] as number;
    this.etaMin = sd['etaMin'] as number;
  }
}

/**
 * A multiplicative factor of the base lr as a function of the epoch.
 *
 * @example
 * ```ts
 * import type { LrLambda } from '@snnts/optim';
 * const linearWarmup: LrLambda = (epoch) => Math.min(1, (epoch + 1) / 10);
 * ```
 */
export type LrLambda = (epoch: number) => number;

/**
 * Options of {@link LambdaLR}.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LambdaLR, SGD, type LambdaLROptions } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
 * opt.paramGroups[0]!.initialLr = 0.1; // as a loaded optimizer state dict would have it
 * const options: LambdaLROptions = { lastEpoch: 9 };
 * new LambdaLR(opt, (epoch) => 0.95 ** epoch, options); // resumes at epoch 10
 * ```
 */
export interface LambdaLROptions {
  /** The epoch to resume after (default -1). */
  lastEpoch?: number;
}

/**
 * Sets `lr = baseLr * lrLambda(epoch)`, with one function for all groups or one per group
 * (torch.optim.lr_scheduler.LambdaLR). The functions are not part of the state dict.
 *
 * @throws ConfigError when `lrLambda` is not a function (or one per group), or returns a
 * non-finite number.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LambdaLR, SGD } from '@snnts/optim';
 * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
 * const warmup = new LambdaLR(opt, (epoch) => Math.min(1, (epoch + 1) / 5));
 * console.log(warmup.getLastLr()); // [0.02]
 * ```
 */
export class LambdaLR extends LRScheduler {
  static override className = 'LambdaLR';
  /** One function per parameter group. */
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: Optimizer, lrLambda: LrLambda | LrLambda[], options: LambdaLROptions = {}) {
    const fn = 'LambdaLR';
    const n = (optimizer as Partial<Optimizer> | undefined)?.paramGroups?.length ?? 0;
    const ok = typeof lrLambda === 'function' || (Array.isArray(lrLambda) && lrLambda.length === n && lrLambda.every((f) => typeof f === 'function'));
    if (!ok) {
      throw new ConfigError(fn, 'lrLambda', `a function, or an array of one function per parameter group (${n})`, describeValue(lrLambda));
    }
    super(optimizer, options.lastEpoch ?? -1);
    this.lrLambdas = Array.isArray(lrLambda) ? [...lrLambda] : this.optimizer.paramGroups.map(() => lrLambda);
    this.initialStep();
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((lr, i) => {
      const factor = this.lrLambdas[i]!(this.lastEpoch);
      assertNumber(factor, Number.isFinite, 'a function returning a finite number', `lrLambda(${this.lastEpoch})`, `${this.className}.step`);
      return lr * factor;
    });
  }
}
