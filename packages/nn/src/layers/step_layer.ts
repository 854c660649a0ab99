/**
 * `StepLayer`: a stateless layer with a step mode, as spikingjelly's `layer.*` wrappers. In `'s'`
 * mode it maps `[N, ...]`; in `'m'` mode it takes `[T, N, ...]`, runs as one `[T*N, ...]` batch
 * and restores the time axis (so per-sample layers such as `Flatten` keep T and N apart). A
 * time-invariant layer given a sequence made by `repeatOverTime` runs once on its frame.
 */
import * as tf from '@tensorflow/tfjs';
import { StepModeError, StepModeModule, assertRank } from '@snnts/core';
import { repeatOverTime, repeatedFrame } from '@snnts/functional';
import { isTimeInvariant, runHoisted } from '../containers/time_invariant.js';

/**
 * Runs `f` on `[T*N, ...]` and reshapes the result back to `[T, N, ...]`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { seqToANN } from '@snnts/nn';
 * const y = seqToANN(tf.ones([4, 2, 3]), (x) => tf.sum(x, 1, true), 'example'); // shape [4, 2, 1]
 * ```
 */
export function seqToANN(xSeq: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor, fn: string): tf.Tensor {
  if (xSeq.rank < 3) {
    throw new StepModeError(fn, 'xSeq', 'a multi-step tensor [T, N, ...] of rank >= 3', `rank ${xSeq.rank} (shape [${xSeq.shape.join(', ')}])`, 'Was a single-step tensor fed to a multi-step module?');
  }
  const [T, N] = xSeq.shape as [number, number];
  const y = f(tf.reshape(xSeq, [T * N, ...xSeq.shape.slice(2)]));
  return tf.reshape(y, [T, N, ...y.shape.slice(1)]);
}

/**
 * Base class of stateless step-mode layers: implement `layerForward` for one `[N, ...]` batch.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { StepLayer } from '@snnts/nn';
 * class Double extends StepLayer {
 *   static override className = 'Double';
 *   layerForward(x: tf.Tensor) { return tf.mul(x, 2); }
 * }
 * new Double({ stepMode: 'm' }).call(tf.ones([4, 2, 3])); // shape [4, 2, 3], all 2
 * ```
 */
export abstract class StepLayer extends StepModeModule {
  static override className = 'StepLayer';

  /** The layer on one batch `[N, ...]`. */
  abstract layerForward(x: tf.Tensor): tf.Tensor;

  /** Ranks accepted by `layerForward` (checked in both modes). */
  protected get inputRanks(): readonly number[] {
    return [1, 2, 3, 4, 5];
  }

  forward(x: tf.Tensor): tf.Tensor {
    const mode = this.stepMode;
    const fn = `${this.className}.forward`;
    switch (mode) {
      case 's':
        assertRank(x, this.inputRanks, 'x', fn, `stepMode 's' takes one step [N, ...].`);
        return this.layerForward(x);
      case 'm':
        assertRank(x, this.inputRanks.map((r) => r + 1), 'xSeq', fn, `stepMode 'm' takes [T, N, ...].`);
        return this.multiStepLayerForward(x, fn);
      default:
        return mode satisfies never;
    }
  }

  /**
   * `'m'` mode: one `[T*N, ...]` batch, or one frame when `xSeq` is a repeated frame (see
   * `repeatOverTime`) and the layer is time-invariant (see `registerTimeInvariant`).
   */
  protected multiStepLayerForward(xSeq: tf.Tensor, fn: string): tf.Tensor {
    const rep = repeatedFrame(xSeq);
    if (rep && rep.frame.rank >= 2 && isTimeInvariant(this)) {
      return repeatOverTime(runHoisted(rep.T, () => this.layerForward(rep.frame)), rep.T);
    }
    return seqToANN(xSeq, (y) => this.layerForward(y), fn);
  }

}
