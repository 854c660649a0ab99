/**
 * One registry per page or process, even when a bundler duplicates the package: registries are
 * stored on `globalThis` under a namespaced key (the pattern of tfjs `getGlobal`).
 */

const NS = '__snnts__';

/**
 * Returns the process-wide value stored under `key`, creating it with `init` on first use.
 *
 * @internal
 * @example
 * ```ts
 * import { getGlobal } from '@snnts/core';
 * const reg = getGlobal('myRegistry', () => new Map<string, number>());
 * ```
 */
export function getGlobal<T>(key: string, init: () => T): T {
  const g = globalThis as unknown as Record<string, Record<string, unknown>>;
  const ns = (g[NS] ??= {});
  if (!(key in ns)) ns[key] = init();
  return ns[key] as T;
}
