/**
 * `MemoryModule`: a `Module` with state that persists across time steps (membrane potentials,
 * dropout masks) and a step mode. Single-step `'s'` takes one time step `[N, ...]`; multi-step
 * `'m'` takes a whole sequence `[T, N, ...]`. State tensors are kept out of `tf.tidy` and the
 * previous value is disposed when it is replaced, so memory stays flat over steps and resets.
 */
import * as tf from '@tensorflow/tfjs';
import { assertRank } from './assert.js';
import { ConfigError } from './errors.js';
import { StepModeModule } from './step_mode.js';

interface Memory {
  value: tf.Tensor | number;
  readonly resetValue: number;
}

/**
 * Base class of stateful modules (neurons, dropout with a per-sequence mask).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { MemoryModule } from '@snnts/core';
 * class Accumulator extends MemoryModule {
 *   static override className = 'Accumulator';
 *   constructor() { super(); this.registerMemory('acc', 0); }
 *   singleStepForward(x: tf.Tensor) {
 *     const acc = tf.add(this.getMemory('acc'), x);
 *     this.setMemory('acc', acc);
 *     return acc;
 *   }
 * }
 * const a = new Accumulator();
 * a.call(tf.ones([2])); a.call(tf.ones([2])).print(); // [2, 2]
 * a.reset();
 * ```
 */
export abstract class MemoryModule extends StepModeModule {
  static override className = 'MemoryModule';
  private readonly memories = new Map<string, Memory>();

  /** Declares a state variable with the value it takes at construction and on `reset()`. */
  protected registerMemory(name: string, resetValue: number): void {
    if (this.memories.has(name)) {
      throw new ConfigError(`${this.className}.registerMemory`, 'name', 'a name not yet registered', `'${name}'`);
    }
    this.memories.set(name, { value: resetValue, resetValue });
  }

  /** The current value of a memory: a scalar number until the first step writes a tensor. */
  getMemory(name: string): tf.Tensor | number {
    return this.memory(name).value;
  }

  /**
   * Stores a new state tensor: keeps it (so it survives `tf.tidy`) and disposes the previous one.
   * Public like spikingjelly's assignable memories (`node.v = ...`): the module owns `value` from
   * here on, so pass a clone of a tensor you keep using.
   */
  setMemory(name: string, value: tf.Tensor): void {
    const mem = this.memory(name);
    const old = mem.value;
    mem.value = tf.keep(value);
    if (old instanceof tf.Tensor && old !== value) old.dispose();
  }

  private memory(name: string): Memory {
    const m = this.memories.get(name);
    if (!m) {
      throw new ConfigError(`${this.className}.getMemory`, 'name', `one of [${[...this.memories.keys()].join(', ')}]`, `'${name}'`);
    }
    return m;
  }

  /** Names of the registered memories. */
  memoryNames(): string[] {
    return [...this.memories.keys()];
  }

  /** Disposes state tensors and restores every memory to its reset value. */
  reset(): void {
    for (const mem of this.memories.values()) {
      if (mem.value instanceof tf.Tensor) mem.value.dispose();
      mem.value = mem.resetValue;
    }
  }

  /**
   * Cuts the state from any recorded computation (a copy with no history). In tfjs a gradient
   * tape ends with `tf.grad`/`variableGrads`, so this matters only inside one long tape.
   */
  detach(): void {
    for (const [name, mem] of this.memories) {
      if (mem.value instanceof tf.Tensor) {
        const v = mem.value;
        this.setMemory(name, tf.tidy(() => v.clone()));
      }
    }
  }

  /**
   * `Module.call`; when `forward` returns a state tensor itself (as `Accumulator` above does), the
   * caller gets a clone sharing its data, so disposing the output leaves the state intact.
   */
  override call(...inputs: (tf.Tensor | tf.TensorLike)[]): tf.Tensor {
    const out = super.call(...inputs);
    for (const mem of this.memories.values()) if (mem.value === out) return tf.clone(out);
    return out;
  }

  /** Dispatches on the step mode. */
  forward(x: tf.Tensor): tf.Tensor {
    const mode = this.stepMode;
    switch (mode) {
      case 's':
        return this.singleStepForward(x);
      case 'm':
        return this.multiStepForward(x);
      default:
        return mode satisfies never;
    }
  }

  /** One time step: `[N, ...] -> [N, ...]`. */
  abstract singleStepForward(x: tf.Tensor): tf.Tensor;

  /**
   * A whole sequence `[T, N, ...]`; by default loops `singleStepForward` over T. Each step's output
   * is cloned (no data copy), since a step may return its state, which the next step disposes.
   */
  multiStepForward(xSeq: tf.Tensor): tf.Tensor {
    assertRank(xSeq, [...Array(7).keys()].slice(2), 'xSeq', `${this.className}.multiStepForward`, 'Multi-step input is [T, N, ...].');
    return tf.stack(tf.unstack(xSeq).map((x) => tf.clone(this.singleStepForward(x))));
  }

  protected override disposeOwn(): void {
    this.reset();
    super.disposeOwn();
  }
}
