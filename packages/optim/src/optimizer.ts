/**
 * `Optimizer`: the PyTorch-style base class. It holds parameter groups (each with its own
 * hyperparameters, such as a mutable `lr` that schedulers change), per-parameter state, and turns
 * each group's hyperparameters into a {@link GradientTransformation} at every `step`. It owns the
 * memory of its state: each step runs in `tf.tidy`, the new state is kept and the old disposed.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, describeValue, ShapeError } from '@snnts/core';
import type { GradientTransformation, ParamState } from './base.js';
import { checkGrad, gradLookup, parseParams, withDefaults } from './checks.js';
import type { Grads, Group, GroupState, Hyperparams, MinimizeOptions, OptimizerStateDict, ParamGroup } from './types.js';

/**
 * Base class of the optimizers. Subclasses supply defaults, a hyperparameter check and the
 * transform for a group; everything else (groups, state, state dicts, memory) lives here.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { SGD } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([3]));
 * const opt = new SGD([w], { lr: 0.1 });
 * for (let i = 0; i < 100; i++) opt.minimize(() => tf.sum(tf.square(w)));
 * opt.paramGroups[0]!.lr = 0.01; // what a scheduler does
 * ```
 */
export abstract class Optimizer<H extends Hyperparams = Hyperparams> {
  /** Stable class name (survives minification); used in error messages. */
  static className = 'Optimizer';
  /** The defaults each group falls back to. */
  readonly defaults: Readonly<H>;
  /** The parameter groups; change `lr` (or other hyperparameters) between steps as needed. */
  readonly paramGroups: Group<H>[] = [];
  /** Per-parameter state, created on a parameter's first step. */
  protected readonly state = new Map<tf.Variable, ParamState>();

  /**
   * @param params the variables to optimise (e.g. `net.parameters()`), or parameter groups.
   * @param defaults every hyperparameter's default.
   * @throws ConfigError on an empty list, a non-variable, a variable in two groups, or a bad
   * hyperparameter.
   */
  constructor(params: tf.Variable[] | ParamGroup<H>[], defaults: H) {
    this.validate(defaults, this.className, 'options');
    this.defaults = { ...defaults };
    for (const [i, g] of parseParams(params, this.className).entries()) this.addGroup(g as ParamGroup<H>, this.className, `params[${i}]`);
  }

  /** The class name of this instance. */
  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /**
   * Throws a `ConfigError` naming `fn` and `${arg}.<name>` unless every hyperparameter of `h` is
   * valid. Called on the defaults, on each group, and on every group before each step.
   */
  protected abstract validate(h: H, fn: string, arg: string): void;

  /** The transform that updates one group's parameters with its current hyperparameters. */
  protected abstract transform(group: Group<H>): GradientTransformation;

  /**
   * Adds a parameter group (PyTorch's `add_param_group`); missing hyperparameters take the defaults.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD } from '@snnts/optim';
   * const opt = new SGD([tf.variable(tf.zeros([2]))], { lr: 0.1 });
   * opt.addParamGroup({ params: [tf.variable(tf.zeros([3]))], lr: 0.01 });
   * ```
   */
  addParamGroup(group: ParamGroup<H>): void {
    const fn = `${this.className}.addParamGroup`;
    this.addGroup(parseParams([group], fn)[0] as ParamGroup<H>, fn, 'group');
  }

  private addGroup(group: ParamGroup<H>, fn: string, arg: string): void {
    const resolved = { ...withDefaults(this.defaults, group), params: [...group.params] } as Group<H>;
    this.validate(resolved, fn, arg);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    resolved.params.forEach((p, i) => {
      if (seen.has(p)) {
        throw new ConfigError(fn, `${arg}.params[${i}]`, 'a variable in no other parameter group', `'${p.name}' twice`);
      }
      seen.add(p);
    });
    this.paramGroups.push(resolved);
  }

