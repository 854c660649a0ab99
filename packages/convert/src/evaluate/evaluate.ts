/**
 * `evaluateOverTime`: runs a converted single-step SNN once up to the largest T on every batch
 * (constant input coding: the analog input is fed at each step), accumulates the outputs, and
 * records the accuracy at each checkpoint T (argmax of the summed output, first index on ties),
 * as spikingjelly's conversion examples do. Optionally it monitors per-layer firing rates and
 * synaptic operations with `@snnts/nn`'s monitors. `evaluateAccuracy` does the same for an ANN.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, MemoryModule, ShapeError, assertPositiveInt, describeValue, type Module } from '@snnts/core';
import { resetNet } from '@snnts/functional';
import { FiringRateMonitor, Sequential, SopCounter, type SopReport } from '@snnts/nn';

/** Options of {@link evaluateOverTime}. */
export interface EvaluateOverTimeOptions {
  /** The checkpoints: numbers of time steps at which accuracy is recorded (one run to the largest). */
  T: number[];
  /** Images per batch (default 500). */
  batchSize?: number;
  /** Record each spiking layer's mean firing rate over the whole run (default `false`). */
  firingRates?: boolean;
  /** Count synaptic operations of every `Linear` / `Conv2d` with `SopCounter` (default `false`; slower). */
  sops?: boolean;
  /** The plateau is the first checkpoint within this accuracy of the best one (default 0.005). */
  plateauTolerance?: number;
  /** Called after every batch with the images done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link evaluateOverTime} measured. */
export interface OverTimeReport {
  /** Images evaluated. */
  samples: number;
  /** The checkpoints, ascending. */
  T: number[];
  /** Correct predictions at each checkpoint. */
  correct: number[];
  /** Accuracy at each checkpoint. */
  accuracy: number[];
  /** The first checkpoint whose accuracy is within `plateauTolerance` of the best. */
  plateauT: number;
  /** Mean firing rate of each spiking layer over all steps (with `firingRates`). */
  firingRates?: Record<string, number>;
  /** Synaptic-operation counts per sample per step (with `sops`). */
  sops?: SopReport;
  /** Wall-clock seconds. */
  seconds: number;
}

/** Labels as an Int32Array of length `n`. */
function labelArray(labels: tf.Tensor | ArrayLike<number>, n: number, fn: string): Int32Array {
  const out = labels instanceof tf.Tensor ? Int32Array.from(labels.dataSync()) : Int32Array.from(labels as ArrayLike<number>);
  if (out.length !== n) throw new ShapeError(fn, 'labels', `${n} labels (one per image)`, `${out.length}`);
  return out;
}

function checkImages(images: unknown, fn: string): tf.Tensor {
  if (!(images instanceof tf.Tensor) || images.rank < 2) throw new ShapeError(fn, 'images', 'a tf.Tensor [N, ...]', describeValue(images));
  return images;
}

/**
 * Splits a `Sequential` into its leading stateless children (no `MemoryModule` inside) and the
 * rest. With constant input coding the prefix gives the same output at every step, so it runs
 * once per batch instead of once per step (the numbers are identical).
 */
function splitStaticPrefix(net: Module): { prefix: Module[]; rest: Module[] } {
  if (!(net instanceof Sequential)) return { prefix: [], rest: [net] };
  const children = net.children();
  let k = 0;
  while (k < children.length && !children[k]!.modules().some((m) => m instanceof MemoryModule)) k++;
  return { prefix: children.slice(0, k), rest: children.slice(k) };
}

/** Counts how many rows of `scores` `[n, classes]` have their argmax equal to the label. */
function countCorrect(scores: tf.Tensor, labels: Int32Array, offset: number): number {
  const pred = tf.tidy(() => tf.argMax(scores, -1));
  const p = pred.dataSync();
  pred.dispose();
  let c = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === labels[offset + i]) c++;
  return c;
}

/**
 * Evaluates a single-step SNN at several numbers of time steps in one run: for each batch, the
 * network is reset, then fed the same input for `max(T)` steps; the outputs are summed, and at
 * each checkpoint the argmax of the sum is compared with the labels. The leading stateless layers
 * of a `Sequential` (e.g. the first convolution) see the same input at every step, so they run
 * once per batch (unless `sops` is on, which counts every call).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { IFNode, Linear, Sequential } from '@snnts/nn';
 * import { evaluateOverTime } from '@snnts/convert';
 * const snn = new Sequential(new Linear(4, 3), new IFNode({ vReset: null }), new Linear(3, 2));
 * const report = await evaluateOverTime(snn, tf.randomUniform([20, 4]), new Array(20).fill(0), { T: [4, 8, 16], firingRates: true });
 * console.log(report.accuracy, report.plateauT, report.firingRates);
 * ```
 */
