/**
 * Multi-threaded tfjs-backend-wasm in Node.js. tfjs loads the single-threaded binary in Node
 * (tfjs issue 3830): its loader hands Emscripten a `blob:` URL for the pthread worker script, and
 * Node's `worker_threads` only runs files (`ERR_WORKER_PATH`). This module instantiates the very
 * same threaded-SIMD build that browsers get, with Emscripten's own Node support, by giving it real
 * file paths: the `.wasm` from the package, the factory script from the package (the workers
 * `importScripts` it), and the worker script written once to a file in the OS temp folder. It then
 * registers a `wasm` backend factory that builds tfjs's own `BackendWasm` on that module, so every
 * tfjs wasm kernel is unchanged.
 *
 * Only Node takes this path (browsers keep tfjs's loader, which already uses threads when the page
 * is cross-origin isolated). Any failure falls back to tfjs's single-threaded loader, and the reason
 * is kept for `wasmThreadsStatus()`. `SNNTS_WASM_THREADS=1` asks for the single-threaded binary,
 * `SNNTS_WASM_THREADS=n` for n threads; the default is the number of CPUs.
 */
import * as tf from '@tensorflow/tfjs';
import { getGlobal } from '../global.js';

/** Imports a Node builtin without a literal specifier, so bundlers for the browser leave it alone. */
const nodeImport = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

const WASM_PKG = '@tensorflow/tfjs-backend-wasm';
const THREADED = 'tfjs-backend-wasm-threaded-simd';

/** What {@link wasmThreadsStatus} reports. */
export interface WasmThreadsStatus {
  /** Threads requested for XNNPACK (1 = the single-threaded binary). */
  requested: number;
  /** Whether the threaded binary is the one that loaded. */
  threaded: boolean;
  /** Why it is not threaded (absent when it is, or before the backend initialised). */
  reason?: string;
}

const status = (): WasmThreadsStatus => getGlobal<WasmThreadsStatus>('wasmThreads', () => ({ requested: 1, threaded: false }));

/**
 * Whether the Node wasm backend runs the threaded binary, and why not if it does not.
 *
 * @example
 * ```ts
 * import { setBackend, wasmThreadsStatus } from '@snnts/core';
 * await setBackend('wasm');
 * console.log(wasmThreadsStatus()); // e.g. { requested: 2, threaded: true } in Node
 * ```
 */
export function wasmThreadsStatus(): WasmThreadsStatus {
  return { ...status() };
}

/** Threads to use: `SNNTS_WASM_THREADS`, else the number of CPUs. */
function requestedThreads(os: NodeOs): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['SNNTS_WASM_THREADS'];
  const n = env !== undefined && env.trim() !== '' ? Number(env) : (os.availableParallelism?.() ?? os.cpus().length);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

interface WasmModule {
  cwrap(name: string, ret: string | null, args: string[]): unknown;
  PThread?: { runningWorkers?: { unref?: () => void }[] };
  tfjs?: Record<string, unknown>;
}

type NodeRequire = ((id: string) => unknown) & { resolve(id: string): string };

/** The parts of Node's `os`, `fs` and `path` used here (typed locally: core has no Node types). */
interface NodeOs {
  cpus(): unknown[];
  availableParallelism?: () => number;
  tmpdir(): string;
}
interface NodeFs {
  existsSync(p: string): boolean;
  readFileSync(p: string, enc: 'utf8'): string;
  writeFileSync(p: string, data: string): void;
  renameSync(from: string, to: string): void;
}
interface NodePath {
  join(...parts: string[]): string;
  dirname(p: string): string;
}

type Factory = (config: Record<string, unknown>) => Promise<WasmModule>;

/**
 * Evaluates the Emscripten factory script as CommonJS with its own `require`, whose `os.cpus()`
 * reports `2 * threads` CPUs, and with a worker pool of `threads`. The backend caps XNNPACK's pool at half the logical CPUs (it assumes
 * two hyper-threads per core), which leaves one thread on a 2-vCPU machine whatever is asked for;
 * this makes the requested count the cap, for this module instance only.
 */
