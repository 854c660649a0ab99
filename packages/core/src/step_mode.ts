/**
 * Step modes: `'s'` runs one time step `[N, ...]`, `'m'` a whole sequence `[T, N, ...]`. The
 * types and checks, and {@link StepModeModule}, the base of every module with a step mode
 * (`MemoryModule`, the stateless step-mode layers of `nn`, the merge modules of `convert`).
 */
import { StepModeError, ConfigError } from './errors.js';
import { Module, type ConfigDict } from './module.js';

/** `'s'`: one time step `[N, ...]`; `'m'`: a sequence `[T, N, ...]`. */
export type StepMode = 's' | 'm';

/**
 * The step modes, for validation and error messages.
 *
 * @example
 * ```ts
 * import { STEP_MODES } from '@snnts/core';
 * console.log(STEP_MODES.includes('m')); // true
 * ```
 */
export const STEP_MODES: readonly StepMode[] = ['s', 'm'];

/**
 * Throws a `ConfigError` unless `mode` is `'s'` or `'m'`.
 *
 * @example
 * ```ts
 * import { checkStepMode } from '@snnts/core';
 * const mode = checkStepMode('m', 'LIFNode'); // 'm'
 * ```
 */
export function checkStepMode(mode: unknown, fn: string): StepMode {
  if (mode !== 's' && mode !== 'm') throw new ConfigError(fn, 'stepMode', `'s' or 'm'`, JSON.stringify(mode));
  return mode;
}

/** Options every step-mode module accepts. */
export interface StepModuleArgs {
  /** `'s'` (default) or `'m'`. */
  stepMode?: StepMode;
}

/**
 * Anything with a step mode: {@link MemoryModule} and the stateless step-mode layers of `nn`.
 */
export interface StepModule {
  stepMode: StepMode;
  readonly supportedStepModes: readonly StepMode[];
}

/**
 * True when `m` has a settable step mode.
 *
 * @example
 * ```ts
 * import { isStepModule } from '@snnts/core';
 * import { LIFNode } from '@snnts/nn';
 * console.log(isStepModule(new LIFNode())); // true
 * ```
 */
export function isStepModule(m: unknown): m is Module & StepModule {
  return m instanceof Module && 'stepMode' in m && 'supportedStepModes' in m;
}

/**
 * A {@link Module} with a step mode: the mode set at construction (default `'s'`), validated on
 * every change against `supportedStepModes`, and saved in `getConfig()`. Subclasses dispatch on
 * `stepMode` in `forward`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { StepModeModule } from '@snnts/core';
 * class Twice extends StepModeModule {
 *   static override className = 'Twice';
 *   forward(x: tf.Tensor) { return tf.mul(x, 2); }
 * }
 * const m = new Twice({ stepMode: 'm' });
 * console.log(m.stepMode, m.getConfig()); // 'm' { stepMode: 'm' }
 * ```
 */
export abstract class StepModeModule extends Module implements StepModule {
  static override className = 'StepModeModule';
  private stepMode_: StepMode;

  constructor(args: StepModuleArgs = {}) {
    super();
    this.stepMode_ = checkStepMode(args.stepMode ?? 's', this.className);
  }

  /** Current step mode. Setting it validates against `supportedStepModes`. */
  get stepMode(): StepMode {
    return this.stepMode_;
  }

  set stepMode(mode: StepMode) {
    const m = checkStepMode(mode, `${this.className}.stepMode`);
    if (!this.supportedStepModes.includes(m)) {
      throw new StepModeError(`${this.className}.stepMode`, 'stepMode', this.supportedStepModes.map((s) => `'${s}'`).join(' or '), `'${m}'`);
    }
    this.stepMode_ = m;
  }

  /** The step modes this module can run in (default both). */
  get supportedStepModes(): readonly StepMode[] {
    return STEP_MODES;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), stepMode: this.stepMode_ };
  }
}
