/**
 * The backend registry: which tfjs backend runs snnts, modelled on onnxruntime-common's
 * `registerBackend(name, backend, priority)`. Entries load lazily (dynamic import), so a browser
 * bundle never pulls in Node-only packages and Node never pulls in browser ones. Asking for a
 * backend by name either gives exactly that backend or throws a `BackendError` saying why; it
 * never silently falls back.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './errors.js';
import { getGlobal } from './global.js';

/** Where a backend can run. */
export type BackendEnv = 'node' | 'browser' | 'any';

/** How a backend is made available to tfjs. */
export interface BackendProvider {
  /** Higher is preferred by automatic selection; negative means never chosen automatically. */
  priority: number;
  /** Where it can run. */
  env: BackendEnv;
  /**
   * Makes the tfjs backend `tfName` registered (usually by importing its package). Throws with
   * a readable reason when it cannot.
   */
  load: () => Promise<void>;
  /** The name tfjs knows the backend by (defaults to the registry name). */
  tfName?: string;
  /** What to install when loading fails. */
  installHint?: string;
}

/** One row of {@link listBackends}. */
export interface BackendInfo {
  name: string;
  priority: number;
  available: boolean;
  /** Why it is unavailable (absent when available). */
  reason?: string;
  /** What to install to make it available. */
  installHint?: string;
}

interface RegistryState {
  providers: Map<string, BackendProvider>;
  loaded: Map<string, Promise<void>>;
  failures: Map<string, string>;
  active: string | null;
}

const state = (): RegistryState =>
  getGlobal<RegistryState>('backends', () => ({ providers: new Map(), loaded: new Map(), failures: new Map(), active: null }));

/**
 * True when running under Node.js (not a browser or worker).
 *
 * @internal
 * @example
 * ```ts
 * import { isNode } from '@snnts/core';
 * console.log(isNode()); // true under Node.js
 * ```
 */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

function envMatches(env: BackendEnv): boolean {
  return env === 'any' || (env === 'node') === isNode();
}

/**
 * Registers (or replaces) a backend provider under `name`.
 *
 * @example
 * ```ts
 * import { registerBackend } from '@snnts/core';
 * registerBackend('my-cpu', { priority: -1, env: 'any', tfName: 'cpu', load: async () => {} });
 * ```
 */
