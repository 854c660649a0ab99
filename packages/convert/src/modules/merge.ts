/**
 * The modules that join branches of a non-chain graph: `ElementwiseAdd` (ONNX `Add` / `Sum` of
 * run-time tensors, e.g. a residual connection) and `Concat` (ONNX `Concat` of run-time tensors).
 * Both take several tensors; `Concat`'s axis is the ONNX axis of one step `[N, ...]`, shifted by
 * one in multi-step mode.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, StepModeModule, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';

/**
 * `y = x0 + x1 + ...` with NumPy broadcasting (ONNX `Add` / `Sum` of run-time tensors).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { ElementwiseAdd } from '@snnts/convert';
 * new ElementwiseAdd().call(tf.ones([2, 3]), tf.ones([2, 3])).print(); // all 2
 * ```
 */
export class ElementwiseAdd extends StepModeModule {
  static override className = 'ElementwiseAdd';
  constructor(args: StepModuleArgs = {}) {
    super(args);
  }
  forward(...xs: tf.Tensor[]): tf.Tensor {
    if (xs.length === 0) throw new ConfigError('ElementwiseAdd.forward', 'inputs', 'at least one tensor', 'none');
    return xs.slice(1).reduce((a, b) => tf.add(a, b), xs[0]!);
  }
}
registerClass(ElementwiseAdd);

/** Options of {@link Concat}. */
export interface ConcatArgs extends StepModuleArgs {
  /** The axis of one step `[N, ...]` (ONNX's `axis`; negative counts from the end). Default 1. */
  axis?: number;
}

/**
 * Concatenation along `axis` of one step (ONNX `Concat` of run-time tensors); in `'m'` mode the
 * time axis comes first, so a non-negative axis moves by one.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Concat } from '@snnts/convert';
 * new Concat({ axis: 1 }).call(tf.ones([2, 3]), tf.zeros([2, 2])).shape; // [2, 5]
 * ```
 */
export class Concat extends StepModeModule {
  static override className = 'Concat';
  /** The axis of one step. */
  readonly axis: number;
  constructor(args: ConcatArgs = {}) {
    super(args);
    this.axis = args.axis ?? 1;
    if (!Number.isInteger(this.axis)) throw new ConfigError('Concat', 'axis', 'an integer', String(this.axis));
  }
  forward(...xs: tf.Tensor[]): tf.Tensor {
    const axis = this.axis < 0 ? this.axis : this.axis + (this.stepMode === 'm' ? 1 : 0);
    return tf.concat(xs, axis < 0 ? xs[0]!.rank + axis : axis);
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerClass(Concat);
