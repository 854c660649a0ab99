/**
 * `AdaptiveAvgPool2d`: PyTorch's adaptive average pooling to a fixed output size on NCHW input.
 * Output cell `i` of an axis of length `n` pooled to `o` averages input cells
 * `floor(i*n/o) <= r < ceil((i+1)*n/o)`, so bins may differ in size and overlap. The bins are
 * rectangles, so the mean factorises into two small averaging matrices applied with `matMul`
 * (one per axis, skipped when that axis keeps its size): exact, differentiable on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, describeValue, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from './step_layer.js';

/** One axis of an output size: a positive int, or `null` to keep the input's size. */
type AxisSize = number | null;

function checkOutputSize(v: unknown): [AxisSize, AxisSize] {
  const ok = (n: unknown): n is AxisSize => n === null || (typeof n === 'number' && Number.isInteger(n) && n > 0);
  if (typeof v === 'number' && ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new ConfigError(
    'AdaptiveAvgPool2d',
    'outputSize',
    'a positive integer or a pair [h, w] of positive integers (or null to keep that size)',
    Array.isArray(v) ? `[${v.map(String).join(', ')}]` : describeValue(v),
  );
}

/** `[n, o]` matrix whose column `i` averages PyTorch's adaptive bin `i` of an axis of length `n`. */
function binMatrix(n: number, o: number): tf.Tensor2D {
  const m = new Float32Array(n * o);
  for (let i = 0; i < o; i++) {
    const start = Math.floor((i * n) / o);
    const end = Math.ceil(((i + 1) * n) / o);
    for (let r = start; r < end; r++) m[r * o + i] = 1 / (end - start);
  }
  return tf.tensor2d(m, [n, o]);
}

/**
 * Adaptive 2-D average pooling, PyTorch's `nn.AdaptiveAvgPool2d`: `[N, C, H, W] -> [N, C, oh, ow]`
 * (or `[T, N, C, H, W] -> [T, N, C, oh, ow]` with `stepMode: 'm'`), for any input size.
 *
 * @throws ConfigError when `outputSize` is not a positive int or a pair of them (`null` entries allowed).
 * @throws ShapeError when the input is not rank 4 (5 in `'m'` mode).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { AdaptiveAvgPool2d } from '@snnts/nn';
 * new AdaptiveAvgPool2d(1).call(tf.ones([2, 8, 7, 7])).shape; // [2, 8, 1, 1]: global average
 * new AdaptiveAvgPool2d([2, 4], { stepMode: 'm' }).call(tf.ones([3, 2, 1, 5, 5])).shape; // [3, 2, 1, 2, 4]
 * ```
 */
export class AdaptiveAvgPool2d extends StepLayer {
  static override className = 'AdaptiveAvgPool2d';
  /** The output size as given (`null` keeps the input's size on that axis). */
  readonly outputSize: number | [number | null, number | null];
  private readonly size: [AxisSize, AxisSize];

  constructor(outputSize: number | readonly [number | null, number | null], args: StepModuleArgs = {}) {
    super(args);
    this.size = checkOutputSize(outputSize);
    this.outputSize = typeof outputSize === 'number' ? outputSize : [outputSize[0], outputSize[1]];
  }

  protected override get inputRanks(): readonly number[] {
    return [4];
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const oh = this.size[0] ?? H;
    const ow = this.size[1] ?? W;
    let y = x;
    if (ow !== W) y = tf.reshape(tf.matMul(tf.reshape(y, [N * C * H, W]), binMatrix(W, ow)), [N, C, H, ow]);
    if (oh !== H) {
      // Put H last, average it, and put it back.
      const t = tf.reshape(tf.transpose(y, [0, 1, 3, 2]), [N * C * ow, H]);
      y = tf.transpose(tf.reshape(tf.matMul(t, binMatrix(H, oh)), [N, C, ow, oh]), [0, 1, 3, 2]);
    }
    return y === x ? tf.clone(x) : y;
  }

  override getConfig(): ConfigDict {
    const o = this.outputSize;
    return { ...super.getConfig(), outputSize: typeof o === 'number' ? o : [o[0], o[1]] };
  }

  /** Rebuilds from {@link AdaptiveAvgPool2d.getConfig}'s output. */
  static fromConfig(c: ConfigDict): AdaptiveAvgPool2d {
    return new AdaptiveAvgPool2d(c['outputSize'] as number | [number | null, number | null], c as StepModuleArgs);
  }
}
registerClass(AdaptiveAvgPool2d);