export function registerBackend(name: string, provider: BackendProvider): void {
  const s = state();
  s.providers.set(name, provider);
  s.loaded.delete(name);
  s.failures.delete(name);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function ensureLoaded(name: string, fn: string): Promise<BackendProvider> {
  const s = state();
  const p = s.providers.get(name);
  if (!p) {
    throw new BackendError(fn, name, `no backend of that name is registered (registered: ${[...s.providers.keys()].join(', ')})`);
  }
  if (!envMatches(p.env)) {
    throw new BackendError(fn, name, `it runs only in ${p.env === 'node' ? 'Node.js' : 'a browser'}`);
  }
  let pending = s.loaded.get(name);
  if (!pending) {
    pending = p.load();
    s.loaded.set(name, pending);
  }
  try {
    await pending;
  } catch (e) {
    s.loaded.delete(name);
    s.failures.set(name, errorText(e));
    throw new BackendError(fn, name, errorText(e), p.installHint);
  }
  const tfName = p.tfName ?? name;
  if (tf.findBackendFactory(tfName) == null) {
    const reason = `loading it did not register a tfjs backend named '${tfName}'`;
    s.failures.set(name, reason);
    throw new BackendError(fn, name, reason, p.installHint);
  }
  return p;
}

/**
 * Switches snnts (and tfjs) to the named backend and returns the name really in use. Without a
 * name it picks `SNNTS_BACKEND` if set, else the highest-priority backend that loads.
 *
 * @throws BackendError when the named backend cannot be loaded or initialised; it never falls
 * back to another backend when a name was given.
 * @example
 * ```ts
 * import { setBackend } from '@snnts/core';
 * const used = await setBackend('wasm'); // 'wasm'
 * ```
 */
export async function setBackend(name?: string): Promise<string> {
  const fn = 'setBackend';
  const requested = name ?? envBackend();
  const previous = activeTfBackend();
  if (requested) {
    const p = await ensureLoaded(requested, fn);
    const tfName = p.tfName ?? requested;
    let ok = false;
    try {
      ok = await tf.setBackend(tfName);
    } catch (e) {
      await restore(previous);
      throw new BackendError(fn, requested, `tfjs failed to initialise it: ${errorText(e)}`, p.installHint);
    }
    if (!ok || tf.getBackend() !== tfName) {
      const reason = `tfjs failed to initialise it (active backend is '${tf.getBackend()}')`;
      await restore(previous);
      throw new BackendError(fn, requested, reason, p.installHint);
    }
    await tf.ready();
    state().active = requested;
    return requested;
  }
  const errors: string[] = [];
  for (const [candidate, p] of autoCandidates()) {
    try {
      await ensureLoaded(candidate, fn);
      if (await tf.setBackend(p.tfName ?? candidate)) {
        await tf.ready();
        state().active = candidate;
        return candidate;
      }
      errors.push(`${candidate}: tfjs failed to initialise it`);
    } catch (e) {
      errors.push(`${candidate}: ${errorText(e)}`);
    }
  }
  await restore(previous);
  throw new BackendError(fn, 'auto', `no backend could be initialised (${errors.join('; ')})`);
}

/** The tfjs backend that is set and initialised now, if any. */
function activeTfBackend(): string | null {
  const name = tf.getBackend() as string | null | undefined;
  return name && tf.findBackend(name) ? name : null;
}

/**
 * After a failed `tf.setBackend(x)`, tfjs keeps `x` as its backend name with no instance, and the
 * next op silently initialises whichever backend has the highest priority. Going back to the
 * backend that was active (already initialised, so this cannot fail), or to none, keeps the state
 * as it was before the failed call.
 */
async function restore(previous: string | null): Promise<void> {
  if (tf.getBackend() === previous) return;
  if (previous) await tf.setBackend(previous);
  else (tf.engine() as { backendName: string | null }).backendName = null;
}

function envBackend(): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.SNNTS_BACKEND;
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function autoCandidates(): [string, BackendProvider][] {
  return [...state().providers.entries()]
    .filter(([, p]) => p.priority >= 0 && envMatches(p.env))
    .sort((a, b) => b[1].priority - a[1].priority);
}

/**
 * The name of the active snnts backend (the tfjs backend name if it was set outside snnts).
 *
 * @example
 * ```ts
 * import { getBackend, setBackend } from '@snnts/core';
 * await setBackend('cpu');
 * console.log(getBackend()); // 'cpu'
 * ```
 */
export function getBackend(): string {
  const s = state();
  const tfName = tf.getBackend();
  if (s.active) {
    const p = s.providers.get(s.active);
    if ((p?.tfName ?? s.active) === tfName) return s.active;
  }
  return tfName;
}

/**
 * Every registered backend, whether it can be loaded here, and why not. Loads each candidate
 * (without switching to it) to find out.
 *
 * @example
 * ```ts
 * import { listBackends } from '@snnts/core';
 * for (const b of await listBackends()) console.log(b.name, b.available, b.reason ?? '');
 * ```
 */
export async function listBackends(): Promise<BackendInfo[]> {
  const out: BackendInfo[] = [];
  for (const [name, p] of [...state().providers.entries()].sort((a, b) => b[1].priority - a[1].priority)) {
    const info: BackendInfo = { name, priority: p.priority, available: false };
    try {
      await ensureLoaded(name, 'listBackends');
      info.available = true;
    } catch (e) {
      info.reason = e instanceof BackendError ? e.reason : errorText(e);
      if (p.installHint) info.installHint = p.installHint;
    }
    out.push(info);
  }
  return out;
}
