/**
 * Saving and loading module weights as safetensors files. The file system is imported lazily
 * (`node:fs/promises`) so the package stays browser-safe; in a browser use `toSafetensors` /
 * `loadSafetensors` with bytes instead.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from './errors.js';
import type { LoadStateDictOptions, Module } from './module.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * The module's state dict as safetensors bytes, with the module's class and config in the
 * metadata (`snnts.className`, `snnts.config`) and `format: 'pt'` for PyTorch's loader.
 *
 * @example
 * ```ts
 * import { toSafetensors } from '@snnts/core';
 * import { Linear } from '@snnts/nn';
 * const bytes = await toSafetensors(new Linear(4, 2));
 * ```
 */
export async function toSafetensors(module: Module): Promise<Uint8Array> {
  return encodeSafetensors(module.stateDict(), {
    format: 'pt',
    'snnts.className': module.className,
    'snnts.config': JSON.stringify(module.getConfig()),
  });
}

/**
 * Loads safetensors bytes into `module` (strict by default; see `Module.loadStateDict`).
 *
 * @example
 * ```ts
 * import { toSafetensors, loadSafetensors } from '@snnts/core';
 * import { Linear } from '@snnts/nn';
 * const a = new Linear(4, 2), b = new Linear(4, 2);
 * loadSafetensors(b, await toSafetensors(a)); // b now has a's weights
 * ```
 */
export function loadSafetensors(module: Module, bytes: Uint8Array, options?: LoadStateDictOptions): void {
  const { tensors } = decodeSafetensors(bytes);
  try {
    module.loadStateDict(tensors, options);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** The part of `node:fs/promises` that `save` / `load` use (typed here, so no source names it). */
interface NodeFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
}

async function nodeFs(fn: string): Promise<NodeFs> {
  try {
    const spec = 'node:fs/promises'; // a variable, so browser bundlers do not try to resolve it
    return (await import(/* @vite-ignore */ spec)) as NodeFs;
  } catch {
    throw new ConfigError(fn, 'path', 'a Node.js file system', 'no node:fs (browser?)', 'Use toSafetensors()/loadSafetensors() with bytes in a browser.');
  }
}

/**
 * Writes the module's weights to `path` as safetensors (Node.js only).
 *
 * @example
 * ```ts
 * import { save } from '@snnts/core';
 * import { Linear } from '@snnts/nn';
 * await save(new Linear(4, 2), '/tmp/linear.safetensors');
 * ```
 */
export async function save(module: Module, path: string): Promise<void> {
  const fs = await nodeFs('save');
  const slash = path.lastIndexOf('/');
  if (slash > 0) await fs.mkdir(path.slice(0, slash), { recursive: true });
  await fs.writeFile(path, await toSafetensors(module));
}

/**
 * Reads safetensors weights from `path` into `module` (Node.js only). Works with files written by
 * PyTorch's `safetensors.torch.save_file` when the names follow the module's dotted names.
 *
 * @example
 * ```ts
 * import { load, save } from '@snnts/core';
 * import { Linear } from '@snnts/nn';
 * await save(new Linear(4, 2), '/tmp/linear.safetensors');
 * const m = new Linear(4, 2);
 * await load(m, '/tmp/linear.safetensors');
 * ```
 */
export async function load(module: Module, path: string, options?: LoadStateDictOptions): Promise<void> {
  const fs = await nodeFs('load');
  loadSafetensors(module, new Uint8Array(await fs.readFile(path)), options);
}