function loadFactory(require: NodeRequire, source: string, file: string, dir: string, os: NodeOs, threads: number): Factory {
  const cpus = os.cpus();
  const osView = { ...os, cpus: () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % Math.max(1, cpus.length)]) };
  const localRequire = (id: string): unknown => (id === 'os' || id === 'node:os' ? osView : require(id));
  // Emscripten pre-spawns 8 workers (an isolate each, ~15 MB of RSS apiece); XNNPACK's pool needs
  // threads - 1 of them (the calling thread works too), so pre-spawn `threads`.
  const sized = source.replace(/var pthreadPoolSize=\d+;/, `var pthreadPoolSize=${threads};`);
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', '__filename', '__dirname', sized)(localRequire, module, module.exports, file, dir);
  return module.exports as Factory;
}

/** Builds the threaded Emscripten module with file paths Node can load. */
async function instantiateThreaded(require: NodeRequire, threads: number): Promise<WasmModule> {
  const [fs, os, path] = (await Promise.all([nodeImport('node:fs'), nodeImport('node:os'), nodeImport('node:path')])) as [NodeFs, NodeOs, NodePath];
  const pkgDir = path.dirname(require.resolve(`${WASM_PKG}/package.json`));
  const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const wasmFile = path.join(pkgDir, 'dist', `${THREADED}.wasm`);
  const factoryFile = path.join(pkgDir, 'wasm-out', `${THREADED}.js`);
  const { wasmWorkerContents } = require(path.join(pkgDir, 'wasm-out', `${THREADED}.worker.js`)) as { wasmWorkerContents: string };
  // tfjs escapes the newlines inside the worker's string literals the same way for its blob.
  const workerSource = wasmWorkerContents.replace(/\n/g, '\\n');
  const workerFile = path.join(os.tmpdir(), `snnts-tfjs-wasm-${version}-${workerSource.length}.worker.cjs`);
  if (!fs.existsSync(workerFile) || fs.readFileSync(workerFile, 'utf8') !== workerSource) {
    const tmp = `${workerFile}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, workerSource);
    fs.renameSync(tmp, workerFile);
  }
  const factory = loadFactory(require, fs.readFileSync(factoryFile, 'utf8'), factoryFile, path.dirname(factoryFile), os, threads);
  const module = await factory({
    locateFile: (p: string) => (p.endsWith('.worker.js') ? workerFile : p.endsWith('.wasm') ? wasmFile : path.join(path.dirname(factoryFile), p)),
    mainScriptUrlOrBlob: factoryFile,
  });
  // The bridge tfjs's init() adds (backend_wasm.ts), under the same names.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * In Node, replaces tfjs's `wasm` backend factory by one that loads the threaded binary (see the
 * file header), falling back to tfjs's own factory. Call after importing tfjs-backend-wasm and
 * before the backend initialises; does nothing in browsers or when one thread is requested.
 *
 * @internal
 * @example
 * ```ts
 * import { installThreadedWasm } from '@snnts/core';
 * await installThreadedWasm(); // before tf.setBackend('wasm')
 * ```
 */
export async function installThreadedWasm(): Promise<void> {
  const s = status();
  const original = tf.findBackendFactory('wasm');
  if (!original || tf.engine().registry['wasm']) return; // not loaded, or already initialised
  const [os, mod] = (await Promise.all([nodeImport('node:os'), nodeImport('node:module')])) as [NodeOs, { createRequire(url: string): NodeRequire }];
  s.requested = requestedThreads(os);
  if (s.requested <= 1) {
    s.reason = 'one thread requested (SNNTS_WASM_THREADS=1)';
    return;
  }
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as {
    BackendWasm: new (m: WasmModule) => tf.KernelBackend;
    setThreadsCount(n: number): void;
  };
  const require = mod.createRequire(import.meta.url);
  const priority = 2;
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      try {
        if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is unavailable');
        const module = await instantiateThreaded(require, s.requested);
        wasm.setThreadsCount(s.requested);
        const backend = new wasm.BackendWasm(module); // starts XNNPACK's pthreadpool
        // The pool's workers wait for work forever; unref them so they never keep Node alive.
        for (const w of module.PThread?.runningWorkers ?? []) w.unref?.();
        s.threaded = true;
        delete s.reason;
        return backend;
      } catch (e) {
        s.threaded = false;
        s.reason = `threaded binary failed to load, using the single-threaded one: ${e instanceof Error ? e.message : String(e)}`;
        return original();
      }
    },
    priority,
  );
}
