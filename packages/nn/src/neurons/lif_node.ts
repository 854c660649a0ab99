/**
 * `LIFNode`: leaky integrate-and-fire neuron module. Dynamics: {@link @snnts/functional!lifStep}.
 */
import type * as tf from '@tensorflow/tfjs';
import { registerClass, type ConfigDict } from '@snnts/core';
import { LIF_DEFAULTS, checkTau, lifCharge, type ChargeSpec } from '@snnts/functional';
import { BaseNode, type BaseNodeArgs } from './base_node.js';

/** Options of {@link LIFNode}. */
export interface LIFNodeArgs extends BaseNodeArgs {
  /** Membrane time constant τ > 1 (default 2.0). */
  tau?: number;
  /** Divide the input by τ too (default `true`). */
  decayInput?: boolean;
}

/**
 * Leaky integrate-and-fire neuron, spikingjelly's `LIFNode`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ATan } from '@snnts/functional';
 * import { LIFNode } from '@snnts/nn';
 * const lif = new LIFNode({ tau: 2.0, decayInput: false, surrogateFunction: new ATan({ alpha: 2 }), stepMode: 'm', storeVSeq: true });
 * const spikes = lif.call(tf.randomNormal([8, 2, 10])); // shape [8, 2, 10]
 * console.log(lif.vSeq?.shape); // [8, 2, 10]
 * lif.reset();
 * ```
 */
export class LIFNode extends BaseNode {
  static override className = 'LIFNode';
  /** τ. */
  readonly tau: number;
  /** Whether the input decays with τ. */
  readonly decayInput: boolean;

  constructor(args: LIFNodeArgs = {}) {
    super(args);
    this.tau = checkTau(args.tau ?? LIF_DEFAULTS.tau, 'tau', this.className);
    this.decayInput = args.decayInput ?? LIF_DEFAULTS.decayInput;
  }

  neuronalCharge(x: tf.Tensor, v: tf.Tensor): tf.Tensor {
    return lifCharge(x, v, this.tau, this.decayInput, this.vReset);
  }

  protected override chargeSpec(): ChargeSpec | undefined {
    if (this.neuronalCharge !== LIFNode.prototype.neuronalCharge) return undefined;
    return { kind: 'lif', tau: this.tau, decayInput: this.decayInput, vRest: this.vReset ?? 0 };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), tau: this.tau, decayInput: this.decayInput };
  }
}
registerClass(LIFNode);
