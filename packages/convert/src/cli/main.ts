/**
 * The `snnts` command line (Node.js only; Node modules are imported lazily so the package stays
 * browser-safe). `snnts convert model.onnx --calib images.gz --out dir/` imports the ONNX model,
 * converts it (calibrating on IDX images), optionally evaluates accuracy against T on IDX test
 * images, and writes `model.safetensors`, `config.json` (loadable with `loadConverted`),
 * `report.md` and `report.json`. Everything is written to a staging folder first and moved to
 * `--out` only when all of it succeeded, so a failed conversion leaves `--out` untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, SnnError, setBackend, type Module } from '@snnts/core';
import { imageSetFromIdx, readIdxFile, type ImageSet } from '@snnts/datasets';
import { Converter } from '../convert/converter.js';
import { formatConversionReport } from '../convert/report.js';
import { evaluateAccuracy, evaluateOverTime, formatAccuracyTable, type OverTimeReport } from '../evaluate/evaluate.js';
import { annFromOnnx } from '../import/ann_from_onnx.js';
import { convertedToFiles } from '../io/saved.js';
import { loadOnnx } from '../onnx/load.js';
import type { OnnxModel } from '../onnx/types.js';
import { intOption, numberOption, parseArgs, type OptionSpec, type ParsedArgs } from './args.js';

/** Where the CLI writes (stdout for results, stderr for progress and errors). */
export interface CliIo {
  /** Results. */
  out(line: string): void;
  /** Progress and errors. */
  err(line: string): void;
}

const OPTIONS: Record<string, OptionSpec> = {
  calib: { kind: 'string', value: 'images.idx[.gz]', help: 'IDX images to calibrate on (pixel/255); required' },
  'calib-count': { kind: 'string', value: 'n', help: 'use the first n calibration images (default 512)' },
  'batch-size': { kind: 'string', value: 'n', help: 'calibration batch size (default 128)' },
  mode: { kind: 'string', value: "max|<p>%|fraction", help: "scale statistic: 'max' (default), a percentile such as 99.9%, or a fraction of the max in (0, 1]" },
  momentum: { kind: 'string', value: 'm', help: 'smoothing of the per-batch statistic (default 0.1)' },
  'channel-wise': { kind: 'flag', help: 'one scale per channel' },
  'no-fuse-bn': { kind: 'flag', help: 'do not fold batch norms into the layer before them' },
  T: { kind: 'string', value: '8,16,32,64', help: 'time-step checkpoints for the evaluation (default 8,16,32,64,128)' },
  eval: { kind: 'string', value: 'images.idx[.gz]', help: 'IDX test images to evaluate on' },
  labels: { kind: 'string', value: 'labels.idx[.gz]', help: 'IDX labels of --eval' },
  'eval-count': { kind: 'string', value: 'n', help: 'evaluate on the first n test images (default all)' },
  'firing-rates': { kind: 'flag', help: 'report per-layer firing rates' },
  out: { kind: 'string', value: 'dir', help: 'output folder (must not exist or be empty); required' },
  backend: { kind: 'string', value: 'name', help: 'tfjs backend (default: the best available)' },
};

/** The usage text. @internal */
export function usage(): string {
  const lines = ['Usage: snnts convert <model.onnx> --calib <images> --out <dir> [options]', '', 'Options:'];
  for (const [name, s] of Object.entries(OPTIONS)) lines.push(`  --${name}${s.value ? ` <${s.value}>` : ''}`.padEnd(40) + s.help);
  return lines.join('\n');
}

interface NodeFs {
  readdir(p: string): Promise<string[]>;
  mkdir(p: string, o: { recursive: true }): Promise<unknown>;
  writeFile(p: string, d: Uint8Array | string): Promise<void>;
  rename(a: string, b: string): Promise<void>;
  rm(p: string, o: { recursive: true; force: true }): Promise<void>;
  rmdir(p: string): Promise<void>;
}

async function nodeFs(): Promise<NodeFs> {
  const spec = 'node:fs/promises';
  return (await import(/* @vite-ignore */ spec)) as NodeFs;
}

/** IDX images, the first `count`, shaped for the model input when the sizes agree. */
async function loadImages(path: string, labelsPath: string | null, count: number | undefined, model: OnnxModel): Promise<{ set: ImageSet; x: tf.Tensor }> {
  const images = await readIdxFile(path);
  const labels = labelsPath ? await readIdxFile(labelsPath) : { shape: [images.shape[0]!], data: new Uint8Array(images.shape[0]!) };
  let set = imageSetFromIdx(images, labels as Parameters<typeof imageSetFromIdx>[1]);
  if (count !== undefined && count < set.length) set = set.take(count);
  const dims = model.inputs[0]?.shape;
  const known = dims?.slice(1);
  const size = known?.every((d) => typeof d === 'number') ? (known as number[]).reduce((a, b) => a * b, 1) : null;
  const shape = size === set.size ? [set.length, ...(known as number[])] : [set.length, ...set.imageShape];
  return { set, x: tf.tensor(set.images, shape) };
}

/** Splits `x` into batches of `size` along axis 0 (the caller disposes them). */
function split(x: tf.Tensor, size: number): tf.Tensor[] {
  const n = x.shape[0]!;
  const out: tf.Tensor[] = [];
  for (let b = 0; b < n; b += size) out.push(tf.slice(x, b, Math.min(size, n - b)));
  return out;
}

