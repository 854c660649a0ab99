/**
 * Forward hooks, PyTorch's `register_forward_hook` / `register_forward_pre_hook`: callbacks that
 * see a module's inputs (before `forward`) or its inputs and output (after `forward`). Monitors,
 * spike counters and debugging tools build on them. This file holds the types and the per-module
 * hook list; `Module.registerForwardHook` installs them.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Module } from './module.js';

/**
 * Called after a module's `forward` with the module, its inputs and its output. It runs inside
 * the caller's `tf.tidy` scope (the one of `Module.call`), so the tensors it receives are alive
 * during the call and freed afterwards: a hook that wants to keep a tensor must store
 * `tf.keep(output.clone())` (and dispose it later); tensors it creates itself are freed with the
 * scope, unless kept. Plain numbers read with `dataSync()` need no care.
 *
 * @example
 * ```ts
 * import type { ForwardHook } from '@snnts/core';
 * const logShape: ForwardHook = (m, _inputs, out) => console.log(m.className, out.shape);
 * ```
 */
export type ForwardHook<M = Module> = (module: M, inputs: readonly tf.Tensor[], output: tf.Tensor) => void;

/**
 * Called before a module's `forward` with the module and its inputs. Returning an array of
 * tensors replaces the inputs (as a PyTorch pre-hook returning a tuple does); returning nothing
 * keeps them.
 *
 * @example
 * ```ts
 * import type { ForwardPreHook } from '@snnts/core';
 * const check: ForwardPreHook = (m, inputs) => console.log(m, inputs.length);
 * ```
 */
export type ForwardPreHook<M = Module> = (module: M, inputs: readonly tf.Tensor[]) => tf.Tensor[] | void;

/** What registering a hook returns: `remove()` detaches it (calling it twice is harmless). */
export interface HookHandle {
  /** Detaches the hook. */
  remove(): void;
}

/**
 * The pre- and post-forward hooks of one module, in registration order. Internal to `Module`
 * (not exported from the package).
 *
 * @internal
 */
export class ForwardHookList {
  private readonly pre_ = new Map<number, ForwardPreHook<never>>();
  private readonly post_ = new Map<number, ForwardHook<never>>();
  private nextId = 0;

  /** Adds a hook; `onEmpty` runs when the last hook of either kind is removed. */
  add(kind: 'pre', hook: ForwardPreHook<never>, onEmpty?: () => void): HookHandle;
  add(kind: 'post', hook: ForwardHook<never>, onEmpty?: () => void): HookHandle;
  add(kind: 'pre' | 'post', hook: ForwardPreHook<never> | ForwardHook<never>, onEmpty?: () => void): HookHandle {
    const id = this.nextId++;
    const map = kind === 'pre' ? this.pre_ : this.post_;
    map.set(id, hook as never);
    return {
      remove: () => {
        if (map.delete(id) && this.size === 0) onEmpty?.();
      },
    };
  }

  /** Number of hooks of both kinds. */
  get size(): number {
    return this.pre_.size + this.post_.size;
  }

  /** Runs the pre-hooks in order; each sees the inputs the previous one returned. */
  runPre<M>(module: M, inputs: tf.Tensor[]): tf.Tensor[] {
    let xs = inputs;
    for (const h of [...this.pre_.values()]) {
      const r = (h as ForwardPreHook<M>)(module, xs);
      if (Array.isArray(r)) xs = r;
    }
    return xs;
  }

  /** Runs the post-hooks in order. */
  runPost<M>(module: M, inputs: readonly tf.Tensor[], output: tf.Tensor): void {
    for (const h of [...this.post_.values()]) (h as ForwardHook<M>)(module, inputs, output);
  }
}
