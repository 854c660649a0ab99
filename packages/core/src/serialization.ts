/**
 * Config-based (de)serialization: a registry from `className` to constructor, so a module's
 * `getConfig()` (its constructor options) rebuilds it with `fromConfig`, as in tfjs-layers.
 */
import { ConfigError } from './errors.js';
import { getGlobal } from './global.js';
import type { ConfigDict, Module } from './module.js';

/** A module class that can be rebuilt from its config. */
export interface SerializableClass {
  className: string;
  /** Optional custom rebuild, for classes whose constructor is not `(config)`. */
  fromConfig?: (config: ConfigDict) => Module;
  new (...args: never[]): Module;
}

const registry = () => getGlobal('classes', () => new Map<string, SerializableClass>());

/**
 * Registers a module class for {@link fromConfig} under its static `className`.
 *
 * @example
 * ```ts
 * import { registerClass } from '@snnts/core';
 * import { LIFNode } from '@snnts/nn';
 * registerClass(LIFNode); // already done by @snnts/nn; shown for custom modules
 * ```
 */
export function registerClass(cls: SerializableClass): void {
  registry().set(cls.className, cls);
}

/** A serialized module: its class name and its config. */
export interface SerializedModule {
  className: string;
  config: ConfigDict;
}

/**
 * Serializes a module's class and config (not its weights: see `stateDict`).
 *
 * @example
 * ```ts
 * import { serialize } from '@snnts/core';
 * import { LIFNode } from '@snnts/nn';
 * console.log(serialize(new LIFNode({ tau: 2 })));
 * ```
 */
export function serialize(module: Module): SerializedModule {
  return { className: module.className, config: module.getConfig() };
}

/**
 * Rebuilds a module from {@link serialize}'s output.
 *
 * @throws ConfigError listing the registered classes when the class name is unknown.
 * @example
 * ```ts
 * import { fromConfig, serialize } from '@snnts/core';
 * import { LIFNode } from '@snnts/nn';
 * const copy = fromConfig(serialize(new LIFNode({ tau: 3 })));
 * ```
 */
export function fromConfig(serialized: SerializedModule): Module {
  const cls = registry().get(serialized.className);
  if (!cls) {
    throw new ConfigError('fromConfig', 'className', `one of [${[...registry().keys()].sort().join(', ')}]`, `'${serialized.className}'`);
  }
  if (cls.fromConfig) return cls.fromConfig(serialized.config);
  return new (cls as unknown as new (c: ConfigDict) => Module)(serialized.config);
}
