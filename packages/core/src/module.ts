/**
 * `Module`: the base class of every snnts layer, neuron and container, shaped like PyTorch's
 * `nn.Module`. It owns parameters (`tf.Variable`), buffers and child modules under dotted names,
 * runs `forward` inside `tf.tidy` via `call`, and round-trips weights through `stateDict()`.
 */
import * as tf from '@tensorflow/tfjs';
import { toTensor } from './assert.js';
import { ConfigError, ShapeError, StateDictError } from './errors.js';
import { ForwardHookList, type ForwardHook, type ForwardPreHook, type HookHandle } from './hooks.js';

/** A module's configuration: plain JSON data, equal to its constructor options. */
export type ConfigDict = Record<string, unknown>;

/** Weights by dotted PyTorch-style name, e.g. `'1.0.weight'`. */
export type StateDict = Record<string, tf.Tensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Throw on missing or unexpected keys (default `true`, like PyTorch). */
  strict?: boolean;
}

/**
 * Base class of all snnts modules.
 *
 * Subclasses register their parameters, buffers and children in the constructor and implement
 * `forward`. Users call `module.call(x)` (or `module.forward(x)` inside their own `tf.tidy`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Module } from '@snnts/core';
 * class Scale extends Module {
 *   static override className = 'Scale';
 *   readonly w = this.registerParameter('weight', tf.ones([3]));
 *   forward(x: tf.Tensor) { return tf.mul(x, this.w); }
 * }
 * const m = new Scale();
 * m.call(tf.ones([2, 3])).print();
 * console.log(Object.keys(m.stateDict())); // ['weight']
 * ```
 */
export abstract class Module {
  /** Stable class name (survives minification); used by serialization. */
  static className = 'Module';
  /** Training mode flag (see {@link Module.train}). */
  training = true;
  private readonly params = new Map<string, tf.Variable>();
  private readonly bufs = new Map<string, tf.Tensor>();
  private readonly children_ = new Map<string, Module>();
  private hooks_: ForwardHookList | null = null;

  /** Computes the output. Runs inside the caller's tidy scope. */
  abstract forward(...inputs: tf.Tensor[]): tf.Tensor;

  /**
   * Runs `forward` inside `tf.tidy`, converting tensor-like arguments first.
   *
   * @example
   * ```ts
   * import { Linear } from '@snnts/nn';
   * const y = new Linear(4, 2).call([[1, 2, 3, 4]]);
   * ```
   */
  call(...inputs: (tf.Tensor | tf.TensorLike)[]): tf.Tensor {
    const name = `${this.className}.call`;
    return tf.tidy(() => this.forward(...inputs.map((x, i) => toTensor(x, `inputs[${i}]`, name))));
  }

  /**
   * Registers a hook called after every `forward` of this module with `(module, inputs, output)`:
   * through `call`, and also when a container runs this module as a child (containers call their
   * children's `forward`). Hooks run in registration order, inside the caller's `tf.tidy`, so the
   * output is alive while the hook runs and freed after the outermost `call` returns: a hook that
   * wants to keep a tensor must `tf.keep(output.clone())` it and dispose it later. A multi-step
   * module in `'m'` mode calls its hooks once per sequence (the output is `[T, N, ...]`).
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { Linear } from '@snnts/nn';
   * const fc = new Linear(4, 2);
   * const shapes: number[][] = [];
   * const handle = fc.registerForwardHook((_m, _inputs, out) => { shapes.push(out.shape); });
   * fc.call(tf.ones([3, 4]));
   * handle.remove(); // later calls are not seen
   * console.log(shapes); // [[3, 2]]
   * ```
   */
  registerForwardHook(hook: ForwardHook<this>): HookHandle {
    return this.addHook('post', hook, 'registerForwardHook');
  }

