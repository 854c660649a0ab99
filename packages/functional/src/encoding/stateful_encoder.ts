/**
 * `StatefulEncoder`: the base of encoders that turn one input into a whole spike sequence, as
 * spikingjelly's `encoding.StatefulEncoder`. The first step after a reset encodes the input into
 * `[T, ...]` and stores it; step `k` (counting from the reset) emits `spike[k % T]`. It is a
 * `MemoryModule`, so `resetNet(net)` resets it with the neurons.
 */
import * as tf from '@tensorflow/tfjs';
import { MemoryModule, ShapeError, assertPositiveInt, type ConfigDict, type StepModuleArgs } from '@snnts/core';

/**
 * Base class of the stateful encoders ({@link LatencyEncoder}, {@link WeightedPhaseEncoder}).
 * Subclasses implement `encode(x)`, the pure whole-sequence encoding; this class adds the
 * stepwise behaviour: `call(x)` returns one step per call and ignores `x` after the first step
 * (it must keep its shape), until `reset()`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { StatefulEncoder } from '@snnts/functional';
 * class Burst extends StatefulEncoder {
 *   static override className = 'Burst';
 *   encode(x: tf.Tensor) { return tf.tidy(() => tf.stack(Array.from({ length: this.T }, () => tf.cast(tf.greater(x, 0), 'float32')))); }
 * }
 * const enc = new Burst(3);
 * enc.call([0, 1]).print(); // [0, 1]
 * enc.reset();
 * ```
 */
export abstract class StatefulEncoder extends MemoryModule {
  static override className = 'StatefulEncoder';
  /** Length of the encoded sequence (the encoding period). */
  readonly T: number;
  private step_ = 0;

  constructor(T: number, args: StepModuleArgs = {}) {
    super(args);
    assertPositiveInt(T, 'T', this.className);
    this.T = T;
    this.registerMemory('spike', 0);
  }

  /** The whole spike sequence `[T, ...x.shape]` of `x` (pure: no state is read or written). */
  abstract encode(x: tf.Tensor | tf.TensorLike): tf.Tensor;

  /** Index of the step the next call emits, in `[0, T)`. */
  get t(): number {
    return this.step_;
  }

  /** The stored sequence `[T, ...]`, or `null` before the first step and after `reset()`. */
  get spike(): tf.Tensor | null {
    const s = this.getMemory('spike');
    return s instanceof tf.Tensor ? s : null;
  }

  /** Encodes `x` on the first step after a reset, then emits `spike[t]` and advances `t`. */
  singleStepForward(x: tf.Tensor): tf.Tensor {
    let seq = this.spike;
    if (!seq) {
      seq = this.encode(x);
      this.setMemory('spike', seq);
    } else if (!tf.util.arraysEqual(x.shape, seq.shape.slice(1))) {
      throw new ShapeError(
        `${this.className}.singleStepForward`,
        'x',
        `shape [${seq.shape.slice(1).join(', ')}] (the input encoded at the first step)`,
        `shape [${x.shape.join(', ')}]`,
        'Call resetNet(net) (or encoder.reset()) before encoding a new input.',
      );
    }
    const t = this.step_;
    this.step_ = (t + 1) % this.T;
    return tf.reshape(tf.slice(seq, t, 1), seq.shape.slice(1));
  }

  /** Drops the stored sequence and restarts at step 0. */
  override reset(): void {
    super.reset();
    this.step_ = 0;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), T: this.T };
  }
}
