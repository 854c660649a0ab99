/**
 * `LRScheduler`: the base of the learning-rate schedulers, shaped like
 * torch.optim.lr_scheduler.LRScheduler. A scheduler owns an epoch counter; each `step()` advances
 * it and writes `getLr()` (a closed form of the epoch) into every parameter group's `lr`.
 */
import { assertNumber, ConfigError, describeValue } from '@snnts/core';
import { Optimizer } from './optimizer.js';

/**
 * A scheduler's serialisable (JSON) state: its own, not the optimizer's.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD, StepLR, type LRSchedulerStateDict } from '@snnts/optim';
 * const sched = new StepLR(new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 }), { stepSize: 2 });
 * const sd: LRSchedulerStateDict = sched.stateDict();
 * // { stepSize: 2, gamma: 0.1, lastEpoch: 0, baseLrs: [0.1], lastLr: [0.1] }
 * ```
 */
export interface LRSchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  [option: string]: unknown;
}

/**
 * Base class of the schedulers. On construction it records each group's `initialLr` (the base lr)
 * and applies epoch 0, as PyTorch does; call `step()` once per epoch, after `optimizer.step()`.
 *
 * Subclasses implement `getLr()` and call `this.initialStep()` at the end of their constructor
 * (their fields are not set yet while this constructor runs).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LRScheduler, SGD } from '@snnts/optim';
 * class HalveEachEpoch extends LRScheduler {
 *   constructor(opt: SGD) { super(opt); this.initialStep(); }
 *   protected getLr() { return this.baseLrs.map((lr) => lr * 0.5 ** this.lastEpoch); }
 * }
 * const sched = new HalveEachEpoch(new SGD([tf.variable(tf.zeros([1]))], { lr: 1 }));
 * sched.step();
 * console.log(sched.getLastLr()); // [0.5]
 * ```
 */
export abstract class LRScheduler {
  /** Stable class name (survives minification); used in error messages. */
  static className = 'LRScheduler';
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;
  /** Each group's lr at epoch 0. */
  baseLrs: number[];
  /** The current epoch (-1 before the initial step). */
  lastEpoch: number;
  /** The lrs set by the last step. */
  protected lastLr: number[];

  /**
   * @param optimizer the optimizer to schedule.
   * @param lastEpoch the epoch to resume after (default -1: start fresh). Resuming needs every
   * group's `initialLr`, which a previous scheduler (or a loaded optimizer state dict) set.
   */
  constructor(optimizer: Optimizer, lastEpoch = -1) {
    const fn = this.className;
    if (!(optimizer instanceof Optimizer)) {
      throw new ConfigError(fn, 'optimizer', 'an Optimizer (SGD, Adam, AdamW, ...)', describeValue(optimizer));
    }
    assertNumber(lastEpoch, (v) => Number.isInteger(v) && v >= -1, 'an integer >= -1', 'lastEpoch', fn);
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr = g.lr;
      else if (typeof g.initialLr !== 'number') {
        throw new ConfigError(fn, 'lastEpoch', `-1, since optimizer.paramGroups[${i}] has no initialLr to resume from`, String(lastEpoch));
      }
    });
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The class name of this instance. */
  get className(): string {
    return (this.constructor as typeof LRScheduler).className;
  }

  /** Each group's lr at `this.lastEpoch` (a closed form of the epoch and `baseLrs`). */
  protected abstract getLr(): number[];

  /** Applies the first epoch; subclasses call it at the end of their constructor. */
  protected initialStep(): void {
    this.step();
  }

  /**
   * Advances one epoch and sets every group's `lr`.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD, StepLR } from '@snnts/optim';
   * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 1 });
   * sched.step(); // opt.paramGroups[0].lr is now 0.1 * 0.1 ≈ 0.01
   * ```
   */
  step(): void {
    this.lastEpoch += 1;
    const lrs = this.getLr();
    lrs.forEach((lr, i) => {
      assertNumber(lr, Number.isFinite, 'a finite learning rate', `lr of paramGroups[${i}] at epoch ${this.lastEpoch}`, `${this.className}.step`);
      this.optimizer.paramGroups[i]!.lr = lr;
    });
    this.lastLr = lrs;
  }

  /**
   * The lrs the last `step()` set, one per group (PyTorch's `get_last_lr()`).
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { CosineAnnealingLR, SGD } from '@snnts/optim';
   * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
   * console.log(new CosineAnnealingLR(opt, { TMax: 10 }).getLastLr()); // [0.1]
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state (epoch, base lrs, options); the optimizer is not included.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD, StepLR } from '@snnts/optim';
   * const sched = new StepLR(new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 }), { stepSize: 2 });
   * const saved = JSON.stringify(sched.stateDict());
   * ```
   */
  stateDict(): LRSchedulerStateDict {
    return { ...this.options(), lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /**
   * Restores a state dict from `stateDict()`. Like PyTorch it does not touch the optimizer's lrs (those come
   * back with the optimizer's own state dict).
   *
   * @throws ConfigError when the number of base lrs differs from the number of groups.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD, StepLR } from '@snnts/optim';
   * const opt = new SGD([tf.variable(tf.zeros([1]))], { lr: 0.1 });
   * const a = new StepLR(opt, { stepSize: 2 });
   * a.step();
   * const b = new StepLR(opt, { stepSize: 2 });
   * b.loadStateDict(a.stateDict()); // b.lastEpoch === 1
   * ```
   */
  loadStateDict(stateDict: LRSchedulerStateDict): void {
    const fn = `${this.className}.loadStateDict`;
    const n = this.optimizer.paramGroups.length;
    for (const key of ['baseLrs', 'lastLr'] as const) {
      const v = stateDict?.[key];
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number')) {
        throw new ConfigError(fn, `stateDict.${key}`, `one number per parameter group (${n})`, describeValue(v));
      }
    }
    assertNumber(stateDict.lastEpoch, (v) => Number.isInteger(v) && v >= -1, 'an integer >= -1', 'stateDict.lastEpoch', fn);
    this.loadOptions(stateDict, fn);
    this.lastEpoch = stateDict.lastEpoch;
    this.baseLrs = [...stateDict.baseLrs];
    this.lastLr = [...stateDict.lastLr];
  }

  /** The subclass's own options, saved in the state dict. */
  protected options(): Record<string, unknown> {
    return {};
  }

  /** Validates and restores the subclass's own options from a state dict. */
  protected loadOptions(_stateDict: LRSchedulerStateDict, _fn: string): void {}
}
