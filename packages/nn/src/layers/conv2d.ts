/**
 * `Conv2d`: PyTorch's `nn.Conv2d` as a step-mode layer (spikingjelly's `layer.Conv2d`): NCHW input
 * `[N, C, H, W]` in `'s'` mode, `[T, N, C, H, W]` in `'m'` mode (run as one `[T*N, C, H, W]`
 * batch). Weight `[outChannels, inChannels / groups, kH, kW]` and bias `[outChannels]`, with
 * PyTorch's default initialisation U(-1/√fanIn, 1/√fanIn), fanIn = inChannels / groups · kH · kW.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError, assertPositiveInt, randomUniform, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { conv2d, toPair, type Conv2dPadding, type Pair, type PaddingMode } from '@snnts/functional';
import { StepLayer } from './step_layer.js';

/** Options of {@link Conv2d} (PyTorch's names and defaults). */
export interface Conv2dArgs extends StepModuleArgs {
  /** Stride (default 1). */
  stride?: Pair;
  /** Padding (default 0); `'same'` needs stride 1. */
  padding?: Conv2dPadding;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learnable bias (default `true`). */
  bias?: boolean;
  /** `'zeros'` (default) or `'reflect'`. */
  paddingMode?: PaddingMode;
}

/**
 * 2-D convolution layer with a step mode.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Conv2d } from '@snnts/nn';
 * const conv = new Conv2d(1, 8, 3, { padding: 1 });
 * conv.call(tf.zeros([2, 1, 28, 28])).shape; // [2, 8, 28, 28]
 * conv.stepMode = 'm';
 * conv.call(tf.zeros([4, 2, 1, 28, 28])).shape; // [4, 2, 8, 28, 28]
 * ```
 */
export class Conv2d extends StepLayer {
  static override className = 'Conv2d';
  /** `[kH, kW]`. */
  readonly kernelSize: [number, number];
  /** `[sH, sW]`. */
  readonly stride: [number, number];
  /** As given (symmetric sizes, `'same'` or `'valid'`). */
  readonly padding: Conv2dPadding;
  /** `[dH, dW]`. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** Border padding mode. */
  readonly paddingMode: PaddingMode;
  /** `[outChannels, inChannels / groups, kH, kW]`. */
  readonly weight: tf.Variable;
  /** `[outChannels]`, or `null` without bias. */
  readonly bias: tf.Variable | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    args: Conv2dArgs = {},
  ) {
    super(args);
    const fn = 'Conv2d';
    assertPositiveInt(inChannels, 'inChannels', fn);
    assertPositiveInt(outChannels, 'outChannels', fn);
    this.kernelSize = toPair(kernelSize, 'kernelSize', fn);
    this.stride = toPair(args.stride ?? 1, 'stride', fn);
    this.dilation = toPair(args.dilation ?? 1, 'dilation', fn);
    this.padding = args.padding ?? 0;
    if (typeof this.padding !== 'string') toPair(this.padding, 'padding', fn, 0);
    else if (this.padding !== 'same' && this.padding !== 'valid') throw new ConfigError(fn, 'padding', `an integer, [h, w], 'same' or 'valid'`, JSON.stringify(this.padding));
    this.groups = args.groups ?? 1;
    assertPositiveInt(this.groups, 'groups', fn);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new ConfigError(fn, 'groups', `a divisor of inChannels ${inChannels} and outChannels ${outChannels}`, String(this.groups));
    }
    this.paddingMode = args.paddingMode ?? 'zeros';
    if (this.paddingMode !== 'zeros' && this.paddingMode !== 'reflect') throw new ConfigError(fn, 'paddingMode', `'zeros' or 'reflect'`, JSON.stringify(this.paddingMode));
    const fanIn = (inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = this.registerParameter('weight', randomUniform([outChannels, inChannels / this.groups, ...this.kernelSize], -bound, bound));
    this.bias = args.bias ?? true ? this.registerParameter('bias', randomUniform([outChannels], -bound, bound)) : null;
  }

  protected override get inputRanks(): readonly number[] {
    return [4];
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    if (x.shape[1] !== this.inChannels) {
      const where = this.stepMode === 'm' ? 'axis 2 of [T, N, C, H, W]' : 'axis 1 of [N, C, H, W]';
      throw new ShapeError('Conv2d.forward', this.stepMode === 'm' ? 'xSeq' : 'x', `${this.inChannels} channels (inChannels) on ${where}`, `${x.shape[1]} channels`);
    }
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
      paddingMode: this.paddingMode,
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
      bias: this.bias !== null,
      paddingMode: this.paddingMode,
    };
  }

  /** Rebuilds from {@link Conv2d.getConfig}'s output. */
  static fromConfig(c: ConfigDict): Conv2d {
    return new Conv2d(c['inChannels'] as number, c['outChannels'] as number, c['kernelSize'] as [number, number], c as Conv2dArgs);
  }
}
registerClass(Conv2d);