  /**
   * Registers a hook called before every `forward` with `(module, inputs)`; returning an array of
   * tensors replaces the inputs. Same scope rules as {@link Module.registerForwardHook}.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { ReLU } from '@snnts/nn';
   * const relu = new ReLU();
   * relu.registerForwardPreHook((_m, [x]) => [tf.neg(x!)]);
   * relu.call([[1, -2]]).print(); // [[0, 2]]
   * ```
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): HookHandle {
    return this.addHook('pre', hook, 'registerForwardPreHook');
  }

  /**
   * Wraps this instance's `forward` (an own property shadowing the class method) while it has
   * hooks, so hooks run however `forward` is reached; the wrapper is removed with the last hook.
   */
  private addHook(kind: 'pre' | 'post', hook: unknown, fn: string): HookHandle {
    if (typeof hook !== 'function') throw new ConfigError(`${this.className}.${fn}`, 'hook', 'a function', typeof hook);
    let hooks = this.hooks_;
    if (!hooks) {
      const list = (hooks = this.hooks_ = new ForwardHookList());
      const classForward = this.forward;
      this.forward = (...inputs: tf.Tensor[]): tf.Tensor => {
        const xs = list.runPre(this, inputs);
        const out = classForward.apply(this, xs);
        list.runPost(this, xs, out);
        return out;
      };
    }
    const onEmpty = () => {
      this.hooks_ = null;
      Reflect.deleteProperty(this, 'forward');
    };
    return kind === 'pre' ? hooks.add('pre', hook as ForwardPreHook<never>, onEmpty) : hooks.add('post', hook as ForwardHook<never>, onEmpty);
  }

  /**
   * Whether this module has forward hooks or pre-hooks registered (containers that split a call,
   * such as `Sequential`'s time-chunked inference, keep one call per module when it does).
   *
   * @example
   * ```ts
   * import { Linear } from '@snnts/nn';
   * const fc = new Linear(4, 2);
   * const h = fc.registerForwardHook(() => undefined);
   * console.log(fc.hasForwardHooks); // true
   * h.remove();
   * console.log(fc.hasForwardHooks); // false
   * ```
   */
  get hasForwardHooks(): boolean {
    return this.hooks_ !== null;
  }

  /** The class name of this instance. */
  get className(): string {
    return (this.constructor as typeof Module).className;
  }

  /** Registers a trainable (default) or frozen parameter; returns the `tf.Variable`. */
  protected registerParameter(name: string, init: tf.Tensor, trainable = true): tf.Variable {
    this.assertFreeName(name);
    const v = tf.variable(init, trainable);
    init.dispose();
    this.params.set(name, v);
    return v;
  }

  /** Registers a persistent buffer (saved in the state dict, not trained). */
  protected registerBuffer(name: string, value: tf.Tensor): tf.Tensor {
    this.assertFreeName(name);
    this.bufs.set(name, tf.keep(value));
    return value;
  }

  /** Replaces a buffer's value, disposing the old one. */
  protected setBuffer(name: string, value: tf.Tensor): void {
    const old = this.bufs.get(name);
    if (!old) throw new ConfigError(`${this.className}.setBuffer`, 'name', `a registered buffer`, `'${name}'`);
    this.bufs.set(name, tf.keep(value));
    if (old !== value) old.dispose();
  }

  /** Reads a buffer. */
  protected getBuffer(name: string): tf.Tensor {
    const b = this.bufs.get(name);
    if (!b) throw new ConfigError(`${this.className}.getBuffer`, 'name', `a registered buffer`, `'${name}'`);
    return b;
  }

