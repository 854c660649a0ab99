/**
 * `ThresholdDependentBatchNorm2d`: threshold-dependent batch normalisation (tdBN) of Zheng et al.,
 * "Going Deeper With Directly-Trained Larger Spiking Neural Networks" (AAAI 2021), as
 * spikingjelly's `activation_based.layer.ThresholdDependentBatchNorm2d`: a `BatchNorm2d` whose
 * weight starts at `alpha * vTh` (bias 0), run multi-step only, with statistics over time and
 * batch together (`[T, N, C, H, W]` as one `[T*N, C, H, W]` batch).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, StepModeError, assertNumber, registerClass, type ConfigDict, type StepMode } from '@snnts/core';
import { BatchNormBase, type BatchNormArgs } from './batch_norm.js';

/** Options of {@link ThresholdDependentBatchNorm2d}. */
export interface ThresholdDependentBatchNormArgs extends BatchNormArgs {
  /** Hyper-parameter set by the network structure (default `1`; the paper uses `1/√2` in residual blocks). */
  alpha?: number;
  /** Threshold of the spiking neurons that follow (default `1`). */
  vTh?: number;
}

const MULTI_STEP: readonly StepMode[] = ['m'];

/**
 * tdBN on `[T, N, C, H, W]`: normalises each channel with statistics over T, N, H and W, then
 * scales by `weight` (initialised to `alpha * vTh`) and shifts by `bias` (zeros). Multi-step
 * only, since its statistics span the time steps; `affine` must stay `true`. The state dict is a
 * BatchNorm2d's, so weights load from spikingjelly unchanged.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ThresholdDependentBatchNorm2d } from '@snnts/nn';
 * const tdbn = new ThresholdDependentBatchNorm2d(16, { alpha: 1, vTh: 0.5 });
 * const y = tdbn.call(tf.randomNormal([4, 2, 16, 8, 8])); // [T, N, C, H, W] -> same shape
 * tdbn.weight!.print(); // 0.5 for every channel
 * ```
 */
export class ThresholdDependentBatchNorm2d extends BatchNormBase {
  static override className = 'ThresholdDependentBatchNorm2d';
  /** The structural hyper-parameter of the weight initialisation. */
  readonly alpha: number;
  /** The threshold of the next spiking layer, in the weight initialisation. */
  readonly vTh: number;

  constructor(numFeatures: number, args: ThresholdDependentBatchNormArgs = {}) {
    const fn = 'ThresholdDependentBatchNorm2d';
    const stepMode = args.stepMode ?? 'm';
    if (stepMode !== 'm') {
      throw new StepModeError(fn, 'stepMode', "'m'", JSON.stringify(stepMode), 'tdBN takes its statistics across time steps, so it runs multi-step only.');
    }
    if (args.affine === false) {
      throw new ConfigError(fn, 'affine', 'true', 'false', 'tdBN scales by its learnable weight alpha * vTh.');
    }
    super(numFeatures, { ...args, stepMode });
    const alpha = args.alpha ?? 1;
    const vTh = args.vTh ?? 1;
    assertNumber(alpha, Number.isFinite, 'a finite number', 'alpha', fn);
    assertNumber(vTh, Number.isFinite, 'a finite number', 'vTh', fn);
    this.alpha = alpha;
    this.vTh = vTh;
    const w = this.weight!;
    tf.tidy(() => w.assign(tf.fill([numFeatures], alpha * vTh)));
  }

  /** Only `'m'`. */
  override get supportedStepModes(): readonly StepMode[] {
    return MULTI_STEP;
  }

  /** Always `'m'`; setting `'s'` throws a `StepModeError`. */
  override get stepMode(): StepMode {
    return super.stepMode;
  }
  override set stepMode(mode: StepMode) {
    if (mode !== 'm') {
      throw new StepModeError(`${this.className}.stepMode`, 'stepMode', "'m'", JSON.stringify(mode), 'tdBN runs multi-step only.');
    }
    super.stepMode = mode;
  }

  protected override get inputRanks(): readonly number[] {
    return [4];
  }
  protected get layouts(): readonly string[] {
    return ['N, C, H, W'];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha, vTh: this.vTh };
  }

  /** Rebuilds from {@link ThresholdDependentBatchNorm2d.getConfig}'s output. */
  static fromConfig(c: ConfigDict): ThresholdDependentBatchNorm2d {
    return new ThresholdDependentBatchNorm2d(c['numFeatures'] as number, c as ThresholdDependentBatchNormArgs);
  }
}
registerClass(ThresholdDependentBatchNorm2d);
