/**
 * `Monitor`: what every snnts monitor shares, spikingjelly's `monitor.BaseMonitor` without the
 * records. It picks the submodules to watch by class or class name (`selectModules`), attaches
 * one forward hook to each, and can be paused (`disable`), resumed (`enable`) and detached
 * (`remove`) so the network runs exactly as before.
 */
import { ConfigError, Module, type HookHandle } from '@snnts/core';

/** A module class (possibly abstract), matched with `instanceof`. */
export type ModuleClass = abstract new (...args: never[]) => Module;

/**
 * Which submodules a monitor watches: a class (matched with `instanceof`, so `BaseNode` matches
 * every neuron), a class name (matched against `module.className`, for classes the caller does not
 * import), or an array of either.
 */
export type ModuleSelector = ModuleClass | string | readonly (ModuleClass | string)[];

/**
 * The submodules of `net` (itself included, named `''`) that `selector` matches, with their dotted
 * names from `net.namedModules()`, each module once. Without a selector, the modules of `net`'s own
 * class (spikingjelly's default, `type(net)`).
 *
 * @example
 * ```ts
 * import { BaseNode, LIFNode, Linear, Sequential, selectModules } from '@snnts/nn';
 * const net = new Sequential(new Linear(4, 3), new LIFNode(), new Linear(3, 2), new LIFNode());
 * console.log(selectModules(net, BaseNode).map(([name]) => name)); // ['1', '3']
 * console.log(selectModules(net, 'Linear').map(([name]) => name)); // ['0', '2']
 * ```
 */
export function selectModules(net: Module, selector?: ModuleSelector, fn = 'selectModules'): [string, Module][] {
  if (!(net instanceof Module)) throw new ConfigError(fn, 'net', 'a Module', String(net));
  const list = selector === undefined ? [net.constructor as ModuleClass] : Array.isArray(selector) ? selector : [selector as ModuleClass | string];
  for (const s of list) {
    if (typeof s !== 'string' && typeof s !== 'function') {
      throw new ConfigError(fn, 'instance', 'a Module class, a class name, or an array of them', String(s));
    }
  }
  const matches = (m: Module) => list.some((s) => (typeof s === 'string' ? m.className === s : m instanceof s));
  const seen = new Set<Module>();
  return net.namedModules().filter(([, m]) => {
    if (seen.has(m) || !matches(m)) return false;
    seen.add(m);
    return true;
  });
}

/**
 * Base class of monitors: holds the hook handles, the names of the watched layers and the
 * enabled flag. Subclasses call `watch` in their constructor and implement `clear`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Module } from '@snnts/core';
 * import { LIFNode, Monitor } from '@snnts/nn';
 * class CallCounter extends Monitor {
 *   calls = 0;
 *   constructor(net: Module) {
 *     super();
 *     this.watch(net, LIFNode, 'CallCounter', (_name, m) => m.registerForwardHook(() => { if (this.isEnabled()) this.calls++; }));
 *   }
 *   clear() { this.calls = 0; }
 * }
 * const node = new LIFNode();
 * const counter = new CallCounter(node);
 * node.call(tf.ones([2]));
 * console.log(counter.calls); // 1
 * counter.dispose();
 * ```
 */
export abstract class Monitor {
  /** Dotted names (from `net.namedModules()`) of the watched modules, in tree order. */
  readonly monitoredLayers: string[] = [];
  private readonly handles: HookHandle[] = [];
  private enabled = true;

  /** Attaches `attach(name, module)`'s hook to every module `selector` matches in `net`. */
  protected watch(net: Module, selector: ModuleSelector | undefined, fn: string, attach: (name: string, module: Module) => HookHandle): void {
    try {
      for (const [name, m] of selectModules(net, selector, fn)) {
        this.handles.push(attach(name, m));
        this.monitoredLayers.push(name);
      }
    } catch (e) {
      this.remove();
      this.monitoredLayers.length = 0;
      throw e;
    }
  }

  /** Resumes recording. */
  enable(): void {
    this.enabled = true;
  }

  /** Pauses recording (the hooks stay attached but do nothing). */
  disable(): void {
    this.enabled = false;
  }

  /** Whether the monitor records. */
  isEnabled(): boolean {
    return this.enabled;
  }

  /** Detaches every hook (spikingjelly's `remove_hooks`); what was recorded stays readable. */
  remove(): void {
    for (const h of this.handles) h.remove();
    this.handles.length = 0;
  }

  /** Forgets what was recorded and frees any tensors the monitor kept. */
  abstract clear(): void;

  /** `remove()` then `clear()`. */
  dispose(): void {
    this.remove();
    this.clear();
  }

  /** `using m = new OutputMonitor(...)` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
