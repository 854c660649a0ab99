/**
 * `MSELoss`: mean squared error, PyTorch's `nn.MSELoss`; the classic spikingjelly loss between the
 * firing rate over T and one-hot labels.
 */
import * as tf from '@tensorflow/tfjs';
import { Module, ShapeError, registerClass, type ConfigDict } from '@snnts/core';
import { checkReduction, reduce, type Reduction } from './cross_entropy.js';

/**
 * `(input - target)^2`, reduced by mean (default), sum, or not at all.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MSELoss } from '@snnts/nn';
 * new MSELoss().call(tf.tensor([0.5, 1]), tf.tensor([0, 1])).print(); // 0.125
 * ```
 */
export class MSELoss extends Module {
  static override className = 'MSELoss';
  readonly reduction: Reduction;

  constructor(args: { reduction?: Reduction } = {}) {
    super();
    this.reduction = checkReduction(args.reduction ?? 'mean', this.className);
  }

  forward(input: tf.Tensor, target: tf.Tensor): tf.Tensor {
    if (!tf.util.arraysEqual(input.shape, target.shape)) {
      throw new ShapeError(`${this.className}.forward`, 'target', `shape [${input.shape}] (the input's shape)`, `shape [${target.shape}]`);
    }
    return reduce(tf.squaredDifference(input, target), this.reduction);
  }

  override getConfig(): ConfigDict {
    return { reduction: this.reduction };
  }
}
registerClass(MSELoss);
