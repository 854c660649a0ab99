/**
 * `CrossEntropyLoss`: PyTorch's `nn.CrossEntropyLoss` on logits `[N, C]` with integer class
 * targets `[N]` or class probabilities `[N, C]`, with `reduction` and `labelSmoothing`.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Module, ShapeError, assertNumber, assertRank, registerClass, type ConfigDict } from '@snnts/core';

/** How per-sample losses are combined. */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Validates a reduction name.
 *
 * @internal
 * @example
 * ```ts
 * import { checkReduction } from '@snnts/nn';
 * const r = checkReduction('sum', 'MSELoss'); // 'sum'; anything else but 'mean' or 'none' throws
 * ```
 */
export function checkReduction(r: unknown, fn: string): Reduction {
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new ConfigError(fn, 'reduction', `'mean', 'sum' or 'none'`, JSON.stringify(r));
  return r;
}

/**
 * Applies a reduction to per-element losses.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { reduce } from '@snnts/nn';
 * reduce(tf.tensor([1, 2, 3]), 'mean').print(); // 2
 * ```
 */
export function reduce(losses: tf.Tensor, reduction: Reduction): tf.Tensor {
  switch (reduction) {
    case 'mean':
      return tf.mean(losses);
    case 'sum':
      return tf.sum(losses);
    case 'none':
      return losses;
    default:
      return reduction satisfies never;
  }
}

/** Options of {@link CrossEntropyLoss}. */
export interface CrossEntropyLossArgs {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
  /** Label smoothing ε in [0, 1) (default 0): targets become (1-ε)·onehot + ε/C. */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy: `-Σ_c y_c log softmax(x)_c`, averaged over the batch by default.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { CrossEntropyLoss } from '@snnts/nn';
 * const loss = new CrossEntropyLoss().call(tf.tensor([[2, 0, 0]]), tf.tensor1d([0], 'int32'));
 * loss.print(); // 0.2395
 * ```
 */
export class CrossEntropyLoss extends Module {
  static override className = 'CrossEntropyLoss';
  readonly reduction: Reduction;
  readonly labelSmoothing: number;

  constructor(args: CrossEntropyLossArgs = {}) {
    super();
    this.reduction = checkReduction(args.reduction ?? 'mean', this.className);
    this.labelSmoothing = args.labelSmoothing ?? 0;
    assertNumber(this.labelSmoothing, (v) => v >= 0 && v < 1, 'a number in [0, 1)', 'labelSmoothing', this.className);
  }

  forward(logits: tf.Tensor, target: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.forward`;
    assertRank(logits, [2], 'logits', fn, 'Logits are [N, C].');
    const [n, c] = logits.shape as [number, number];
    let probs: tf.Tensor;
    if (target.rank === 1) {
      if (target.shape[0] !== n) throw new ShapeError(fn, 'target', `shape [${n}] (one class index per sample)`, `shape [${target.shape}]`);
      probs = tf.oneHot(tf.cast(target, 'int32'), c);
    } else if (target.rank === 2 && target.shape[0] === n && target.shape[1] === c) {
      probs = tf.cast(target, 'float32');
    } else {
      throw new ShapeError(fn, 'target', `class indices [${n}] or probabilities [${n}, ${c}]`, `shape [${target.shape}]`);
    }
    if (this.labelSmoothing > 0) probs = tf.add(tf.mul(probs, 1 - this.labelSmoothing), this.labelSmoothing / c);
    const perSample = tf.neg(tf.sum(tf.mul(probs, tf.logSoftmax(logits)), 1));
    return reduce(perSample, this.reduction);
  }

  override getConfig(): ConfigDict {
    return { reduction: this.reduction, labelSmoothing: this.labelSmoothing };
  }
}
registerClass(CrossEntropyLoss);
