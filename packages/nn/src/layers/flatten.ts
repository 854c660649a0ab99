/**
 * `Flatten`: merges the axes after the batch axis (PyTorch's `nn.Flatten` with its defaults
 * `startDim = 1`, `endDim = -1`); in `'m'` mode the time and batch axes are both kept.
 */
import * as tf from '@tensorflow/tfjs';
import { registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from './step_layer.js';

/**
 * Flattens every axis after the batch axis: `[N, C, H, W] -> [N, C*H*W]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Flatten } from '@snnts/nn';
 * new Flatten().call(tf.zeros([2, 1, 28, 28])).shape; // [2, 784]
 * ```
 */
export class Flatten extends StepLayer {
  static override className = 'Flatten';
  constructor(args: StepModuleArgs = {}) {
    super(args);
  }
  protected override get inputRanks(): readonly number[] {
    return [1, 2, 3, 4, 5];
  }
  layerForward(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0]!, -1]);
  }
  override getConfig(): ConfigDict {
    return super.getConfig();
  }
}
registerClass(Flatten);
