/**
 * Typed error classes of snnts. Every message names the function, the argument, what was
 * expected and what was actually received, so a user can fix the call without reading our code.
 */

/**
 * Base class of every error snnts throws on purpose.
 *
 * @example
 * ```ts
 * import { SnnError, ShapeError } from '@snnts/core';
 * try { throw new ShapeError('lifStep', 'x', '[N, F]', '[3]'); }
 * catch (e) { console.log(e instanceof SnnError, (e as Error).message); }
 * ```
 */
export class SnnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Formats `fn: 'arg' expected X, but got Y.` the one way every snnts error phrases it (for error
 * classes of other packages, so their messages read the same).
 *
 * @example
 * ```ts
 * import { describeArgError } from '@snnts/core';
 * console.log(describeArgError('loadOnnx', 'path', 'an .onnx file', "'x.txt'"));
 * // loadOnnx: 'path' expected an .onnx file, but got 'x.txt'.
 * ```
 */
export function describeArgError(fn: string, arg: string, expected: string, actual: string, hint?: string): string {
  return `${fn}: '${arg}' expected ${expected}, but got ${actual}.${hint ? ` ${hint}` : ''}`;
}

/**
 * An argument had the wrong value: the base of the errors whose message names the function, the
 * argument, what was expected and what was given (see {@link describeArgError}). Catch it to handle
 * every such error at once.
 *
 * @example
 * ```ts
 * import { ArgError, ShapeError } from '@snnts/core';
 * const e = new ShapeError('Linear.forward', 'x', 'last dim 784', 'shape [2, 10]');
 * console.log(e instanceof ArgError, e.fn, e.arg, e.expected, e.actual); // true Linear.forward x ...
 * ```
 */
export class ArgError extends SnnError {
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly expected: string,
    readonly actual: string,
    hint?: string,
  ) {
    super(describeArgError(fn, arg, expected, actual, hint));
  }
}

/**
 * A tensor (or a tensor-like argument) has the wrong rank, shape or dtype.
 *
 * @example
 * ```ts
 * import { ShapeError } from '@snnts/core';
 * const e = new ShapeError('Linear.forward', 'x', 'last dim 784', 'shape [2, 10]');
 * console.log(e.fn, e.arg, e.message);
 * ```
 */
export class ShapeError extends ArgError {}

/**
 * A module was run in a step mode it does not support, or fed data of the other mode.
 *
 * @example
 * ```ts
 * import { StepModeError } from '@snnts/core';
 * console.log(new StepModeError('SeqToANNContainer.forward', 'stepMode', "'m'", "'s'").message);
 * ```
 */
export class StepModeError extends ArgError {}

/**
 * A tfjs backend could not be selected or loaded. The message says why and what to install.
 *
 * @example
 * ```ts
 * import { BackendError } from '@snnts/core';
 * const e = new BackendError('setBackend', 'tensorflow', 'not installed', 'npm install @tensorflow/tfjs-node');
 * console.log(e.backend, e.message);
 * ```
 */
export class BackendError extends SnnError {
  constructor(
    readonly fn: string,
    readonly backend: string,
    readonly reason: string,
    hint?: string,
  ) {
    super(`${fn}: backend '${backend}' is unavailable: ${reason}.${hint ? ` ${hint}` : ''}`);
  }
}

/**
 * An option or configuration value is invalid (out of range, unknown name, wrong type).
 *
 * @example
 * ```ts
 * import { ConfigError } from '@snnts/core';
 * console.log(new ConfigError('LIFNode', 'tau', 'a number > 1', '0.5').message);
 * ```
 */
export class ConfigError extends ArgError {}

/**
 * A state dict does not match the module it is loaded into (missing or unexpected keys, or a
 * tensor of the wrong shape).
 *
 * @example
 * ```ts
 * import { StateDictError } from '@snnts/core';
 * const e = new StateDictError('Module.loadStateDict', ['0.weight'], ['0.w'], []);
 * console.log(e.missing, e.unexpected, e.message);
 * ```
 */
export class StateDictError extends SnnError {
  constructor(
    readonly fn: string,
    readonly missing: string[],
    readonly unexpected: string[],
    readonly mismatched: string[],
  ) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing keys [${missing.join(', ')}]`);
    if (unexpected.length) parts.push(`unexpected keys [${unexpected.join(', ')}]`);
    if (mismatched.length) parts.push(`shape mismatches [${mismatched.join('; ')}]`);
    super(`${fn}: 'stateDict' expected exactly the module's keys and shapes, but got ${parts.join(', ')}.`);
  }
}

/**
 * An operation (ONNX op, kernel, dtype) is not supported. The message lists what is.
 *
 * @example
 * ```ts
 * import { UnsupportedOpError } from '@snnts/core';
 * console.log(new UnsupportedOpError('annFromOnnx', 'Softplus', ['Relu', 'Gemm']).message);
 * ```
 */
export class UnsupportedOpError extends SnnError {
  constructor(
    readonly fn: string,
    readonly op: string,
    readonly supported: readonly string[],
    detail?: string,
  ) {
    super(`${fn}: op '${op}' is not supported${detail ? ` (${detail})` : ''}; supported: ${supported.join(', ')}.`);
  }
}
