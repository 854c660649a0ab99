/**
 * `ParametricLIFNode`: LIF with a learnable time constant. Dynamics:
 * {@link @snnts/functional!plifStep}.
 */
import * as tf from '@tensorflow/tfjs';
import { registerClass, type ConfigDict } from '@snnts/core';
import { plifCharge, plifInitW, type ChargeSpec } from '@snnts/functional';
import { BaseNode, type BaseNodeArgs } from './base_node.js';

/** Options of {@link ParametricLIFNode}. */
export interface ParametricLIFNodeArgs extends BaseNodeArgs {
  /** Initial τ > 1 (default 2.0); the parameter `w` starts at `-ln(initTau - 1)`. */
  initTau?: number;
  /** Scale the input by `1/τ` too (default `true`). */
  decayInput?: boolean;
}

/**
 * Parametric LIF neuron (Fang et al., ICCV 2021), spikingjelly's `ParametricLIFNode`. Its one
 * trainable parameter is the scalar `w` with `1/τ = sigmoid(w)` (state-dict key `w`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ParametricLIFNode } from '@snnts/nn';
 * const plif = new ParametricLIFNode({ initTau: 2.0, stepMode: 'm' });
 * const spikes = plif.call(tf.randomNormal([8, 2, 10]));
 * console.log(plif.tau); // 2 (until trained)
 * ```
 */
export class ParametricLIFNode extends BaseNode {
  static override className = 'ParametricLIFNode';
  /** The learnable `w` (1/τ = sigmoid(w)). */
  readonly w: tf.Variable;
  /** Whether the input decays with τ. */
  readonly decayInput: boolean;
  private readonly initTau: number;

  constructor(args: ParametricLIFNodeArgs = {}) {
    super(args);
    this.initTau = args.initTau ?? 2.0;
    this.w = this.registerParameter('w', tf.scalar(plifInitW(this.initTau, this.className)));
    this.decayInput = args.decayInput ?? true;
  }

  /** The current time constant `1 / sigmoid(w)`. */
  get tau(): number {
    return tf.tidy(() => 1 / (tf.sigmoid(this.w).dataSync()[0] as number));
  }

  neuronalCharge(x: tf.Tensor, v: tf.Tensor): tf.Tensor {
    return plifCharge(x, v, tf.sigmoid(this.w), this.decayInput, this.vReset);
  }

  /** The fused PLIF kernel's spec, unless a subclass changed the charge. */
  protected override chargeSpec(): ChargeSpec | undefined {
    if (this.neuronalCharge !== ParametricLIFNode.prototype.neuronalCharge) return undefined;
    return { kind: 'plif', w: this.w, decayInput: this.decayInput, vRest: this.vReset ?? 0 };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), initTau: this.initTau, decayInput: this.decayInput };
  }
}
registerClass(ParametricLIFNode);
