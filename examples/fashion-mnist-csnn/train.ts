/**
 * Trains a convolutional spiking network on the full Fashion-MNIST set (60,000 train / 10,000 test
 * images from Debian's `dataset-fashion-mnist`), then writes the weights (safetensors), a per-layer
 * firing-rate and synaptic-operation report, plots (spike raster, output membrane traces, firing
 * rates, training curves; SVG and PNG) and metrics.json. The last line printed is
 * `test accuracy: 0.XXXX`.
 *
 * Run from the repository root: `pnpm fashion`, or `pnpm build && tsx examples/fashion-mnist-csnn/train.ts --help`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ProgressBar, formatDuration, manualSeed, save, setBackend } from '@snnts/core';
import { DEBIAN_FASHION_MNIST_DIR, loadMnistFormat, type MnistFormatSplits } from '@snnts/datasets';
import { formatSopReport } from '@snnts/nn';
import { AdamW, CosineAnnealingLR } from '@snnts/optim';
import type { HistoryRecord } from '@snnts/viz';
import { FASHION_CLASSES } from './src/classes.js';
import { buildCsnn } from './src/model.js';
import { measureActivity, traceImage } from './src/analysis.js';
import { writePlots } from './src/plots.js';
import { evaluate, trainEpoch } from './src/trainer.js';

const DEFAULTS = {
  epochs: 3,
  T: 4,
  batchSize: 64,
  lr: 2e-3,
  c1: 16,
  c2: 32,
  seed: 0,
  out: 'examples/fashion-mnist-csnn/out',
  reportImages: 2000,
  traceIndex: 0,
} as const;

const HELP = `Usage: tsx examples/fashion-mnist-csnn/train.ts [options]

  --epochs N         training epochs (default ${DEFAULTS.epochs})
  --T N              time steps per image (default ${DEFAULTS.T})
  --batch-size N     training batch size (default ${DEFAULTS.batchSize})
  --lr X             AdamW learning rate, cosine-annealed per step (default ${DEFAULTS.lr})
  --c1 N, --c2 N     channels of the two convolutions (default ${DEFAULTS.c1}, ${DEFAULTS.c2})
  --train-limit N    train on the first N (shuffled) images only (default: all 60,000)
  --seed N           seed of shuffling and initialisation (default ${DEFAULTS.seed})
  --data DIR         folder with the four *-ubyte.gz files (default ${DEBIAN_FASHION_MNIST_DIR})
  --backend NAME     snnts backend (default: $SNNTS_BACKEND, else wasm)
  --out DIR          output folder (default ${DEFAULTS.out})
  --report-images N  test images for the firing-rate / SOP report (default ${DEFAULTS.reportImages})
  --trace-index N    test image drawn in raster.svg and membrane.svg (default ${DEFAULTS.traceIndex})
  --help             show this help
`;

/** Command-line settings. */
interface Settings {
  epochs: number;
  T: number;
  batchSize: number;
  lr: number;
  c1: number;
  c2: number;
  trainLimit: number;
  seed: number;
  data: string;
  backend: string;
  out: string;
  reportImages: number;
  traceIndex: number;
}

