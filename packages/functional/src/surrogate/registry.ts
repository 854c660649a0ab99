/**
 * The surrogate registry: surrogates are looked up by class name (e.g. from a config or a
 * spikingjelly kwargs dict), never with if/else chains on strings.
 */
import { ConfigError, describeValue, getGlobal } from '@snnts/core';
import type { SurrogateArgs, SurrogateFunction } from './base.js';

/** A surrogate class: constructible from its options, with a static `className`. */
export interface SurrogateClass {
  className: string;
  new (args?: SurrogateArgs & Record<string, unknown>): SurrogateFunction;
}

const registry = () => getGlobal('surrogates', () => new Map<string, SurrogateClass>());

/**
 * Registers a surrogate class under its `className`.
 *
 * @example
 * ```ts
 * import { registerSurrogate, ATan } from '@snnts/functional';
 * registerSurrogate(ATan); // done by the package itself; shown for custom surrogates
 * ```
 */
export function registerSurrogate(cls: SurrogateClass): void {
  if (typeof cls !== 'function' || typeof cls.className !== 'string' || cls.className === '') {
    throw new ConfigError('registerSurrogate', 'cls', 'a SurrogateFunction subclass with a static className', describeValue(cls));
  }
  registry().set(cls.className, cls);
}

/**
 * Names of every registered surrogate.
 *
 * @example
 * ```ts
 * import { listSurrogates } from '@snnts/functional';
 * console.log(listSurrogates()); // ['ATan', 'DeterministicPass', 'Erf', ...] (sorted)
 * ```
 */
export function listSurrogates(): string[] {
  return [...registry().keys()].sort();
}

/**
 * Builds a surrogate by name with its options.
 *
 * @throws ConfigError listing the registered names when `name` is unknown, listing the accepted
 * options when `args` has a key the surrogate does not take (e.g. a misspelt `alhpa`), or from
 * the surrogate's constructor when an option value is invalid.
 * @example
 * ```ts
 * import { getSurrogate } from '@snnts/functional';
 * const sg = getSurrogate('Sigmoid', { alpha: 4 });
 * ```
 */
export function getSurrogate(name: string, args: SurrogateArgs & Record<string, unknown> = {}): SurrogateFunction {
  const cls = registry().get(name);
  if (!cls) throw new ConfigError('getSurrogate', 'name', `one of [${listSurrogates().join(', ')}]`, `'${name}'`);
  const sg = new cls(args);
  const known = Object.keys(sg.getConfig());
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError('getSurrogate', 'args', `options of ${name} among [${known.join(', ')}]`, `unknown [${unknown.join(', ')}]`);
  }
  return sg;
}
