/**
 * `IFNode`: integrate-and-fire neuron module. Dynamics: {@link @snnts/functional!ifStep}.
 */
import type * as tf from '@tensorflow/tfjs';
import { registerClass } from '@snnts/core';
import { ifCharge, type ChargeSpec } from '@snnts/functional';
import { BaseNode, type BaseNodeArgs } from './base_node.js';

/**
 * Integrate-and-fire neuron (`H = V + X`), spikingjelly's `IFNode`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { IFNode } from '@snnts/nn';
 * const node = new IFNode({ vReset: null, stepMode: 'm' });
 * const spikes = node.call(tf.fill([8, 2, 4], 0.3)); // shape [8, 2, 4]
 * node.reset();
 * ```
 */
export class IFNode extends BaseNode {
  static override className = 'IFNode';
  constructor(args: BaseNodeArgs = {}) {
    super(args);
  }
  neuronalCharge(x: tf.Tensor, v: tf.Tensor): tf.Tensor {
    return ifCharge(x, v);
  }

  protected override chargeSpec(): ChargeSpec | undefined {
    return this.neuronalCharge === IFNode.prototype.neuronalCharge ? { kind: 'if' } : undefined;
  }
}
registerClass(IFNode);
