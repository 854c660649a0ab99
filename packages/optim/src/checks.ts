/**
 * Argument checks shared by the optimizers and schedulers: hyperparameter ranges, the
 * `params` argument (variables or parameter groups) and the gradients passed to `step`.
 * Every failure is a typed @snnts/core error naming the function, argument, expected and actual.
 * @internal
 */
import * as tf from '@tensorflow/tfjs';
import { assertNumber, ConfigError, describeValue, ShapeError } from '@snnts/core';

/** Throws unless `v` is a finite number >= 0. @internal */
export function checkNonNegative(v: unknown, arg: string, fn: string): asserts v is number {
  assertNumber(v, (x) => Number.isFinite(x) && x >= 0, 'a finite number >= 0', arg, fn);
}

/** Throws unless `v` is a boolean. @internal */
export function checkBoolean(v: unknown, arg: string, fn: string): asserts v is boolean {
  if (typeof v !== 'boolean') throw new ConfigError(fn, arg, 'a boolean', describeValue(v));
}

/** Throws unless `v` is `[beta1, beta2]` with both in [0, 1). @internal */
export function checkBetas(v: unknown, arg: string, fn: string): asserts v is [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw new ConfigError(fn, arg, 'a pair [beta1, beta2]', describeValue(v));
  v.forEach((b, i) => assertNumber(b, (x) => x >= 0 && x < 1, 'a number in [0, 1)', `${arg}[${i}]`, fn));
}

/** A group as the user passes it: variables plus optional per-group hyperparameters. @internal */
export interface RawGroup {
  params: tf.Variable[];
  [option: string]: unknown;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !(x instanceof tf.Tensor) && !Array.isArray(x);
}

/**
 * Splits the `params` constructor argument into groups: a list of variables is one group; a list
 * of `{params, ...}` objects is one group each. @internal
 */
export function parseParams(params: unknown, fn: string): RawGroup[] {
  if (!Array.isArray(params) || params.length === 0) {
    throw new ConfigError(fn, 'params', 'a non-empty array of tf.Variable or of parameter groups {params, ...}', describeValue(params));
  }
  if (params.every((p) => !isPlainObject(p))) {
    return [{ params: checkVariables(params, 'params', fn) }];
  }
  return params.map((g, i) => {
    if (!isPlainObject(g)) {
      throw new ConfigError(fn, `params[${i}]`, 'a parameter group {params: tf.Variable[], ...} like the other entries', describeValue(g));
    }
    return { ...g, params: checkVariables(g['params'], `params[${i}].params`, fn) };
  });
}

/** Throws unless `vars` is a non-empty array of live `tf.Variable`s. @internal */
export function checkVariables(vars: unknown, arg: string, fn: string): tf.Variable[] {
  if (!Array.isArray(vars) || vars.length === 0) {
    throw new ConfigError(fn, arg, 'a non-empty array of tf.Variable', describeValue(vars));
  }
  vars.forEach((v, i) => {
    if (!(v instanceof tf.Variable)) {
      const hint = v instanceof tf.Tensor ? 'Wrap it with tf.variable(t), or pass module.parameters().' : undefined;
      throw new ConfigError(fn, `${arg}[${i}]`, 'a tf.Variable', describeValue(v), hint);
    }
    if (v.isDisposed) throw new ConfigError(fn, `${arg}[${i}]`, 'a live tf.Variable', `disposed variable '${v.name}'`);
  });
  return vars as tf.Variable[];
}

/** Returns a lookup from a variable to its gradient (or undefined), validating the container. @internal */
export function gradLookup(grads: unknown, fn: string): (v: tf.Variable) => tf.Tensor | undefined {
  if (grads instanceof Map) return (v) => grads.get(v) as tf.Tensor | undefined;
  if (isPlainObject(grads)) return (v) => (Object.hasOwn(grads, v.name) ? (grads[v.name] as tf.Tensor) : undefined);
  throw new ConfigError(
    fn,
    'grads',
    'a Map<tf.Variable, tf.Tensor> or a Record<variable.name, tf.Tensor> (what tf.variableGrads returns)',
    describeValue(grads),
  );
}

/** Throws unless `g` is a live tensor shaped like `p`. @internal */
export function checkGrad(g: unknown, p: tf.Variable, fn: string): asserts g is tf.Tensor {
  const arg = `grads['${p.name}']`;
  if (!(g instanceof tf.Tensor)) throw new ShapeError(fn, arg, 'a tf.Tensor', describeValue(g));
  if (g.isDisposed) throw new ShapeError(fn, arg, 'a live tf.Tensor', 'a disposed tensor');
  if (!tf.util.arraysEqual(g.shape, p.shape)) {
    throw new ShapeError(fn, arg, `shape [${p.shape}] (the parameter's)`, `shape [${g.shape}]`);
  }
}

/** `{...defaults, ...options}` where options' `undefined` entries do not erase defaults. @internal */
export function withDefaults<T extends object>(defaults: T, options: object | undefined): T {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) out[k] = v;
  return out as T;
}
