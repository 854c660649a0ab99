/**
 * `Linear`: `y = x Wᵀ + b` with PyTorch's parameter layout (`weight` is `[out, in]`) and default
 * initialisation (Kaiming-uniform with a = √5, i.e. U(-1/√in, 1/√in) for weight and bias). The
 * product goes through `spikeMatMul`, which is event-driven on cpu and wasm when `x` holds sparse
 * spikes and `tf.matMul` otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, assertPositiveInt, randomUniform, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';
import { spikeMatMul } from '@snnts/functional';
import { StepLayer } from './step_layer.js';

/** Options of {@link Linear}. */
export interface LinearArgs extends StepModuleArgs {
  /** Add a learnable bias (default `true`). */
  bias?: boolean;
}

/**
 * Fully connected layer over the last axis, PyTorch's `nn.Linear`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Linear } from '@snnts/nn';
 * const fc = new Linear(784, 10);
 * fc.call(tf.zeros([32, 784])).shape; // [32, 10]
 * ```
 */
export class Linear extends StepLayer {
  static override className = 'Linear';
  /** `[outFeatures, inFeatures]`. */
  readonly weight: tf.Variable;
  /** `[outFeatures]`, or `null` without bias. */
  readonly bias: tf.Variable | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    args: LinearArgs = {},
  ) {
    super(args);
    assertPositiveInt(inFeatures, 'inFeatures', 'Linear');
    assertPositiveInt(outFeatures, 'outFeatures', 'Linear');
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = this.registerParameter('weight', randomUniform([outFeatures, inFeatures], -bound, bound));
    this.bias = args.bias ?? true ? this.registerParameter('bias', randomUniform([outFeatures], -bound, bound)) : null;
  }

  protected override get inputRanks(): readonly number[] {
    return [2, 3, 4, 5];
  }

  layerForward(x: tf.Tensor): tf.Tensor {
    const last = x.shape[x.rank - 1];
    if (last !== this.inFeatures) {
      throw new ShapeError('Linear.forward', 'x', `last dimension ${this.inFeatures} (inFeatures)`, `shape [${x.shape.join(', ')}]`);
    }
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
    // Explicit transpose: a transposed operand would push tfjs-backend-wasm off its XNNPACK path,
    // and the event-driven kernel adds rows of Wᵀ. spikeMatMul is tf.matMul unless the fused
    // kernel runs (cpu, wasm), and that decides from the data whether x is sparse spikes.
    let y: tf.Tensor = spikeMatMul(x2, tf.transpose(this.weight));
    if (this.bias) y = tf.add(y, this.bias);
    return x.rank === 2 ? y : tf.reshape(y, [...lead, this.outFeatures]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }

  /** Rebuilds from {@link Linear.getConfig}'s output. */
  static fromConfig(c: ConfigDict): Linear {
    return new Linear(c['inFeatures'] as number, c['outFeatures'] as number, c as LinearArgs);
  }
}
registerClass(Linear);