  /**
   * Applies one update to every parameter that has a gradient in `grads` (PyTorch's `step()`);
   * parameters without one are left alone, and gradients of other variables are ignored.
   *
   * @param grads by variable, or by `variable.name` (the `grads` of `tf.variableGrads`). The
   * caller keeps ownership of these tensors.
   * @throws ShapeError when a gradient is not a tensor of its parameter's shape; ConfigError when
   * a hyperparameter was set out of range. Nothing is changed when it throws.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD } from '@snnts/optim';
   * const w = tf.variable(tf.tensor1d([1, 2]));
   * const opt = new SGD([w], { lr: 0.5 });
   * const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
   * opt.step(grads); // w = [0, 0]
   * tf.dispose([value, grads]);
   * ```
   */
  step(grads: Grads): void {
    const fn = `${this.className}.step`;
    const lookup = gradLookup(grads, fn);
    const work = this.paramGroups.map((group, gi) => {
      this.validate(group, fn, `paramGroups[${gi}]`);
      const items: [tf.Variable, tf.Tensor][] = [];
      for (const p of group.params) {
        const g = lookup(p);
        if (g === undefined) continue;
        checkGrad(g, p, fn);
        items.push([p, g]);
      }
      return { group, items };
    });
    tf.tidy(() => {
      for (const { group, items } of work) {
        if (items.length === 0) continue;
        const tx = this.transform(group);
        const params = items.map(([p]) => p);
        const states = params.map((p) => this.state.get(p) ?? tx.init([p])[0]!);
        const { updates, state } = tx.update(items.map(([, g]) => g), states, params);
        params.forEach((p, i) => {
          p.assign(tf.add(p, updates[i]!));
          this.commit(p, state[i]!, items[i]![1]);
        });
      }
    });
  }

  /** Keeps the tensors of `next`, disposes those of the previous state that are not reused. */
  private commit(p: tf.Variable, next: ParamState, grad: tf.Tensor): void {
    const kept = new Set<tf.Tensor>();
    for (const [k, v] of Object.entries(next)) {
      if (!(v instanceof tf.Tensor)) continue;
      // Never adopt a tensor the caller owns (a gradient or the parameter itself).
      const t = v === grad || v === p ? tf.clone(v) : v;
      next[k] = tf.keep(t);
      kept.add(t);
    }
    for (const v of Object.values(this.state.get(p) ?? {})) if (v instanceof tf.Tensor && !kept.has(v)) v.dispose();
    this.state.set(p, next);
  }

  /**
   * Does nothing: tfjs gradients are return values, not accumulated on the variables. Kept so
   * code ported from PyTorch (`opt.zero_grad()`) runs unchanged.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { Adam } from '@snnts/optim';
   * new Adam([tf.variable(tf.zeros([1]))]).zeroGrad();
   * ```
   */
  zeroGrad(): void {}

  /**
   * Computes `lossFn()`'s gradients with respect to the trainable parameters, applies `step`,
   * disposes every intermediate, and returns the loss as a number.
   *
   * @param lossFn returns a scalar loss; it runs under the gradient tape.
   * @throws ShapeError when `lossFn` does not return a scalar tensor; ConfigError when no
   * parameter is trainable.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { Adam } from '@snnts/optim';
   * const w = tf.variable(tf.tensor1d([1, -1]));
   * const opt = new Adam([w], { lr: 0.1 });
   * const loss = opt.minimize(() => tf.sum(tf.square(w))); // 2
   * ```
   */
  minimize(lossFn: () => tf.Scalar, options: MinimizeOptions = {}): number {
    const loss = this.minimizeToTensor(lossFn, options, `${this.className}.minimize`);
    const out = loss.dataSync()[0]!;
    loss.dispose();
    return out;
  }

