/**
 * `Activation`: the non-ReLU activations an ONNX model may contain (`Sigmoid`, `Tanh`,
 * `LeakyRelu`, `Clip`, `Softmax`). The imported ANN runs them, so it still agrees with
 * onnxruntime; ANN-to-SNN conversion rejects them, because only ReLU has a rate-coded equivalent.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { StepLayer } from '@snnts/nn';

/**
 * The activation functions {@link Activation} computes, by their ONNX op names.
 *
 * @example
 * ```ts
 * import { ACTIVATION_KINDS } from '@snnts/convert';
 * console.log(ACTIVATION_KINDS.includes('Sigmoid')); // true
 * ```
 */
export const ACTIVATION_KINDS = ['Sigmoid', 'Tanh', 'LeakyRelu', 'Clip', 'Softmax'] as const;

/** One of {@link ACTIVATION_KINDS}. */
export type ActivationKind = (typeof ACTIVATION_KINDS)[number];

/** Options of {@link Activation}. */
export interface ActivationArgs extends StepModuleArgs {
  /** LeakyRelu's negative slope (default 0.01). */
  alpha?: number;
  /** Clip's lower bound (default: unbounded). */
  min?: number;
  /** Clip's upper bound (default: unbounded). */
  max?: number;
  /** Softmax's axis of one step `[N, ...]` (default -1). */
  axis?: number;
}

/**
 * A non-ReLU activation, computed as ONNX defines it.
 *
 * @example
 * ```ts
 * import { Activation } from '@snnts/convert';
 * new Activation('Clip', { min: 0, max: 6 }).call([[-1, 3, 9]]).print(); // [[0, 3, 6]]
 * ```
 */
export class Activation extends StepLayer {
  static override className = 'Activation';
  /** Options (alpha, min, max, axis). */
  readonly options: Omit<ActivationArgs, 'stepMode'>;

  constructor(
    readonly kind: ActivationKind,
    args: ActivationArgs = {},
  ) {
    super(args);
    if (!ACTIVATION_KINDS.includes(kind)) throw new ConfigError('Activation', 'kind', `one of [${ACTIVATION_KINDS.join(', ')}]`, JSON.stringify(kind));
    const { stepMode: _, ...options } = args;
    this.options = options;
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const o = this.options;
    switch (this.kind) {
      case 'Sigmoid':
        return tf.sigmoid(x);
      case 'Tanh':
        return tf.tanh(x);
      case 'LeakyRelu':
        return tf.leakyRelu(x, o.alpha ?? 0.01);
      case 'Clip':
        return tf.minimum(tf.maximum(x, o.min ?? -Infinity), o.max ?? Infinity);
      case 'Softmax': {
        const axis = o.axis ?? -1;
        const shifted = tf.sub(x, tf.max(x, axis, true));
        const e = tf.exp(shifted);
        return tf.div(e, tf.sum(e, axis, true));
      }
      default:
        return this.kind satisfies never;
    }
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), kind: this.kind, ...this.options };
  }

  /** Rebuilds from {@link Activation.getConfig}'s output. */
  static fromConfig(c: ConfigDict): Activation {
    return new Activation(c['kind'] as ActivationKind, c as ActivationArgs);
  }
}
registerClass(Activation);
