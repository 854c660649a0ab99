/**
 * `SeqToANNContainer`: applies stateless layers to a whole sequence at once by merging time into
 * the batch axis, `[T, N, ...] -> [T*N, ...] -> layers -> [T, N, ...]` (spikingjelly's container of
 * the same name). Its children always run single-step; `setStepMode` leaves them alone.
 *
 * Hoisting: when the input was made by `repeatOverTime(x, T)` (one frame repeated over time) and
 * every child is time-invariant (`isTimeInvariant`), the layers run once on the frame and the
 * output is repeated (and marked again), with the same values and gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, MemoryModule, Module, fromConfig, registerClass, serialize, type ConfigDict, type SerializedModule, type StepMode } from '@snnts/core';
import { repeatOverTime, repeatedFrame } from '@snnts/functional';
import { seqToANN } from '../layers/step_layer.js';
import { checkModules } from './sequential.js';
import { isTimeInvariant, runHoisted } from './time_invariant.js';

/**
 * Runs stateless layers on `[T*N, ...]`. Stateful children (neurons) are rejected: merging time
 * into the batch would break their recurrence; use `MultiStepContainer` for those.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SeqToANNContainer, Flatten, Linear } from '@snnts/nn';
 * const c = new SeqToANNContainer(new Flatten(), new Linear(784, 256));
 * c.call(tf.zeros([4, 8, 1, 28, 28])).shape; // [4, 8, 256]
 * ```
 */
export class SeqToANNContainer extends Module {
  static override className = 'SeqToANNContainer';
  /** Children keep their own (single-step) mode when `setStepMode` walks the net. */
  readonly keepsChildStepMode = true;
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = checkModules(modules, this.className);
    this.layers.forEach((m, i) => {
      if (m instanceof MemoryModule) {
        throw new ConfigError(this.className, `modules[${i}]`, 'a stateless layer', `a stateful ${m.className}`, 'Put neurons outside SeqToANNContainer (or in a MultiStepContainer).');
      }
      if ('stepMode' in m) (m as unknown as { stepMode: StepMode }).stepMode = 's';
      this.registerModule(String(i), m);
    });
  }

  /** Always multi-step. */
  get stepMode(): StepMode {
    return 'm';
  }
  set stepMode(_mode: StepMode) {
    // Always multi-step: the container exists to run [T, N, ...] input.
  }
  /** Only `'m'`. */
  get supportedStepModes(): readonly StepMode[] {
    return ['m'];
  }

  forward(xSeq: tf.Tensor): tf.Tensor {
    const run = (x: tf.Tensor) => this.layers.reduce((h, m) => m.forward(h), x);
    const rep = repeatedFrame(xSeq);
    if (rep && rep.frame.rank >= 2 && this.layers.every(isTimeInvariant)) {
      const y = runHoisted(rep.T, () => run(rep.frame));
      return repeatOverTime(y, rep.T);
    }
    return seqToANN(xSeq, run, `${this.className}.forward`);
  }

  override getConfig(): ConfigDict {
    return { layers: this.layers.map((m) => serialize(m)) };
  }

  /** Rebuilds from {@link SeqToANNContainer.getConfig}'s output. */
  static fromConfig(c: ConfigDict): SeqToANNContainer {
    return new this(...((c['layers'] as SerializedModule[]) ?? []).map((s) => fromConfig(s)));
  }
}
registerClass(SeqToANNContainer);
