/**
 * Saving and loading a converted SNN: the weights as safetensors (`model.safetensors`) and a JSON
 * config (`config.json`: format tag, the network's serialized classes and configs, the conversion
 * report). The file system is imported lazily, so only `saveConverted` / `loadConverted` need
 * Node.js; `convertedToFiles` / `convertedFromFiles` work on bytes anywhere.
 */
import { ConfigError, decodeSafetensors, fromConfig, serialize, toSafetensors, type Module, type SerializedModule } from '@snnts/core';
import * as tf from '@tensorflow/tfjs';
import type { ConversionReport } from '../convert/report.js';

/**
 * The format tag of `config.json`.
 *
 * @example
 * ```ts
 * import { CONVERTED_FORMAT } from '@snnts/convert';
 * console.log(CONVERTED_FORMAT); // 'snnts-converted-snn'
 * ```
 */
export const CONVERTED_FORMAT = 'snnts-converted-snn';

/** The content of `config.json`. */
export interface ConvertedConfig {
  /** Always {@link CONVERTED_FORMAT}. */
  format: typeof CONVERTED_FORMAT;
  /** Format version (1). */
  version: 1;
  /** The network's classes and configs (`serialize(snn)`). */
  model: SerializedModule;
  /** The conversion report, when there is one. */
  conversion?: ConversionReport;
  /** Free-form provenance (source model, tool, date). */
  source?: Record<string, unknown>;
}

/** The two files of a saved SNN. */
export interface ConvertedFiles {
  /** `config.json`'s text. */
  config: string;
  /** `model.safetensors`' bytes. */
  weights: Uint8Array;
}

/**
 * A converted SNN as the text of `config.json` and the bytes of `model.safetensors`.
 *
 * @example
 * ```ts
 * import { Linear, Sequential } from '@snnts/nn';
 * import { convertedFromFiles, convertedToFiles } from '@snnts/convert';
 * const files = await convertedToFiles(new Sequential(new Linear(4, 2)));
 * const copy = convertedFromFiles(files.config, files.weights); // same classes and weights
 * ```
 */
export async function convertedToFiles(snn: Module, extra: Pick<ConvertedConfig, 'conversion' | 'source'> = {}): Promise<ConvertedFiles> {
  const config: ConvertedConfig = { format: CONVERTED_FORMAT, version: 1, model: serialize(snn), ...extra };
  return { config: `${JSON.stringify(config, null, 1)}\n`, weights: await toSafetensors(snn) };
}

/**
 * Rebuilds a converted SNN from {@link convertedToFiles}' output (strict: every weight must be
 * there). The network is in evaluation mode.
 *
 * @example
 * ```ts
 * import { Linear, Sequential } from '@snnts/nn';
 * import { convertedFromFiles, convertedToFiles } from '@snnts/convert';
 * const { config, weights } = await convertedToFiles(new Sequential(new Linear(4, 2)));
 * const snn = convertedFromFiles(config, weights);
 * ```
 */
export function convertedFromFiles(config: string, weights: Uint8Array): Module {
  const fn = 'convertedFromFiles';
  let parsed: ConvertedConfig;
  try {
    parsed = JSON.parse(config) as ConvertedConfig;
  } catch (e) {
    throw new ConfigError(fn, 'config', 'the JSON text of config.json', `text that does not parse (${(e as Error).message})`);
  }
  if (parsed?.format !== CONVERTED_FORMAT || parsed.version !== 1) {
    throw new ConfigError(fn, 'config', `a config with format '${CONVERTED_FORMAT}' version 1`, `format ${JSON.stringify(parsed?.format)} version ${JSON.stringify(parsed?.version)}`);
  }
  const net = fromConfig(parsed.model);
  const { tensors } = decodeSafetensors(weights);
  try {
    net.loadStateDict(tensors);
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return net.eval();
}

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
}

async function nodeFs(fn: string): Promise<NodeFs> {
  try {
    const spec = 'node:fs/promises'; // a variable, so browser bundlers do not try to resolve it
    return (await import(/* @vite-ignore */ spec)) as NodeFs;
  } catch {
    throw new ConfigError(fn, 'dir', 'a Node.js file system', 'no node:fs (browser?)', 'Use convertedToFiles()/convertedFromFiles() with bytes in a browser.');
  }
}

/**
 * Writes `config.json` and `model.safetensors` into `dir` (created if needed; Node.js only).
 *
 * @example
 * ```ts
 * import { Linear, Sequential } from '@snnts/nn';
 * import { loadConverted, saveConverted } from '@snnts/convert';
 * await saveConverted(new Sequential(new Linear(4, 2)), '/tmp/snnts-example-snn');
 * const snn = await loadConverted('/tmp/snnts-example-snn');
 * ```
 */
export async function saveConverted(snn: Module, dir: string, extra: Pick<ConvertedConfig, 'conversion' | 'source'> = {}): Promise<void> {
  const fs = await nodeFs('saveConverted');
  const files = await convertedToFiles(snn, extra);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(`${dir}/config.json`, files.config);
  await fs.writeFile(`${dir}/model.safetensors`, files.weights);
}

/**
 * Loads an SNN written by {@link saveConverted} or `snnts convert --out dir` (Node.js only).
 *
 * @example
 * ```ts
 * import { loadConverted } from '@snnts/convert';
 * const snn = await loadConverted('model-snn').catch(() => null); // null when there is no such folder
 * ```
 */
export async function loadConverted(dir: string): Promise<Module> {
  const fs = await nodeFs('loadConverted');
  let config: string;
  let weights: Uint8Array;
  try {
    config = new TextDecoder().decode(await fs.readFile(`${dir}/config.json`));
    weights = new Uint8Array(await fs.readFile(`${dir}/model.safetensors`));
  } catch (e) {
    throw new ConfigError('loadConverted', 'dir', 'a folder with config.json and model.safetensors', `'${dir}' (${(e as Error).message.split('\n')[0]})`);
  }
  return convertedFromFiles(config, weights);
}
