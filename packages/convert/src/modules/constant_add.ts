/**
 * `ConstantAdd`: adds a fixed tensor (a buffer, broadcast NumPy-style), the module an ONNX `Add`
 * of a constant becomes when it cannot fold into the bias of the layer before it.
 */
import * as tf from '@tensorflow/tfjs';
import { registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from '@snnts/nn';

/** Options of {@link ConstantAdd}. */
export interface ConstantAddArgs extends StepModuleArgs {
  /** The initial value (default: zeros of `dims`); normally loaded through the state dict. */
  value?: tf.Tensor | tf.TensorLike;
}

/**
 * `y = x + value`, with `value` a non-trainable buffer of shape `dims` (state-dict key `value`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ConstantAdd } from '@snnts/convert';
 * const add = new ConstantAdd([3], { value: [1, 2, 3] });
 * add.call(tf.zeros([2, 3])).print(); // [[1, 2, 3], [1, 2, 3]]
 * ```
 */
export class ConstantAdd extends StepLayer {
  static override className = 'ConstantAdd';
  /** The shape of the added tensor. */
  readonly dims: number[];

  constructor(dims: readonly number[], args: ConstantAddArgs = {}) {
    super(args);
    this.dims = [...dims];
    const init = args.value === undefined ? tf.zeros(this.dims) : tf.tidy(() => tf.reshape(tf.cast(args.value instanceof tf.Tensor ? args.value : tf.tensor(args.value!), 'float32'), this.dims));
    this.registerBuffer('value', init);
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.getBuffer('value'));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dims: this.dims };
  }

  /** Rebuilds from {@link ConstantAdd.getConfig}'s output (the value comes from the state dict). */
  static fromConfig(c: ConfigDict): ConstantAdd {
    return new ConstantAdd(c['dims'] as number[], c as StepModuleArgs);
  }
}
registerClass(ConstantAdd);