function parseSettings(argv: string[]): Settings {
  const names = ['epochs', 'T', 'batch-size', 'lr', 'c1', 'c2', 'train-limit', 'seed', 'data', 'backend', 'out', 'report-images', 'trace-index'];
  const { values } = parseArgs({
    args: argv,
    options: { ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const str = (name: string) => (values as Record<string, string | boolean | undefined>)[name] as string | undefined;
  const num = (name: string, dflt: number, ok: (v: number) => boolean, expected: string): number => {
    const raw = str(name);
    if (raw === undefined) return dflt;
    const v = Number(raw);
    if (!Number.isFinite(v) || !ok(v)) throw new ConfigError('train', `--${name}`, expected, `'${raw}'`);
    return v;
  };
  const posInt = (v: number) => Number.isInteger(v) && v > 0;
  const nonNegInt = (v: number) => Number.isInteger(v) && v >= 0;
  return {
    epochs: num('epochs', DEFAULTS.epochs, posInt, 'a positive integer'),
    T: num('T', DEFAULTS.T, posInt, 'a positive integer'),
    batchSize: num('batch-size', DEFAULTS.batchSize, posInt, 'a positive integer'),
    lr: num('lr', DEFAULTS.lr, (v) => v > 0, 'a positive number'),
    c1: num('c1', DEFAULTS.c1, posInt, 'a positive integer'),
    c2: num('c2', DEFAULTS.c2, posInt, 'a positive integer'),
    trainLimit: num('train-limit', 60000, posInt, 'a positive integer'),
    seed: num('seed', DEFAULTS.seed, nonNegInt, 'a non-negative integer'),
    data: str('data') ?? DEBIAN_FASHION_MNIST_DIR,
    backend: str('backend') ?? process.env.SNNTS_BACKEND ?? 'wasm',
    out: str('out') ?? DEFAULTS.out,
    reportImages: num('report-images', DEFAULTS.reportImages, posInt, 'a positive integer'),
    traceIndex: num('trace-index', DEFAULTS.traceIndex, (v) => Number.isInteger(v) && v >= 0 && v < 10000, 'an integer in [0, 10000)'),
  };
}

async function loadData(dir: string): Promise<MnistFormatSplits> {
  try {
    return await loadMnistFormat(dir);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const s = parseSettings(process.argv.slice(2));
  const log = (msg: string) => process.stdout.write(`${msg}\n`);
  const tLoad = performance.now();
  const { train, test } = await loadData(s.data);
  const loadSeconds = (performance.now() - tLoad) / 1000;
  const backend = await setBackend(s.backend);
  manualSeed(s.seed);
  const trainCount = Math.min(s.trainLimit, train.length);
  log(`fashion-mnist: ${train.length} train / ${test.length} test images from ${s.data} in ${loadSeconds.toFixed(1)} s; backend ${backend}`);
  log(`net: Conv(1,${s.c1})-BN-MaxPool-LIF, Conv(${s.c1},${s.c2})-BN-MaxPool-LIF, Linear(${s.c2 * 49},10)-LIF; T=${s.T}, batch ${s.batchSize}, AdamW lr ${s.lr} (cosine), MSE on firing rate, ${s.epochs} epoch(s) of ${trainCount} images`);

  const snn = buildCsnn({ c1: s.c1, c2: s.c2 });
  const opt = new AdamW(snn.net.parameters(), { lr: s.lr, weightDecay: 0 });
  const batchesOf = (epoch: number) => train.batches(s.batchSize, s.seed * 1000 + epoch).filter((_, i) => i * s.batchSize < trainCount);
  const perEpoch = batchesOf(1).length;
  const scheduler = new CosineAnnealingLR(opt, { TMax: s.epochs * perEpoch });
  const ctx = { snn, opt, scheduler, T: s.T, batchSize: s.batchSize };

  const history: HistoryRecord[] = [];
  const epochs: { epoch: number; loss: number; trainAccuracy: number; testAccuracy: number; seconds: number; evalSeconds: number }[] = [];
  const bar = new ProgressBar({ total: s.epochs * perEpoch });
  let tensorsAfterFirstEpoch = 0;
  const tTrain = performance.now();
  let evalSeconds = 0;
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const tEpoch = performance.now();
    const base = (epoch - 1) * perEpoch;
    const res = trainEpoch(ctx, train, batchesOf(epoch), (p) => {
      bar.update(base + p.step, { label: `epoch ${epoch}/${s.epochs}`, loss: p.loss, acc: p.acc });
      if (p.step % 50 === 0) history.push({ step: base + p.step, loss: p.loss, trainAcc: p.acc });
    });
    const seconds = (performance.now() - tEpoch) / 1000;
    const tEval = performance.now();
    const testAccuracy = evaluate(snn, test, s.T);
    evalSeconds += (performance.now() - tEval) / 1000;
    history.push({ step: base + perEpoch, epoch, testAcc: testAccuracy });
    epochs.push({ epoch, loss: res.loss, trainAccuracy: res.acc, testAccuracy, seconds, evalSeconds: (performance.now() - tEval) / 1000 });
    if (epoch === 1) tensorsAfterFirstEpoch = tf.memory().numTensors;
    bar.update(base + perEpoch, { label: `epoch ${epoch}/${s.epochs} test acc ${testAccuracy.toFixed(4)}` });
  }
  bar.finish();
  const trainSeconds = (performance.now() - tTrain) / 1000 - evalSeconds;
  const testAccuracy = epochs.at(-1)!.testAccuracy;
  const leaked = tf.memory().numTensors - tensorsAfterFirstEpoch;

  // ---- what the network does: firing rates, SOPs and energy, one traced image ----
  const tReport = performance.now();
  const activity = measureActivity(snn, test, s.T, s.reportImages);
  const trace = await traceImage(snn, test, s.traceIndex, s.T);
  const sopTable = formatSopReport(activity.sops);
  const reportSeconds = (performance.now() - tReport) / 1000;
  log(`\nfiring rates of the LIF layers over ${activity.images} test images: ${Object.entries(activity.firingRates).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(', ')}`);
  log(sopTable);

  // ---- outputs ----
  await mkdir(s.out, { recursive: true });
  const weightsPath = join(s.out, 'fashion-csnn.safetensors');
  await save(snn.net, weightsPath);
  const label = test.labels[s.traceIndex]!;
  const plots = await writePlots(s.out, {
    trace,
    title: `test image #${s.traceIndex}: ${FASHION_CLASSES[label]}, predicted ${FASHION_CLASSES[trace.predicted]} (T=${s.T})`,
    classes: [...FASHION_CLASSES],
    firingRates: activity.firingRates,
    history,
  });
  const metrics = {
    settings: { ...s, backend, trainImages: trainCount, testImages: test.length },
    epochs,
    testAccuracy,
    firingRates: activity.firingRates,
    sops: activity.sops,
    seconds: { load: loadSeconds, train: trainSeconds, eval: evalSeconds, report: reportSeconds, total: (performance.now() - started) / 1000 },
    tensorsLeakedAfterFirstEpoch: leaked,
  };
  await writeFile(join(s.out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFile(join(s.out, 'report.md'), `# Fashion-MNIST CSNN: activity report\n\nTest accuracy ${testAccuracy.toFixed(4)} (T=${s.T}). Firing rates and operations over ${activity.images} test images.\n\n\`\`\`\n${sopTable}\n\`\`\`\n`);
  log(`wrote ${weightsPath}, ${join(s.out, 'metrics.json')}, ${join(s.out, 'report.md')}, ${plots.join(', ')}`);
  log(`train ${formatDuration(trainSeconds)}, eval ${evalSeconds.toFixed(1)} s, total ${formatDuration(metrics.seconds.total)}`);
  log(`test accuracy: ${testAccuracy.toFixed(4)}`);
}

await main();
