/**
 * `BatchNorm1d` / `BatchNorm2d`: batch normalisation with PyTorch's semantics and state-dict names
 * (`weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`), channel axis 1 of the
 * public NCHW layout. Training normalises with the biased batch variance and moves the running
 * statistics towards the batch mean and the unbiased batch variance; evaluation uses the running
 * statistics. In `'m'` mode `[T, N, C, ...]` is one `[T*N, C, ...]` batch, as spikingjelly's
 * `layer.BatchNorm2d`, so the statistics are taken over time and batch together.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, assertNumber, assertPositiveInt, assertRank, describeValue, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { batchNormTrain } from '@snnts/functional';
import { hoistedRepeats } from '../containers/time_invariant.js';
import { StepLayer } from './step_layer.js';

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's defaults). */
export interface BatchNormArgs extends StepModuleArgs {
  /** Added to the variance before the square root (default `1e-5`); a finite number > 0. */
  eps?: number;
  /**
   * Weight of the new batch statistic in the running average, in [0, 1] (default `0.1`):
   * `running = (1 - momentum) * running + momentum * batch`. `null` gives the cumulative
   * average over all batches seen (momentum `1 / numBatchesTracked`), as PyTorch's `None`.
   */
  momentum?: number | null;
  /** Learnable per-channel `weight` (ones) and `bias` (zeros) (default `true`). */
  affine?: boolean;
  /**
   * Keep `running_mean`, `running_var` and `num_batches_tracked` buffers and use them in
   * evaluation (default `true`). Without them batch statistics are used in both modes.
   */
  trackRunningStats?: boolean;
}

/** Throws a `ConfigError` unless `value` is a boolean. */
function checkBool(value: unknown, arg: string, fn: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(fn, arg, 'a boolean', describeValue(value));
  return value;
}

/**
 * Base class of the batch normalisation layers: options, parameters, buffers and the forward
 * pass. Subclasses only say which input ranks they accept (`inputRanks`, `layouts`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { BatchNormBase } from '@snnts/nn';
 * class BatchNorm3d extends BatchNormBase {
 *   static override className = 'BatchNorm3d';
 *   protected override get inputRanks() { return [5]; }
 *   protected get layouts() { return ['N, C, D, H, W']; }
 * }
 * new BatchNorm3d(2).call(tf.randomNormal([2, 2, 3, 3, 3])).shape; // [2, 2, 3, 3, 3]
 * ```
 */
