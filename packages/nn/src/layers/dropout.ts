/**
 * `Dropout` and `Dropout2d` with spikingjelly's SNN semantics (`layer.Dropout`, `layer.Dropout2d`):
 * the mask is drawn at the first training step after a reset and then reused at every time step,
 * so a sequence sees one random sub-network; `reset()` / `resetNet(net)` frees it and the next step
 * draws a new one. Mask values are 0 (probability p) or 1/(1-p), as PyTorch's inverted dropout.
 * `Dropout2d` drops whole channels: its mask is `[N, C, 1, 1]`. In eval mode both are the identity.
 * The mask is memory (kept out of `tf.tidy`, disposed on reset and `dispose()`), drawn from the
 * global seed (`manualSeed`), and in `'m'` mode one mask covers all T steps of `[T, N, ...]`.
 */
import * as tf from '@tensorflow/tfjs';
import { MemoryModule, ShapeError, assertNumber, assertRank, nextSeed, registerClass, type ConfigDict, type StepModuleArgs } from '@snnts/core';

/**
 * Dropout whose mask is shared across time steps until reset, spikingjelly's `layer.Dropout`.
 * Works on any `[N, ...]` step (or `[T, N, ...]` sequence with `stepMode: 'm'`).
 *
 * @throws ConfigError when `p` is not in [0, 1).
 * @throws ShapeError when a step's shape differs from the one the mask was drawn for (call `resetNet`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { manualSeed } from '@snnts/core';
 * import { resetNet } from '@snnts/functional';
 * import { Dropout } from '@snnts/nn';
 * manualSeed(0);
 * const drop = new Dropout(0.5);
 * const a = drop.call(tf.ones([2, 8])); // entries 0 or 2
 * const b = drop.call(tf.ones([2, 8])); // the same mask: equal to a
 * resetNet(drop); // the next step draws a new mask
 * drop.eval();
 * drop.call(tf.ones([2, 8])); // identity in eval mode
 * ```
 */
export class Dropout extends MemoryModule {
  static override className = 'Dropout';
  /** Probability of zeroing an element (a channel for `Dropout2d`). */
  readonly p: number;

  constructor(p = 0.5, args: StepModuleArgs = {}) {
    super(args);
    assertNumber(p, (v) => v >= 0 && v < 1, 'a probability in [0, 1)', 'p', this.className);
    this.p = p;
    // A number while no mask has been drawn (spikingjelly's `None`).
    this.registerMemory('mask', 1);
  }

  /** The current mask, or `null` before the first training step after a reset. */
  get mask(): tf.Tensor | null {
    const m = this.getMemory('mask');
    return m instanceof tf.Tensor ? m : null;
  }

  /** Ranks of one step `[N, ...]`. */
  protected get stepRanks(): readonly number[] {
    return [1, 2, 3, 4, 5, 6];
  }

  /** The mask shape for one step of shape `stepShape` (broadcast against it). */
  protected maskShape(stepShape: readonly number[]): number[] {
    return [...stepShape];
  }

  singleStepForward(x: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.forward`;
    assertRank(x, this.stepRanks, 'x', fn, `stepMode 's' takes one step [N, ...].`);
    if (!this.training) return x;
    return tf.mul(x, this.maskFor(x.shape, 'x', fn));
  }

  override multiStepForward(xSeq: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.forward`;
    assertRank(xSeq, this.stepRanks.map((r) => r + 1), 'xSeq', fn, `stepMode 'm' takes [T, N, ...].`);
    if (!this.training) return xSeq;
    return tf.mul(xSeq, this.maskFor(xSeq.shape.slice(1), 'xSeq', fn));
  }

  /** The mask for a step of `stepShape`: the current one, or a new one drawn (and kept) now. */
  private maskFor(stepShape: readonly number[], arg: string, fn: string): tf.Tensor {
    const want = this.maskShape(stepShape);
    const current = this.mask;
    if (current) {
      if (!tf.util.arraysEqual(current.shape, want)) {
        throw new ShapeError(
          fn,
          arg,
          `a step whose mask shape is [${current.shape.join(', ')}] (the batch the dropout mask was drawn for)`,
          `a step of shape [${stepShape.join(', ')}] (mask shape [${want.join(', ')}])`,
          'The mask is kept until reset: call resetNet(net) (or reset()) before a batch of another size.',
        );
      }
      return current;
    }
    const keep = 1 - this.p;
    const mask = tf.tidy(() => {
      const u = tf.randomUniform(want, 0, 1, 'float32', nextSeed());
      return tf.mul(tf.cast(tf.less(u, keep), 'float32'), 1 / keep);
    });
    this.setMemory('mask', mask);
    return mask;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), p: this.p };
  }

  /** Rebuilds from {@link Dropout.getConfig}'s output. */
  static fromConfig(c: ConfigDict): Dropout {
    return new Dropout(c['p'] as number, c as StepModuleArgs);
  }
}
registerClass(Dropout);

/**
 * Channel dropout whose mask is shared across time steps until reset, spikingjelly's
 * `layer.Dropout2d`: each `(n, c)` channel of `[N, C, H, W]` is zeroed with probability p (else
 * scaled by 1/(1-p)). The default `p = 0.2` is spikingjelly's.
 *
 * @throws ConfigError when `p` is not in [0, 1).
 * @throws ShapeError for input that is not `[N, C, H, W]` (`[T, N, C, H, W]` in `'m'` mode), or whose
 * N or C differ from the batch the mask was drawn for (call `resetNet`).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { manualSeed } from '@snnts/core';
 * import { Dropout2d } from '@snnts/nn';
 * manualSeed(0);
 * const drop = new Dropout2d(0.5, { stepMode: 'm' });
 * const y = drop.call(tf.ones([4, 2, 3, 5, 5])); // each of the 2x3 channels all 0 or all 2, same for the 4 steps
 * console.log(drop.mask?.shape); // [2, 3, 1, 1]
 * drop.reset();
 * ```
 */
export class Dropout2d extends Dropout {
  static override className = 'Dropout2d';

  constructor(p = 0.2, args: StepModuleArgs = {}) {
    super(p, args);
  }

  protected override get stepRanks(): readonly number[] {
    return [4];
  }

  protected override maskShape(stepShape: readonly number[]): number[] {
    return [stepShape[0]!, stepShape[1]!, 1, 1];
  }

  /** Rebuilds from {@link Dropout2d.getConfig}'s output. */
  static override fromConfig(c: ConfigDict): Dropout2d {
    return new Dropout2d(c['p'] as number, c as StepModuleArgs);
  }
}
registerClass(Dropout2d);