  /**
   * {@link Optimizer.minimize}, but the loss is read back asynchronously (`await loss.data()`):
   * use it on the GPU backends. A synchronous read stalls the GPU pipeline on `webgl`, and on
   * `webgpu` (in headless Chromium, at least) it can lose the device. The update itself is
   * applied before the promise is created, exactly as `minimize` applies it; only the read of
   * the loss waits.
   *
   * @param lossFn returns a scalar loss; it runs under the gradient tape. Tensors it `tf.keep`s
   * (batch accuracy, say) outlive the step and are the caller's to dispose.
   * @returns the loss before the update.
   * @throws ShapeError when `lossFn` does not return a scalar tensor; ConfigError when no
   * parameter is trainable (thrown synchronously, before any promise).
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD } from '@snnts/optim';
   * const w = tf.variable(tf.tensor1d([1, -1]));
   * const opt = new SGD([w], { lr: 0.1 });
   * const loss = await opt.minimizeAsync(() => tf.sum(tf.square(w))); // 2
   * ```
   */
  minimizeAsync(lossFn: () => tf.Scalar, options: MinimizeOptions = {}): Promise<number> {
    const loss = this.minimizeToTensor(lossFn, options, `${this.className}.minimizeAsync`);
    return loss.data().then(
      (d) => {
        loss.dispose();
        return d[0]!;
      },
      (e: unknown) => {
        loss.dispose();
        throw e;
      },
    );
  }