export async function evaluateOverTime(snn: Module, images: tf.Tensor, labels: tf.Tensor | ArrayLike<number>, options: EvaluateOverTimeOptions): Promise<OverTimeReport> {
  const fn = 'evaluateOverTime';
  const x = checkImages(images, fn);
  const n = x.shape[0]!;
  const y = labelArray(labels, n, fn);
  const Ts = [...new Set(options?.T ?? [])].sort((a, b) => a - b);
  if (Ts.length === 0 || Ts.some((t) => !Number.isInteger(t) || t < 1)) throw new ConfigError(fn, 'options.T', 'a non-empty list of positive integers', JSON.stringify(options?.T));
  const batchSize = options.batchSize ?? 500;
  assertPositiveInt(batchSize, 'options.batchSize', fn);
  const tol = options.plateauTolerance ?? 0.005;
  const maxT = Ts.at(-1)!;
  const start = performance.now();
  const rates = options.firingRates ? new FiringRateMonitor(snn) : null;
  const sops = options.sops ? new SopCounter(snn, { scaledSpikes: true }) : null;
  const correct = new Array<number>(Ts.length).fill(0);
  const { prefix, rest } = sops ? { prefix: [], rest: [snn] } : splitStaticPrefix(snn);
  const step = (h: tf.Tensor) => tf.tidy(() => rest.reduce((a, m) => m.forward(a), h));
  try {
    for (let b = 0; b < n; b += batchSize) {
      const size = Math.min(batchSize, n - b);
      const xb = tf.tidy(() => prefix.reduce((a, m) => m.forward(a), tf.slice(x, b, size)));
      resetNet(snn);
      let acc: tf.Tensor | null = null;
      let k = 0;
      try {
        for (let t = 1; t <= maxT; t++) {
          const out = step(xb);
          const next: tf.Tensor = acc ? tf.add(acc, out) : out;
          if (acc) {
            acc.dispose();
            out.dispose();
          }
          acc = next;
          if (t === Ts[k]) correct[k++]! += countCorrect(acc, y, b);
        }
      } finally {
        acc?.dispose();
        xb.dispose();
        resetNet(snn);
      }
      options.onProgress?.(b + size, n);
      await new Promise((r) => setTimeout(r, 0)); // let the event loop breathe between batches
    }
    const accuracy = correct.map((c) => c / n);
    const best = Math.max(...accuracy);
    const plateauT = Ts[accuracy.findIndex((a) => a >= best - tol)]!;
    const report: OverTimeReport = { samples: n, T: Ts, correct, accuracy, plateauT, seconds: (performance.now() - start) / 1000 };
    if (rates) report.firingRates = rates.firingRates();
    if (sops) report.sops = sops.report();
    return report;
  } finally {
    rates?.dispose();
    sops?.dispose();
  }
}

/**
 * The accuracy of a (non-spiking) classifier: argmax of its output against the labels, in batches.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { Linear } from '@snnts/nn';
 * import { evaluateAccuracy } from '@snnts/convert';
 * const acc = evaluateAccuracy(new Linear(4, 2), tf.randomUniform([10, 4]), new Array(10).fill(1));
 * ```
 */
export function evaluateAccuracy(net: Module, images: tf.Tensor, labels: tf.Tensor | ArrayLike<number>, batchSize = 500): number {
  const fn = 'evaluateAccuracy';
  const x = checkImages(images, fn);
  const n = x.shape[0]!;
  const y = labelArray(labels, n, fn);
  assertPositiveInt(batchSize, 'batchSize', fn);
  let correct = 0;
  for (let b = 0; b < n; b += batchSize) {
    const out = tf.tidy(() => net.call(tf.slice(x, b, Math.min(batchSize, n - b))));
    correct += countCorrect(out, y, b);
    out.dispose();
  }
  return correct / n;
}

/**
 * The accuracy-vs-T table of an {@link OverTimeReport} as Markdown, with the ANN's accuracy
 * beside it when given.
 *
 * @example
 * ```ts
 * import { formatAccuracyTable } from '@snnts/convert';
 * console.log(formatAccuracyTable({ samples: 100, T: [8, 16], correct: [80, 85], accuracy: [0.8, 0.85], plateauT: 16, seconds: 1 }, 0.86));
 * ```
 */
export function formatAccuracyTable(report: OverTimeReport, annAccuracy?: number): string {
  const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
  const head = ['T', ...report.T.map(String), ...(annAccuracy === undefined ? [] : ['ANN'])];
  const row = ['accuracy', ...report.accuracy.map(pct), ...(annAccuracy === undefined ? [] : [pct(annAccuracy)])];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, `| ${row.join(' | ')} |`, '', `${report.samples} images; plateau at T = ${report.plateauT}.`].join('\n') + '\n';
}
