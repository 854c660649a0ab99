/**
 * The composable core of @snnts/optim, after optax (and jax-js's port of it): a
 * `GradientTransformation` is a pair of pure functions `init` / `update` that map gradients to
 * updates, and `chain()` composes them. The PyTorch-style classes (`SGD`, `Adam`, `AdamW`) are
 * short chains of these transforms; the classes add parameter groups, state bookkeeping and memory
 * management on top.
 *
 * Conventions: updates are *added* to parameters (`p <- p + u`, see {@link applyUpdates}), so the
 * learning-rate transform multiplies by `-lr`. Transforms are pure: they never dispose or mutate
 * their inputs and run inside the caller's `tf.tidy` scope.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '@snnts/core';

/**
 * One entry of a parameter's optimizer state: a tensor (a moment estimate) or a number (a step count).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { StateValue } from '@snnts/optim';
 * const entries: StateValue[] = [3, tf.zeros([2])];
 * ```
 */
export type StateValue = tf.Tensor | number;

/**
 * The optimizer state of one parameter, by name, e.g. `{ step: 3, expAvg, expAvgSq }` for Adam or
 * `{ momentumBuffer }` for SGD with momentum. Entries may be absent until first needed, as in
 * PyTorch (SGD's momentum buffer is created on the first step).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { ParamState } from '@snnts/optim';
 * const adamState: ParamState = { step: 0, expAvg: tf.zeros([2]), expAvgSq: tf.zeros([2]) };
 * ```
 */
export type ParamState = Record<string, StateValue>;

/**
 * The state of a transform: one {@link ParamState} per parameter, in parameter order.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { trace, type OptState } from '@snnts/optim';
 * const state: OptState = trace({ momentum: 0.9 }).init([tf.zeros([2]), tf.zeros([3])]); // [{}, {}]
 * ```
 */
export type OptState = ParamState[];

/**
 * What {@link GradientTransformation.update} returns.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { scaleByLearningRate, type UpdateResult } from '@snnts/optim';
 * const p = tf.zeros([2]);
 * const r: UpdateResult = scaleByLearningRate(0.1).update([tf.ones([2])], [{}], [p]);
 * r.updates[0]!.print(); // [-0.1, -0.1]
 * ```
 */
export interface UpdateResult {
  /** One update per parameter, to be added to it. */
  updates: tf.Tensor[];
  /** The next state (new objects; the input state is left untouched). */
  state: OptState;
}

/**
 * A pure gradient transformation, as in optax.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { applyUpdates, chain, scaleByAdam, scaleByLearningRate } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * const tx = chain(scaleByAdam(), scaleByLearningRate(0.1));
 * let state = tx.init([w]);
 * const { updates, state: next } = tx.update([tf.tensor1d([0.5, -0.5])], state, [w]);
 * applyUpdates([w], updates); // w = [0.9, 2.1]
 * state = next;
 * ```
 */
export interface GradientTransformation {
  /** The state entry names this transform owns (used by {@link chain} to reject clashes). */
  readonly stateKeys: readonly string[];
  /** The initial state for `params` (may be empty objects; entries can be created lazily). */
  init(params: readonly tf.Tensor[]): OptState;
  /** Maps gradients (and the current state and parameters) to updates and the next state. */
  update(grads: readonly tf.Tensor[], state: OptState, params: readonly tf.Tensor[]): UpdateResult;
}

/**
 * Composes transforms left to right: the updates of one are the gradients of the next. The
 * per-parameter states are merged into one object, so the transforms' `stateKeys` must not clash.
 *
 * @throws ConfigError when two transforms own the same state key.
 * @example
 * ```ts
 * import { addDecayedWeights, chain, scaleByLearningRate, trace } from '@snnts/optim';
 * // SGD with momentum 0.9 and L2 weight decay 1e-4, as torch.optim.SGD does it:
 * const sgd = chain(addDecayedWeights(1e-4), trace({ momentum: 0.9 }), scaleByLearningRate(0.1));
 * ```
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation {
  const seen = new Map<string, number>();
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new ConfigError('chain', `transforms[${i}]`, 'a GradientTransformation ({init, update})', String(t));
    }
    for (const k of t.stateKeys) {
      const j = seen.get(k);
      if (j !== undefined) {
        throw new ConfigError('chain', `transforms[${i}]`, `state keys distinct from transforms[${j}]`, `a second '${k}'`);
      }
      seen.set(k, i);
    }
  });
  return {
    stateKeys: [...seen.keys()],
    init(params) {
      const out: OptState = params.map(() => ({}));
      for (const t of transforms) t.init(params).forEach((s, i) => Object.assign(out[i]!, s));
      return out;
    },
    update(grads, state, params) {
      let updates = [...grads];
      const next: OptState = state.map((s) => ({ ...s }));
      for (const t of transforms) {
        const r = t.update(updates, next, params);
        updates = r.updates;
        r.state.forEach((s, i) => Object.assign(next[i]!, s));
      }
      return { updates, state: next };
    },
  };
}

/**
 * Adds each update to its variable in place: `p.assign(p + u)`. Runs in its own `tf.tidy`.
 *
 * @throws ShapeError when the counts or shapes differ.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { applyUpdates } from '@snnts/optim';
 * const w = tf.variable(tf.tensor1d([1, 2]));
 * applyUpdates([w], [tf.tensor1d([0.5, 0.5])]); // w = [1.5, 2.5]
 * ```
 */
export function applyUpdates(params: readonly tf.Variable[], updates: readonly tf.Tensor[]): void {
  const fn = 'applyUpdates';
  if (params.length !== updates.length) {
    throw new ShapeError(fn, 'updates', `${params.length} tensors (one per parameter)`, `${updates.length}`);
  }
  tf.tidy(() => {
    params.forEach((p, i) => {
      const u = updates[i]!;
      if (!tf.util.arraysEqual(u.shape, p.shape)) {
        throw new ShapeError(fn, `updates[${i}]`, `shape [${p.shape}] (of parameter '${p.name}')`, `shape [${u.shape}]`);
      }
      p.assign(tf.add(p, u));
    });
  });
}

/** Builds a transform from a per-parameter function. @internal */
export function perParam(
  stateKeys: readonly string[],
  init: (param: tf.Tensor) => ParamState,
  update: (grad: tf.Tensor, state: ParamState, param: tf.Tensor) => [tf.Tensor, ParamState],
): GradientTransformation {
  return {
    stateKeys,
    init: (params) => params.map(init),
    update(grads, state, params) {
      const updates: tf.Tensor[] = [];
      const next: OptState = [];
      grads.forEach((g, i) => {
        const [u, s] = update(g, state[i] ?? {}, params[i]!);
        updates.push(u);
        next.push(s);
      });
      return { updates, state: next };
    },
  };
}
