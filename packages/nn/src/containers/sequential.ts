/**
 * `Sequential`: runs child modules one after another, naming them `0`, `1`, ... as PyTorch does,
 * so state-dict keys match (`1.0.weight`).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Module, fromConfig, registerClass, serialize, type ConfigDict, type SerializedModule } from '@snnts/core';
import { chunkedOverTime } from './time_chunk.js';

/**
 * Checks that every element is a Module; `fn` names the container in the error.
 *
 * @internal
 * @example
 * ```ts
 * import { checkModules, Linear, ReLU } from '@snnts/nn';
 * const modules = checkModules([new Linear(4, 2), new ReLU()], 'Sequential'); // a non-Module throws
 * ```
 */
export function checkModules(modules: unknown[], fn: string): Module[] {
  modules.forEach((m, i) => {
    if (!(m instanceof Module)) throw new ConfigError(fn, `modules[${i}]`, 'a Module', String(m));
  });
  return modules as Module[];
}

/**
 * A chain of modules: `forward(x) = mN(...m1(m0(x)))`.
 *
 * @example
 * ```ts
 * import { Sequential, Linear, ReLU } from '@snnts/nn';
 * const mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * mlp.call([[1, 2, 3, 4]]).shape; // [1, 2]
 * console.log(Object.keys(mlp.stateDict())); // ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 */
export class Sequential extends Module {
  static override className = 'Sequential';
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    this.layers = checkModules(modules, this.className);
    this.layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  /** Number of children. */
  get length(): number {
    return this.layers.length;
  }

  /** The i-th child (negative counts from the end). */
  at(i: number): Module | undefined {
    return this.layers.at(i);
  }

  /** Runs the children in order; multi-step inference may run in time chunks (see {@link setTimeChunkBudget}). */
  forward(x: tf.Tensor): tf.Tensor {
    return chunkedOverTime(this.layers, x) ?? this.layers.reduce((h, m) => m.forward(h), x);
  }

  override getConfig(): ConfigDict {
    return { layers: this.layers.map((m) => serialize(m)) };
  }

  /** Rebuilds the chain from {@link Sequential.getConfig}'s output. */
  static fromConfig(c: ConfigDict): Sequential {
    return new this(...((c['layers'] as SerializedModule[]) ?? []).map((s) => fromConfig(s)));
  }
}
registerClass(Sequential);
