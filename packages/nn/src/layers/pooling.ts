/**
 * `MaxPool2d` and `AvgPool2d`: PyTorch's 2-D pooling on public NCHW input (`[N, C, H, W]` in
 * `'s'` mode, `[T, N, C, H, W]` in `'m'` mode, run as one `[T*N, C, H, W]` batch). tfjs pools
 * channels-last, so the input is transposed to NHWC and back. PyTorch's symmetric explicit padding
 * (and ceil mode's extra cells at the bottom/right) is done with `tf.pad` and 'valid' pooling:
 * with -Infinity for max pooling, with zeros for average pooling, whose divisor is then corrected
 * per output cell to PyTorch's (`countIncludePad` counts the padding but not ceil mode's overhang;
 * without it only real input cells count). Max pooling's gradient is our own: each window's
 * gradient goes to its first maximum, as in PyTorch. On cpu and wasm max pooling is one fused JS
 * kernel each way on the NCHW data (`max_pool_nchw.ts`); elsewhere `max_pool_grad.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from './step_layer.js';
import { maxPoolFirstMax } from './max_pool_grad.js';
import { maxPoolNCHW } from './max_pool_nchw.js';
import { checkPadding, pairConfig, padSpatial, planPool, toNCHW, toNHWC, toPair, type Pair, type PoolWindow } from './pool_geometry.js';

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dArgs extends StepModuleArgs {
  /** Window step, an int or `[h, w]` (default: the kernel size, as PyTorch). */
  stride?: number | readonly [number, number];
  /** Implicit -Infinity padding on both sides, at most half the kernel (default 0). */
  padding?: number | readonly [number, number];
  /** Only 1 is supported (the default); anything else throws a `ConfigError`. */
  dilation?: number | readonly [number, number];
  /** Round the output size up instead of down (default `false`). */
  ceilMode?: boolean;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dArgs extends StepModuleArgs {
  /** Window step, an int or `[h, w]` (default: the kernel size, as PyTorch). */
  stride?: number | readonly [number, number];
  /** Implicit zero padding on both sides, at most half the kernel (default 0). */
  padding?: number | readonly [number, number];
  /** Round the output size up instead of down (default `false`). */
  ceilMode?: boolean;
  /** Count padding cells in the divisor (default `true`, as PyTorch). */
  countIncludePad?: boolean;
}

function checkBool(v: unknown, arg: string, fn: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(fn, arg, 'a boolean', JSON.stringify(v) ?? String(v));
  return v;
}

/** Validated window of a pooling layer's constructor arguments. */
function windowOf(kernelSize: unknown, args: MaxPool2dArgs | AvgPool2dArgs, fn: string): PoolWindow {
  const kernel = toPair(kernelSize, 'kernelSize', fn, 1);
  const w: PoolWindow = {
    kernel,
    stride: args.stride === undefined || args.stride === null ? kernel : toPair(args.stride, 'stride', fn, 1),
    padding: toPair(args.padding ?? 0, 'padding', fn, 0),
    ceilMode: checkBool(args.ceilMode ?? false, 'ceilMode', fn),
  };
  checkPadding(w, fn);
  return w;
}

/**
 * 2-D max pooling, PyTorch's `nn.MaxPool2d` (dilation 1), over `[N, C, H, W]` (or `[T, N, C, H, W]`
 * with `stepMode: 'm'`).
 *
 * @throws ConfigError for a bad kernel, stride or padding (more than half the kernel), or dilation != 1.
 * @throws ShapeError when the input is not rank 4 (5 in `'m'` mode) or the kernel exceeds the padded input.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MaxPool2d } from '@snnts/nn';
 * const pool = new MaxPool2d(2);
 * pool.call(tf.ones([8, 16, 28, 28])).shape; // [8, 16, 14, 14]
 * new MaxPool2d(3, { stride: 2, padding: 1, stepMode: 'm' }).call(tf.ones([4, 2, 3, 7, 7])).shape; // [4, 2, 3, 4, 4]
 * ```
 */
export class MaxPool2d extends StepLayer {
  static override className = 'MaxPool2d';
  /** Kernel size as given. */
  readonly kernelSize: number | [number, number];
  private readonly window: PoolWindow;

  constructor(kernelSize: number | readonly [number, number], args: MaxPool2dArgs = {}) {
    super(args);
    this.window = windowOf(kernelSize, args, 'MaxPool2d');
    this.kernelSize = pairConfig(kernelSize);
    const dilation = toPair(args.dilation ?? 1, 'dilation', 'MaxPool2d', 1);
    if (dilation[0] !== 1 || dilation[1] !== 1) {
      throw new ConfigError('MaxPool2d', 'dilation', '1 (only undilated max pooling is supported)', `[${dilation.join(', ')}]`);
    }
  }

