/**
 * `ReLU`: `max(x, 0)` elementwise; the activation ANN-to-SNN conversion replaces by IF neurons.
 */
import * as tf from '@tensorflow/tfjs';
import { registerClass, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from './step_layer.js';

/**
 * Rectified linear unit, PyTorch's `nn.ReLU`.
 *
 * @example
 * ```ts
 * import { ReLU } from '@snnts/nn';
 * new ReLU().call([[-1, 2]]).print(); // [[0, 2]]
 * ```
 */
export class ReLU extends StepLayer {
  static override className = 'ReLU';
  constructor(args: StepModuleArgs = {}) {
    super(args);
  }
  layerForward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}
registerClass(ReLU);