export abstract class BatchNormBase extends StepLayer {
  static override className = 'BatchNormBase';
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** Running-average weight of the batch statistics, or `null` for the cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` exist. */
  readonly affine: boolean;
  /** Whether the running statistics exist and are used in evaluation. */
  readonly trackRunningStats: boolean;
  /** `[numFeatures]`, initialised to ones; `null` when `affine` is false. */
  readonly weight: tf.Variable | null;
  /** `[numFeatures]`, initialised to zeros; `null` when `affine` is false. */
  readonly bias: tf.Variable | null;

  constructor(
    readonly numFeatures: number,
    args: BatchNormArgs = {},
  ) {
    super(args);
    const fn = this.className;
    assertPositiveInt(numFeatures, 'numFeatures', fn);
    const eps = args.eps ?? 1e-5;
    assertNumber(eps, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0', 'eps', fn);
    const momentum = args.momentum === undefined ? 0.1 : args.momentum;
    if (momentum !== null) assertNumber(momentum, (v) => v >= 0 && v <= 1, 'a number in [0, 1] or null', 'momentum', fn);
    this.eps = eps;
    this.momentum = momentum;
    this.affine = checkBool(args.affine ?? true, 'affine', fn);
    this.trackRunningStats = checkBool(args.trackRunningStats ?? true, 'trackRunningStats', fn);
    this.weight = this.affine ? this.registerParameter('weight', tf.ones([numFeatures])) : null;
    this.bias = this.affine ? this.registerParameter('bias', tf.zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', tf.zeros([numFeatures]));
      this.registerBuffer('running_var', tf.ones([numFeatures]));
      this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
    }
  }

  /** The input layouts of one step without brackets, for error messages, e.g. `['N, C, H, W']`. */
  protected abstract get layouts(): readonly string[];

  /** The accepted layouts in a step mode, e.g. `'[T, N, C, H, W]'`. */
  private layoutText(multi: boolean): string {
    return this.layouts.map((l) => `[${multi ? 'T, ' : ''}${l}]`).join(' or ');
  }

  /** `running_mean` (`[numFeatures]`), or `null` without `trackRunningStats`. Owned by the layer. */
  get runningMean(): tf.Tensor | null {
    return this.trackRunningStats ? this.getBuffer('running_mean') : null;
  }

  /** `running_var` (`[numFeatures]`), or `null` without `trackRunningStats`. Owned by the layer. */
  get runningVar(): tf.Tensor | null {
    return this.trackRunningStats ? this.getBuffer('running_var') : null;
  }

  /** `num_batches_tracked` (int32 scalar), or `null` without `trackRunningStats`. */
  get numBatchesTracked(): tf.Tensor | null {
    return this.trackRunningStats ? this.getBuffer('num_batches_tracked') : null;
  }

  /** Checks rank and channel count with the layout in the message, then normalises. */
  override forward(x: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.forward`;
    const multi = this.stepMode === 'm';
    const arg = multi ? 'xSeq' : 'x';
    const layout = this.layoutText(multi);
    const ranks = multi ? this.inputRanks.map((r) => r + 1) : this.inputRanks;
    assertRank(x, ranks, arg, fn, `stepMode '${this.stepMode}' takes ${layout}.`);
    const axis = multi ? 2 : 1;
    if (x.shape[axis] !== this.numFeatures) {
      throw new ShapeError(fn, arg, `${this.numFeatures} channels (numFeatures) on axis ${axis} of ${layout}`, `shape [${x.shape.join(', ')}]`);
    }
    return multi ? this.multiStepLayerForward(x, fn) : this.layerForward(x);
  }

  /**
   * Normalises one batch `[N, C, ...]` over every axis but the channel axis 1. Training (or no
   * running statistics): `batchNormTrain` of `@snnts/functional` (one fused kernel each way on cpu
   * and wasm, closed-form gradient elsewhere). Evaluation: `x·scale + shift` with the per-channel
   * `scale = weight / √(running_var + ε)` and `shift = bias - running_mean·scale`.
   */
  layerForward(x: tf.Tensor): tf.Tensor {
    const C = this.numFeatures;
    if (this.training || !this.trackRunningStats) {
      const n = x.size / C;
      if (this.training && n <= 1) {
        throw new ShapeError(`${this.className}.forward`, 'x', 'more than 1 value per channel in training mode', `shape [${x.shape.join(', ')}]`, 'Use a larger batch, or eval().');
      }
      const { y, mean, variance } = batchNormTrain(x, this.weight, this.bias, this.eps);
      // A hoisted frame stands for T identical steps: the Bessel factor counts all T·N·... values.
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, n * hoistedRepeats());
      return y;
    }
    const bshape = [1, C, ...Array<number>(x.rank - 2).fill(1)];
    const invStd = tf.rsqrt(tf.add(this.getBuffer('running_var'), this.eps));
    const scale = this.weight ? tf.mul(this.weight, invStd) : invStd;
    const shift = tf.sub(this.bias ?? tf.zeros([C]), tf.mul(this.getBuffer('running_mean'), scale));
    return tf.add(tf.mul(x, tf.reshape(scale, bshape)), tf.reshape(shift, bshape));
  }

  /**
   * `running = (1 - f) * running + f * batch`, with the unbiased variance `var * n / (n - 1)` and
   * `f = momentum`, or `1 / numBatchesTracked` for `momentum: null`. The new buffers are kept and
   * the old ones disposed; nothing here feeds the output, so no gradient flows through it.
   */
  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    const [runningMean, runningVar, count] = tf.tidy(() => {
      const count = tf.add(this.getBuffer('num_batches_tracked'), tf.scalar(1, 'int32'));
      const f: tf.Tensor | number = this.momentum ?? tf.div(1, tf.cast(count, 'float32'));
      const keep = typeof f === 'number' ? 1 - f : tf.sub(1, f);
      const blend = (old: tf.Tensor, batch: tf.Tensor) => tf.add(tf.mul(old, keep), tf.mul(tf.reshape(batch, [this.numFeatures]), f));
      const unbiased = tf.mul(variance, n / (n - 1));
      return [blend(this.getBuffer('running_mean'), mean), blend(this.getBuffer('running_var'), unbiased), count];
    }) as [tf.Tensor, tf.Tensor, tf.Tensor];
    this.setBuffer('running_mean', runningMean);
    this.setBuffer('running_var', runningVar);
    this.setBuffer('num_batches_tracked', count);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
    };
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` (`[T, N, C]` or `[T, N, C, L]` in `'m'`
 * mode), PyTorch's `nn.BatchNorm1d` / spikingjelly's `layer.BatchNorm1d`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { BatchNorm1d } from '@snnts/nn';
 * const bn = new BatchNorm1d(4);
 * const y = bn.call(tf.randomNormal([8, 4], 3, 2)); // per-feature mean 0, variance 1
 * console.log(Object.keys(bn.stateDict())); // weight, bias, running_mean, running_var, num_batches_tracked
 * bn.eval(); // now normalises with running_mean / running_var
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  static override className = 'BatchNorm1d';
  constructor(numFeatures: number, args: BatchNormArgs = {}) {
    super(numFeatures, args);
  }
  protected override get inputRanks(): readonly number[] {
    return [2, 3];
  }
  protected get layouts(): readonly string[] {
    return ['N, C', 'N, C, L'];
  }
  /** Rebuilds from {@link BatchNormBase.getConfig}'s output. */
  static fromConfig(c: ConfigDict): BatchNorm1d {
    return new BatchNorm1d(c['numFeatures'] as number, c as BatchNormArgs);
  }
}
registerClass(BatchNorm1d);

/**
 * Batch normalisation over `[N, C, H, W]` (`[T, N, C, H, W]` in `'m'` mode, statistics over
 * T*N), PyTorch's `nn.BatchNorm2d` / spikingjelly's `layer.BatchNorm2d`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { BatchNorm2d } from '@snnts/nn';
 * const bn = new BatchNorm2d(3, { stepMode: 'm' });
 * bn.call(tf.randomNormal([4, 2, 3, 8, 8])).shape; // [4, 2, 3, 8, 8]
 * bn.runningMean!.print(); // moved 10% towards the mean over the 4 * 2 images
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  static override className = 'BatchNorm2d';
  constructor(numFeatures: number, args: BatchNormArgs = {}) {
    super(numFeatures, args);
  }
  protected override get inputRanks(): readonly number[] {
    return [4];
  }
  protected get layouts(): readonly string[] {
    return ['N, C, H, W'];
  }
  /** Rebuilds from {@link BatchNormBase.getConfig}'s output. */
  static fromConfig(c: ConfigDict): BatchNorm2d {
    return new BatchNorm2d(c['numFeatures'] as number, c as BatchNormArgs);
  }
}
registerClass(BatchNorm2d);
