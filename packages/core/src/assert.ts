/**
 * Argument checks shared by every public function: tensor conversion with a named error, rank
 * and shape assertions, number ranges. Messages are built lazily, only when a check fails.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from './errors.js';

/** Anything `toTensor` accepts: a tensor, or nested arrays / typed arrays of numbers. */
export type TensorLike = tf.Tensor | tf.TensorLike;

/**
 * Converts `x` to a float32 tensor, or throws a `ShapeError` naming `fn` and `arg`.
 *
 * @example
 * ```ts
 * import { toTensor } from '@snnts/core';
 * const t = toTensor([[1, 2]], 'x', 'myOp'); // float32, shape [1, 2]
 * ```
 */
export function toTensor(x: unknown, arg: string, fn: string): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  const ok =
    typeof x === 'number' ||
    ArrayBuffer.isView(x) ||
    (Array.isArray(x) && x.length > 0);
  if (!ok) throw new ShapeError(fn, arg, 'a tf.Tensor or a non-empty numeric array', describeValue(x));
  let t: tf.Tensor;
  try {
    t = tf.tensor(x as tf.TensorLike, undefined, 'float32');
  } catch (e) {
    throw new ShapeError(fn, arg, 'a rectangular numeric array', describeValue(x), String((e as Error).message));
  }
  // tfjs checks nested arrays only in DEBUG mode; a ragged array would silently give a tensor
  // whose data does not fill its shape.
  if (!isRectangular(x, t.shape)) {
    t.dispose();
    throw new ShapeError(fn, arg, 'a rectangular numeric array', `a ragged array (first row shape [${t.shape.join(', ')}])`);
  }
  return t;
}

/** True when every nested array has the length the first elements imply (tfjs's inferred shape). */
function isRectangular(x: unknown, shape: readonly number[], depth = 0): boolean {
  if (!Array.isArray(x) && !ArrayBuffer.isView(x)) return depth === shape.length;
  const a = x as ArrayLike<unknown>;
  if (depth >= shape.length || a.length !== shape[depth]) return false;
  for (let i = 0; i < a.length; i++) if (!isRectangular(a[i], shape, depth + 1)) return false;
  return true;
}

/**
 * Short human description of a value for error messages.
 *
 * @internal
 * @example
 * ```ts
 * import { describeValue } from '@snnts/core';
 * console.log(describeValue([1, 2, 3])); // 'an array of length 3'
 * ```
 */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape.join(', ')}]`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return `${typeof x} ${String(x)}`;
}

/**
 * Throws a `ShapeError` unless `x.rank` is one of `ranks`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { assertRank } from '@snnts/core';
 * assertRank(tf.zeros([2, 3]), [2], 'x', 'Linear.forward');
 * ```
 */
export function assertRank(x: tf.Tensor, ranks: readonly number[], arg: string, fn: string, hint?: string): void {
  if (!ranks.includes(x.rank)) {
    const exp = ranks.length === 1 ? `rank ${ranks[0]}` : `rank in {${ranks.join(', ')}}`;
    throw new ShapeError(fn, arg, exp, `rank ${x.rank} (shape [${x.shape.join(', ')}])`, hint);
  }
}

/**
 * Throws a `ShapeError` unless the tensor has exactly `shape` (`-1` matches any size).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { assertShape } from '@snnts/core';
 * assertShape(tf.zeros([2, 3]), [-1, 3], 'x', 'Linear.forward');
 * ```
 */
export function assertShape(x: tf.Tensor, shape: readonly number[], arg: string, fn: string, hint?: string): void {
  const ok = x.rank === shape.length && shape.every((s, i) => s === -1 || s === x.shape[i]);
  if (!ok) {
    const exp = `shape [${shape.map((s) => (s === -1 ? '*' : s)).join(', ')}]`;
    throw new ShapeError(fn, arg, exp, `shape [${x.shape.join(', ')}]`, hint);
  }
}

/**
 * Throws a `ConfigError` unless `value` is a finite number satisfying `pred`.
 *
 * @example
 * ```ts
 * import { assertNumber } from '@snnts/core';
 * assertNumber(2.0, (v) => v > 1, 'a number > 1', 'tau', 'LIFNode');
 * ```
 */
export function assertNumber(
  value: unknown,
  pred: (v: number) => boolean,
  expected: string,
  arg: string,
  fn: string,
): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || !pred(value)) {
    throw new ConfigError(fn, arg, expected, describeValue(value));
  }
}

/**
 * Throws a `ConfigError` unless `value` is a positive integer.
 *
 * @example
 * ```ts
 * import { assertPositiveInt } from '@snnts/core';
 * assertPositiveInt(784, 'inFeatures', 'Linear');
 * ```
 */
export function assertPositiveInt(value: unknown, arg: string, fn: string): asserts value is number {
  assertNumber(value, (v) => Number.isInteger(v) && v > 0, 'a positive integer', arg, fn);
}