/** Runs `snnts convert`; returns the exit code. */
async function convertCommand(p: ParsedArgs, io: CliIo): Promise<number> {
  const fn = 'snnts convert';
  if (p.positionals.length !== 1) throw new ConfigError(fn, 'model', 'one ONNX model path', `${p.positionals.length} paths`);
  const modelPath = p.positionals[0]!;
  const calibPath = p.options['calib'];
  const out = p.options['out'];
  if (typeof calibPath !== 'string') throw new ConfigError(fn, '--calib', 'an IDX image file to calibrate on', 'nothing');
  if (typeof out !== 'string') throw new ConfigError(fn, '--out', 'an output folder', 'nothing');
  const evalPath = p.options['eval'];
  const labelsPath = p.options['labels'];
  if ((typeof evalPath === 'string') !== (typeof labelsPath === 'string')) throw new ConfigError(fn, typeof evalPath === 'string' ? '--labels' : '--eval', '--eval and --labels together', 'only one of them');
  const Ts = String(p.options['T'] ?? '8,16,32,64,128').split(',').map(Number);
  if (Ts.some((t) => !Number.isInteger(t) || t < 1)) throw new ConfigError(fn, '--T', 'a comma-separated list of positive integers', `'${String(p.options['T'])}'`);
  const modeText = String(p.options['mode'] ?? 'max');
  const mode = /^[0-9.]+$/.test(modeText) ? Number(modeText) : (modeText as 'max');
  const converter = new Converter({ mode, momentum: numberOption(p, 'momentum', 0.1, fn), channelWise: p.options['channel-wise'] === true, fuseBatchNorm: p.options['no-fuse-bn'] !== true });
  const batchSize = intOption(p, 'batch-size', 128, fn)!;
  const calibCount = intOption(p, 'calib-count', 512, fn);
  const evalCount = intOption(p, 'eval-count', undefined, fn);

  const fs = await nodeFs();
  const existing = await fs.readdir(out).catch(() => null);
  if (existing && existing.length > 0) throw new ConfigError(fn, '--out', 'a folder that does not exist or is empty', `'${out}' with ${existing.length} entries`);
  if (typeof p.options['backend'] === 'string') io.err(`backend: ${await setBackend(p.options['backend'])}`);
  else await setBackend();

  const model = await loadOnnx(modelPath);
  io.err(`model: ${modelPath} (${model.producerName || 'unknown producer'}, opset ${model.opset}, ops ${[...new Set(model.nodes.map((n) => n.opType))].join(', ')})`);
  const calib = await loadImages(calibPath, null, calibCount, model);
  const batches = split(calib.x, batchSize);
  let snn: Module | null = null;
  let test: { x: tf.Tensor; set: ImageSet } | null = null;
  const staging = `${out.replace(/\/+$/, '')}.partial-${process.pid}-${Date.now()}`;
  try {
    snn = await converter.convert(model, batches);
    const report = converter.report!;
    io.err(`converted: ${report.layers.length} ReLU layers, scales ${report.layers.map((l) => (typeof l.scale === 'number' ? l.scale.toPrecision(5) : 'per-channel')).join(', ')}`);
    let evaluation: (OverTimeReport & { annAccuracy: number }) | null = null;
    if (typeof evalPath === 'string') {
      test = await loadImages(evalPath, labelsPath as string, evalCount, model);
      const ann = annFromOnnx(model);
      const annAccuracy = evaluateAccuracy(ann, test.x, test.set.labels);
      ann.dispose();
      const r = await evaluateOverTime(snn, test.x, test.set.labels, { T: Ts, firingRates: p.options['firing-rates'] === true, onProgress: (d, n) => io.err(`evaluating: ${d}/${n}`) });
      evaluation = { ...r, annAccuracy };
      io.out(formatAccuracyTable(r, annAccuracy));
    }
    const source = { model: modelPath, producer: `${model.producerName} ${model.producerVersion}`.trim(), opset: model.opset, tool: 'snnts convert', calibration: { file: calibPath, images: calib.set.length, batchSize } };
    const files = await convertedToFiles(snn, { conversion: report, source });
    const md = [`# snnts convert: ${modelPath}`, '', formatConversionReport(report)];
    if (evaluation) md.push('## Accuracy vs T', '', formatAccuracyTable(evaluation, evaluation.annAccuracy));
    if (evaluation?.firingRates) md.push('## Firing rates', '', '| layer | rate |', '|---|---|', ...Object.entries(evaluation.firingRates).map(([k, v]) => `| ${k} | ${v.toFixed(4)} |`), '');
    await fs.mkdir(staging, { recursive: true });
    await fs.writeFile(`${staging}/model.safetensors`, files.weights);
    await fs.writeFile(`${staging}/config.json`, files.config);
    await fs.writeFile(`${staging}/report.md`, md.join('\n'));
    await fs.writeFile(`${staging}/report.json`, `${JSON.stringify({ source, conversion: report, evaluation }, null, 1)}\n`);
    if (existing) await fs.rmdir(out);
    await fs.rename(staging, out);
    io.err(`wrote ${out}/{model.safetensors, config.json, report.md, report.json}`);
    return 0;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
    snn?.dispose();
    tf.dispose([calib.x, ...batches, ...(test ? [test.x] : [])]);
  }
}

/**
 * Runs the `snnts` command line with `argv` (without `node` and the script), writing to `io`;
 * resolves to the exit code (0 on success, 1 on an error, 2 on a usage error).
 *
 * @example
 * ```ts
 * import { runCli } from '@snnts/convert';
 * const code = await runCli(['--help'], { out: console.log, err: console.error }); // 0, prints the usage
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(usage());
    return command === undefined ? 2 : 0;
  }
  if (command !== 'convert') {
    io.err(`snnts: unknown command '${command}' (commands: convert)\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage());
    return 0;
  }
  try {
    return await convertCommand(parseArgs(rest, OPTIONS, 'snnts convert'), io);
  } catch (e) {
    io.err(e instanceof SnnError ? `snnts convert failed: ${e.name}: ${e.message}` : `snnts convert failed: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}