  protected override get inputRanks(): readonly number[] {
    return [4];
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const plan = planPool(x, this.window, `${this.className}.forward`);
    const fused = maxPoolNCHW(x, this.window, plan);
    if (fused) return fused;
    const xp = padSpatial(toNHWC(x), plan.pads, -Infinity);
    return toNCHW(maxPoolFirstMax(xp, this.window.kernel, this.window.stride));
  }

  override getConfig(): ConfigDict {
    const w = this.window;
    return { ...super.getConfig(), kernelSize: pairConfig(this.kernelSize), stride: [...w.stride], padding: [...w.padding], dilation: 1, ceilMode: w.ceilMode };
  }

  /** Rebuilds from {@link MaxPool2d.getConfig}'s output. */
  static fromConfig(c: ConfigDict): MaxPool2d {
    return new MaxPool2d(c['kernelSize'] as Pair, c as MaxPool2dArgs);
  }
}
registerClass(MaxPool2d);

/**
 * 2-D average pooling, PyTorch's `nn.AvgPool2d`, over `[N, C, H, W]` (or `[T, N, C, H, W]` with
 * `stepMode: 'm'`). Each output is the window sum divided by PyTorch's divisor: the window clipped
 * to the padded input (`countIncludePad: true`) or to the real input (`false`).
 *
 * @throws ConfigError for a bad kernel, stride or padding (more than half the kernel).
 * @throws ShapeError when the input is not rank 4 (5 in `'m'` mode) or the kernel exceeds the padded input.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { AvgPool2d } from '@snnts/nn';
 * const pool = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * pool.call(tf.ones([1, 1, 4, 4])).print(); // all ones: padding is not counted
 * new AvgPool2d(3, { stride: 2, padding: 1 }).call(tf.ones([1, 1, 4, 4])).print(); // corner 4/9
 * ```
 */
export class AvgPool2d extends StepLayer {
  static override className = 'AvgPool2d';
  /** Kernel size as given. */
  readonly kernelSize: number | [number, number];
  /** Whether padding cells count in the divisor. */
  readonly countIncludePad: boolean;
  private readonly window: PoolWindow;

  constructor(kernelSize: number | readonly [number, number], args: AvgPool2dArgs = {}) {
    super(args);
    this.window = windowOf(kernelSize, args, 'AvgPool2d');
    this.kernelSize = pairConfig(kernelSize);
    this.countIncludePad = checkBool(args.countIncludePad ?? true, 'countIncludePad', 'AvgPool2d');
  }

  protected override get inputRanks(): readonly number[] {
    return [4];
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const w = this.window;
    const plan = planPool(x, w, `${this.className}.forward`);
    const xp = padSpatial(toNHWC(x), plan.pads, 0);
    let y: tf.Tensor4D = tf.avgPool(xp, w.kernel, w.stride, 'valid');
    // tf.avgPool divided every window by kh*kw; rescale the cells whose PyTorch divisor differs.
    const scale = this.divisorScale([x.shape[2]!, x.shape[3]!], plan.out);
    if (scale) y = tf.mul(y, scale);
    return toNCHW(y);
  }

  /** `kh*kw / divisor` as `[1, OH, OW, 1]`, or null when it is 1 everywhere. */
  private divisorScale(size: [number, number], out: [number, number]): tf.Tensor | null {
    const w = this.window;
    const counts = [0, 1].map((d) => {
      const [n, k, s, p] = [size[d]!, w.kernel[d]!, w.stride[d]!, w.padding[d]!];
      return Array.from({ length: out[d]! }, (_, i) => {
        const start = i * s - p;
        const end = Math.min(start + k, n + p);
        return this.countIncludePad ? end - start : Math.min(end, n) - Math.max(start, 0);
      });
    }) as [number[], number[]];
    const area = w.kernel[0] * w.kernel[1];
    const data = new Float32Array(out[0] * out[1]);
    let uniform = true;
    for (let i = 0; i < out[0]; i++) {
      for (let j = 0; j < out[1]; j++) {
        const div = counts[0][i]! * counts[1][j]!;
        if (div !== area) uniform = false;
        data[i * out[1] + j] = area / div;
      }
    }
    return uniform ? null : tf.tensor4d(data, [1, out[0], out[1], 1]);
  }

  override getConfig(): ConfigDict {
    const w = this.window;
    return {
      ...super.getConfig(),
      kernelSize: pairConfig(this.kernelSize),
      stride: [...w.stride],
      padding: [...w.padding],
      ceilMode: w.ceilMode,
      countIncludePad: this.countIncludePad,
    };
  }

  /** Rebuilds from {@link AvgPool2d.getConfig}'s output. */
  static fromConfig(c: ConfigDict): AvgPool2d {
    return new AvgPool2d(c['kernelSize'] as Pair, c as AvgPool2dArgs);
  }
}
registerClass(AvgPool2d);
