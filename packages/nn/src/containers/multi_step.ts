/**
 * `MultiStepContainer`: runs single-step modules over a sequence by looping over time,
 * `[T, N, ...] -> for t: modules(x[t]) -> stack` (spikingjelly's container of the same name).
 */
import * as tf from '@tensorflow/tfjs';
import { Module, StepModeError, fromConfig, isStepModule, registerClass, serialize, type ConfigDict, type SerializedModule, type StepMode } from '@snnts/core';
import { checkModules } from './sequential.js';

/**
 * Loops its children over the time axis. Children must be single-step (`'s'`); a child in
 * `'m'` mode is rejected with a `StepModeError` naming its class.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MultiStepContainer, Linear, LIFNode } from '@snnts/nn';
 * const c = new MultiStepContainer(new Linear(4, 3), new LIFNode());
 * c.call(tf.ones([8, 2, 4])).shape; // [8, 2, 3]
 * ```
 */
export class MultiStepContainer extends Module {
  static override className = 'MultiStepContainer';
  /** Children keep their single-step mode when `setStepMode` walks the net. */
  readonly keepsChildStepMode = true;
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = checkModules(modules, this.className);
    this.layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Always multi-step. */
  get stepMode(): StepMode {
    return 'm';
  }
  set stepMode(_mode: StepMode) {
    // Always multi-step.
  }
  /** Only `'m'`. */
  get supportedStepModes(): readonly StepMode[] {
    return ['m'];
  }

  forward(xSeq: tf.Tensor): tf.Tensor {
    const fn = `${this.className}.forward`;
    this.layers.forEach((m, i) => {
      if (isStepModule(m) && m.stepMode !== 's') {
        throw new StepModeError(fn, `modules[${i}] (${m.className}).stepMode`, `'s'`, `'${m.stepMode}'`, 'MultiStepContainer loops over time itself; set its children to single-step.');
      }
    });
    if (xSeq.rank < 2) {
      throw new StepModeError(fn, 'xSeq', 'a multi-step tensor [T, N, ...]', `rank ${xSeq.rank} (shape [${xSeq.shape.join(', ')}])`);
    }
    return tf.stack(tf.unstack(xSeq).map((x) => this.layers.reduce((h, m) => m.forward(h), x)));
  }

  override getConfig(): ConfigDict {
    return { layers: this.layers.map((m) => serialize(m)) };
  }

  /** Rebuilds from {@link MultiStepContainer.getConfig}'s output. */
  static fromConfig(c: ConfigDict): MultiStepContainer {
    return new this(...((c['layers'] as SerializedModule[]) ?? []).map((s) => fromConfig(s)));
  }
}
registerClass(MultiStepContainer);
