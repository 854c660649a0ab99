/**
 * Input handling shared by the plots: turns a plain 2-D array or a rank-2 `tf.Tensor` into one
 * flat row-major view, and checks it with the typed errors of `@snnts/core`. Tensors are read with
 * `dataSync()` (no new tensors are created, so nothing needs disposing); tfjs is never imported at
 * run time, so the package works without a tfjs backend.
 */
import { ConfigError, ShapeError } from '@snnts/core';
import type { Tensor } from '@tensorflow/tfjs';

/**
 * A `[rows, cols]` matrix: a rank-2 `tf.Tensor`, or a plain array of equally long rows (numbers,
 * or any array-like such as a `Float32Array`). Time-major layouts (`[T, nNeurons]`) follow the
 * rest of snnts.
 */
export type MatrixLike = Tensor | ArrayLike<ArrayLike<number>>;

/** A row-major matrix read from a {@link MatrixLike}. @internal */
export interface Matrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/** Whether `x` looks like a tfjs tensor (duck-typed, so any copy of tfjs works). @internal */
export function isTensorLike(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x && Array.isArray((x as Tensor).shape);
}

/** What `x` is, for error messages: `rank-3 tensor [2, 3, 4]`, `array of 3 rows`, `number`. */
function describeValue(x: unknown): string {
  if (isTensorLike(x)) return `a rank-${x.shape.length} tensor of shape [${x.shape.join(', ')}]`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? 'null' : typeof x;
}

/**
 * Reads a `[rows, cols]` matrix with at least one row and one column, or throws a ShapeError
 * naming `fn`, `arg` and what was received. @internal
 */
export function toMatrix(x: MatrixLike, fn: string, arg: string, expected = '[T, nNeurons]'): Matrix {
  if (isTensorLike(x)) {
    if (x.shape.length !== 2) throw new ShapeError(fn, arg, `a rank-2 tensor ${expected}`, describeValue(x));
    const [rows, cols] = x.shape as [number, number];
    if (rows === 0 || cols === 0) throw new ShapeError(fn, arg, `a non-empty ${expected} tensor`, `shape [${rows}, ${cols}]`);
    return { data: x.dataSync() as ArrayLike<number>, rows, cols };
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(fn, arg, `a 2-D array or rank-2 tensor ${expected}`, describeValue(x));
  }
  const rows = x.length;
  if (rows === 0) throw new ShapeError(fn, arg, `a non-empty 2-D array ${expected}`, 'an empty array');
  const first = x[0];
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new ShapeError(fn, arg, `a 2-D array ${expected} (an array of rows)`, `a 1-D array (row 0 is ${typeof first})`);
  }
  const cols = first.length;
  if (cols === 0) throw new ShapeError(fn, arg, `a non-empty 2-D array ${expected}`, 'rows of length 0');
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = x[r];
    if (row === null || typeof row !== 'object' || row.length !== cols) {
      const got = row === null || typeof row !== 'object' ? typeof row : `length ${row.length}`;
      throw new ShapeError(fn, arg, `rows of equal length ${cols} ${expected}`, `row ${r} with ${got}`);
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = Number(row[c]);
  }
  return { data, rows, cols };
}

/** Throws a ConfigError unless every entry of `m` is 0 or 1. @internal */
export function checkBinary(m: Matrix, fn: string, arg: string): void {
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i]!;
    if (v !== 0 && v !== 1) {
      const [r, c] = [Math.floor(i / m.cols), i % m.cols];
      throw new ConfigError(fn, arg, 'spikes of value 0 or 1', `${v} at [${r}, ${c}]`);
    }
  }
}

/** Throws a ConfigError unless `v` is a finite number. @internal */
export function checkFinite(v: unknown, fn: string, arg: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ConfigError(fn, arg, 'a finite number', typeof v === 'number' ? String(v) : typeof v);
  }
}

/** Throws a ConfigError unless `v` is a positive integer (or undefined). @internal */
export function checkPositiveInt(v: number | undefined, fn: string, arg: string): void {
  if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new ConfigError(fn, arg, 'a positive integer', String(v));
}