  /** One step of `minimize`/`minimizeAsync`; returns the loss tensor (the caller disposes it). */
  private minimizeToTensor(lossFn: () => tf.Scalar, options: MinimizeOptions, fn: string): tf.Scalar {
    if (typeof lossFn !== 'function') throw new ConfigError(fn, 'lossFn', 'a function returning a scalar tf.Tensor', describeValue(lossFn));
    const { clipGradNorm } = options;
    if (clipGradNorm !== undefined && !(clipGradNorm > 0)) {
      throw new ConfigError(fn, 'options.clipGradNorm', 'a number > 0', describeValue(clipGradNorm));
    }
    const vars = this.paramGroups.flatMap((g) => g.params).filter((p) => p.trainable);
    if (vars.length === 0) throw new ConfigError(fn, 'params', 'at least one trainable tf.Variable', 'none trainable');
    const checkedLoss = (): tf.Scalar => {
      const loss: unknown = lossFn();
      if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
        throw new ShapeError(fn, 'lossFn()', 'a scalar tf.Tensor (rank 0)', describeValue(loss), 'Reduce it with tf.mean or tf.sum.');
      }
      return loss as tf.Scalar;
    };
    return tf.tidy(() => {
      const { value, grads } = variableGrads(checkedLoss, vars, fn);
      this.step(clipGradNorm === undefined ? grads : clipByGlobalNorm(grads, clipGradNorm));
      return value;
    });
  }

  /**
   * The optimizer's state, shaped like PyTorch's `optimizer.state_dict()`. Tensors are clones the
   * caller owns: free them with `tf.dispose(sd.state)`.
   *
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { Adam } from '@snnts/optim';
   * const w = tf.variable(tf.tensor1d([1]));
   * const opt = new Adam([w]);
   * opt.minimize(() => tf.sum(w));
   * const sd = opt.stateDict(); // { state: { 0: { step: 1, expAvg, expAvgSq } }, paramGroups: [...] }
   * tf.dispose(sd.state);
   * ```
   */
  stateDict(): OptimizerStateDict<H> {
    const state: Record<number, ParamState> = {};
    const paramGroups: GroupState<H>[] = [];
    let index = 0;
    for (const g of this.paramGroups) {
      const { params, ...hyper } = g;
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s) state[index] = cloneState(s);
        ids.push(index++);
      }
      paramGroups.push({ ...(structuredClone(hyper) as object), params: ids } as GroupState<H>);
    }
    return { state, paramGroups };
  }

  /**
   * Restores a state dict from `stateDict()`: the groups' hyperparameters and every parameter's state (cloned;
   * the dict stays the caller's). The optimizer must have the same groups with the same numbers of
   * parameters, as in PyTorch.
   *
   * @throws ConfigError when the group or parameter counts differ or a hyperparameter is invalid;
   * ShapeError when a state tensor's shape differs from its parameter's. Nothing changes then.
   * @example
   * ```ts
   * import * as tf from '@tensorflow/tfjs';
   * import { SGD } from '@snnts/optim';
   * const w = tf.variable(tf.tensor1d([1]));
   * const a = new SGD([w], { lr: 0.1, momentum: 0.9 });
   * a.minimize(() => tf.sum(w));
   * const sd = a.stateDict();
   * const b = new SGD([w], { lr: 0.1, momentum: 0.9 });
   * b.loadStateDict(sd); // b continues exactly where a stopped
   * tf.dispose(sd.state);
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict<H>): void {
    const fn = `${this.className}.loadStateDict`;
    const groups = stateDict?.paramGroups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      const actual = Array.isArray(groups) ? plural(groups.length, 'group') : describeValue(groups);
      throw new ConfigError(fn, 'stateDict.paramGroups', `${plural(this.paramGroups.length, 'group')} (as in this optimizer)`, actual);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    const merged = groups.map((saved, gi) => {
      const own = this.paramGroups[gi]!;
      const ids = saved?.params;
      if (!Array.isArray(ids) || ids.length !== own.params.length) {
        const actual = Array.isArray(ids) ? plural(ids.length, 'parameter') : describeValue(ids);
        throw new ConfigError(fn, `stateDict.paramGroups[${gi}].params`, `${plural(own.params.length, 'parameter')} (as in this optimizer's group ${gi})`, actual);
      }
      const { params: _ids, ...hyper } = saved;
      const resolved = { ...own, ...structuredClone(hyper), params: own.params } as Group<H>;
      this.validate(resolved, fn, `stateDict.paramGroups[${gi}]`);
      return resolved;
    });
    const entries = Object.entries(stateDict.state ?? {}).map(([key, s]) => {
      const p = params[Number(key)];
      if (!/^\d+$/.test(key) || !p) {
        throw new ConfigError(fn, `stateDict.state['${key}']`, `a parameter index in [0, ${params.length})`, `'${key}'`);
      }
      for (const [k, v] of Object.entries(s)) {
        const arg = `stateDict.state[${key}].${k}`;
        if (v instanceof tf.Tensor) {
          if (!tf.util.arraysEqual(v.shape, p.shape)) throw new ShapeError(fn, arg, `shape [${p.shape}] (parameter '${p.name}')`, `shape [${v.shape}]`);
        } else if (typeof v !== 'number') {
          throw new ConfigError(fn, arg, 'a tf.Tensor or a number', describeValue(v));
        }
      }
      return [p, s] as const;
    });
    // Clone before disposing: the dict's tensors may be the ones this optimizer holds.
    const loaded = entries.map(([p, s]) => [p, tf.tidy(() => cloneState(s, p.dtype, true))] as const);
    this.disposeState();
    for (const [p, s] of loaded) this.state.set(p, s);
    merged.forEach((g, gi) => Object.assign(this.paramGroups[gi]!, g));
  }

  /** Frees every state tensor (the parameters stay the caller's). The optimizer stays usable. */
  dispose(): void {
    this.disposeState();
  }

  /** `using opt = new Adam(...)` frees the state at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof tf.Tensor) v.dispose();
    this.state.clear();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function cloneState(s: ParamState, dtype?: tf.DataType, keep = false): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) {
    if (!(v instanceof tf.Tensor)) out[k] = v;
    else {
      const c = dtype && v.dtype !== dtype ? tf.cast(v, dtype) : tf.clone(v);
      out[k] = keep ? tf.keep(c) : c;
    }
  }
  return out;
}

/** `tf.variableGrads`, with its "no connection" failure turned into a typed error. */
function variableGrads(f: () => tf.Scalar, vars: tf.Variable[], fn: string): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  try {
    return tf.variableGrads(f, vars);
  } catch (e) {
    if (e instanceof Error && /Cannot find a connection between any variable/.test(e.message)) {
      throw new ConfigError(fn, 'lossFn', `a loss computed from at least one of the optimizer's ${vars.length} trainable parameters`, 'a loss that uses none of them');
    }
    throw e;
  }
}

/** Scales gradients so their global L2 norm is at most `maxNorm` (torch's clip_grad_norm_). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const gs = Object.values(grads);
  if (gs.length === 0) return grads;
  const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))));
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  const out: tf.NamedTensorMap = {};
  for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, coef);
  return out;
}