  /** Registers a child module under `name` (its parameters become `name.*`). */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.assertFreeName(name);
    if (!(module instanceof Module)) {
      throw new ConfigError(`${this.className}.registerModule`, name, 'a Module', String(module));
    }
    this.children_.set(name, module);
    return module;
  }

  private assertFreeName(name: string): void {
    if (name === '' || name.includes('.')) {
      throw new ConfigError(`${this.className}.register`, 'name', 'a non-empty name without dots', `'${name}'`);
    }
    if (this.params.has(name) || this.bufs.has(name) || this.children_.has(name)) {
      throw new ConfigError(`${this.className}.register`, 'name', 'a name not yet registered', `'${name}' (already used)`);
    }
  }

  /** Direct children with their names. */
  namedChildren(): [string, Module][] {
    return [...this.children_.entries()];
  }

  /** Direct children. */
  children(): Module[] {
    return [...this.children_.values()];
  }

  /** This module and every descendant, depth first, with dotted names (`''` for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [n, c] of this.children_) out.push(...c.namedModules(prefix ? `${prefix}.${n}` : n));
    return out;
  }

  /** This module and every descendant, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name. */
  namedParameters(): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, p] of m.params) out.push([prefix ? `${prefix}.${n}` : n, p]);
    }
    return out;
  }

  /** Every parameter (trainable or not). */
  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, tf.Tensor][] {
    const out: [string, tf.Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, b] of m.bufs) out.push([prefix ? `${prefix}.${n}` : n, b]);
    }
    return out;
  }

  /** Sets training mode on this module and all descendants. Returns `this`. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (`train(false)`). Returns `this`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Parameters and buffers by dotted name, in PyTorch's `state_dict` order (each module's
   * parameters, then its buffers, depth first). The tensors are the module's own (not copies), as
   * in PyTorch; do not dispose them.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, p] of m.params) out[prefix ? `${prefix}.${n}` : n] = p;
      for (const [n, b] of m.bufs) out[prefix ? `${prefix}.${n}` : n] = b;
    }
    return out;
  }

  /**
   * Copies values into parameters and buffers. Strict by default: missing or unexpected keys,
   * or a shape mismatch, throw a `StateDictError` listing all of them, and nothing is changed.
   */
  loadStateDict(dict: StateDict, options: LoadStateDictOptions = {}): void {
    const fn = `${this.className}.loadStateDict`;
    const strict = options.strict ?? true;
    const own = new Map<string, tf.Tensor>(Object.entries(this.stateDict()));
    const missing = [...own.keys()].filter((k) => !(k in dict));
    const unexpected = Object.keys(dict).filter((k) => !own.has(k));
    const mismatched: string[] = [];
    for (const [k, t] of own) {
      const v = dict[k];
      if (!v) continue;
      if (!(v instanceof tf.Tensor)) throw new ShapeError(fn, `stateDict['${k}']`, 'a tf.Tensor', typeof v);
      if (!tf.util.arraysEqual(v.shape, t.shape)) mismatched.push(`${k}: expected [${t.shape}], got [${v.shape}]`);
    }
    if (mismatched.length || (strict && (missing.length || unexpected.length))) {
      throw new StateDictError(fn, strict ? missing : [], strict ? unexpected : [], mismatched);
    }
    for (const [prefix, m] of this.namedModules()) {
      const key = (n: string) => (prefix ? `${prefix}.${n}` : n);
      for (const [n, p] of m.params) {
        const v = dict[key(n)];
        // Loading a module's own tensors is a no-op (tfjs's assign would free the shared data first).
        if (v && v.dataId !== p.dataId) tf.tidy(() => p.assign(v.dtype === p.dtype ? v : tf.cast(v, p.dtype)));
      }
      for (const [n, b] of m.bufs) {
        const v = dict[key(n)];
        if (v && v.dataId !== b.dataId) m.setBuffer(n, tf.tidy(() => (v.dtype === b.dtype ? v.clone() : tf.cast(v, b.dtype))));
      }
    }
  }

  /** The constructor options that rebuild this module (see `fromConfig`). */
  getConfig(): ConfigDict {
    return {};
  }

  /** Frees parameters, buffers and state of this module and its descendants. */
  dispose(): void {
    for (const m of this.modules()) m.disposeOwn();
  }

  /** Frees what this module itself holds (not its children). Subclasses with state extend it. */
  protected disposeOwn(): void {
    for (const p of this.params.values()) p.dispose();
    for (const b of this.bufs.values()) b.dispose();
    this.params.clear();
    this.bufs.clear();
  }

  /** `using net = new Sequential(...)` disposes it at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A readable tree of the module, like PyTorch's `repr`. */
  toString(): string {
    const cfg = JSON.stringify(this.getConfig());
    const head = `${this.className}(${cfg === '{}' ? '' : cfg})`;
    if (this.children_.size === 0) return head;
    const lines = [...this.children_].map(([n, c]) => `  (${n}): ${c.toString().replace(/\n/g, '\n  ')}`);
    return `${this.className}(\n${lines.join('\n')}\n)`;
  }
}
