/**
 * The built-in backend providers: `cpu` (always), `wasm` (Node default), `tensorflow` (tfjs-node-gpu
 * or tfjs-node, optional peers loaded only when asked for), `webgl` and `webgpu` (browsers).
 */
import * as tf from '@tensorflow/tfjs';
import { isNode, registerBackend, type BackendProvider } from './backend.js';
import { installThreadedWasm } from './kernels/wasm_threads.js';
import { installWasmSliceKernels } from './kernels/wasm_slice.js';

/** How a provider imports an optional package; replaceable in tests. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Dynamic import that bundlers leave alone (the package may legitimately be absent). */
const dynamicImport: ModuleImporter = (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/**
 * The packages that provide the `tensorflow` backend, in order of preference.
 *
 * @example
 * ```ts
 * import { TENSORFLOW_PACKAGES } from '@snnts/core';
 * console.log(TENSORFLOW_PACKAGES); // ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']
 * ```
 */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Provider of the native `tensorflow` backend: tries `@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node`, and reports both failures when neither loads.
 *
 * @example
 * ```ts
 * import { registerBackend, tensorflowProvider } from '@snnts/core';
 * registerBackend('tensorflow', tensorflowProvider());
 * ```
 */
export function tensorflowProvider(importer: ModuleImporter = dynamicImport): BackendProvider {
  return {
    priority: 3,
    env: 'node',
    installHint:
      'Install @tensorflow/tfjs-node (CPU) or @tensorflow/tfjs-node-gpu (CUDA) at the same version as @tensorflow/tfjs, e.g. `pnpm add @tensorflow/tfjs-node@4.22.0`.',
    load: async () => {
      if (tf.findBackendFactory('tensorflow')) return;
      const failures: string[] = [];
      for (const pkg of TENSORFLOW_PACKAGES) {
        try {
          await importer(pkg);
          if (tf.findBackendFactory('tensorflow')) return;
          failures.push(`${pkg} loaded but registered no 'tensorflow' backend`);
        } catch (e) {
          failures.push(`${pkg} could not be imported (${firstLine(e)})`);
        }
      }
      throw new Error(failures.join('; '));
    },
  };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/**
 * Provider of the WebAssembly backend (`@tensorflow/tfjs-backend-wasm`, a dependency of core). In
 * Node it loads the multi-threaded binary (`SNNTS_WASM_THREADS`, default: one thread per CPU; see
 * {@link wasmThreadsStatus}).
 *
 * @example
 * ```ts
 * import { registerBackend, wasmProvider } from '@snnts/core';
 * registerBackend('wasm', wasmProvider());
 * ```
 */
export function wasmProvider(importer: ModuleImporter = () => import('@tensorflow/tfjs-backend-wasm')): BackendProvider {
  return {
    priority: 2,
    env: 'any',
    installHint: 'Install @tensorflow/tfjs-backend-wasm; in a browser also call setWasmPaths() so the .wasm files can be fetched.',
    load: async () => {
      if (!tf.findBackendFactory('wasm')) await importer('@tensorflow/tfjs-backend-wasm');
      // Contiguous slices from a heap view (the stock kernels copy the whole input per slice).
      installWasmSliceKernels();
      // Node: load the multi-threaded binary (tfjs itself only does so in browsers).
      if (isNode()) await installThreadedWasm();
    },
  };
}

/**
 * Provider of the WebGPU backend (`@tensorflow/tfjs-backend-webgpu`, an optional peer).
 *
 * @example
 * ```ts
 * import { registerBackend, webgpuProvider } from '@snnts/core';
 * registerBackend('webgpu', webgpuProvider());
 * ```
 */
export function webgpuProvider(importer: ModuleImporter = dynamicImport): BackendProvider {
  return {
    priority: 5,
    env: 'browser',
    installHint: 'Install @tensorflow/tfjs-backend-webgpu and use a browser with WebGPU (navigator.gpu).',
    load: async () => {
      if (typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === 'undefined') {
        throw new Error('this browser exposes no navigator.gpu');
      }
      if (!tf.findBackendFactory('webgpu')) await importer('@tensorflow/tfjs-backend-webgpu');
    },
  };
}

/**
 * Registers the built-in providers. Called once by the package's `register.ts`.
 *
 * @internal
 * @example
 * ```ts
 * import { registerDefaultBackends } from '@snnts/core';
 * registerDefaultBackends();
 * ```
 */
export function registerDefaultBackends(): void {
  registerBackend('cpu', { priority: 1, env: 'any', load: async () => {} });
  registerBackend('wasm', wasmProvider());
  registerBackend('tensorflow', tensorflowProvider());
  // webgl ships inside @tensorflow/tfjs and registers itself in browsers.
  registerBackend('webgl', { priority: 4, env: 'browser', load: async () => {} });
  registerBackend('webgpu', webgpuProvider());
}
