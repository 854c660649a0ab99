/**
 * What the trained CSNN does on test images: per-layer firing rates (`FiringRateMonitor`), the
 * synaptic-operation and energy report (`SopCounter`), and the spikes and output membrane
 * potentials of one image (`OutputMonitor`, `storeVSeq`). Runs the plain multi-step forward on an
 * unmarked copy of the image per step (not `repeatOverTime`), so every layer runs, and is counted,
 * at every time step.
 */
import * as tf from '@tensorflow/tfjs';
import { resetNet } from '@snnts/functional';
import { FiringRateMonitor, LIFNode, OutputMonitor, SopCounter, type SopReport } from '@snnts/nn';
import type { ImageSet } from '@snnts/datasets';

/** `[T, ...x.shape]`: x at every step, without the repeated-frame mark (no hoisting). */
const everyStep = (x: tf.Tensor, T: number): tf.Tensor => tf.stack(new Array<tf.Tensor>(T).fill(x));
import type { Csnn } from './model.js';

/** Firing rates and operation counts over a set of test images. */
export interface ActivityReport {
  /** Mean firing rate of each LIF layer, by its name in the network (`'1'`, `'3'`, `'5'`). */
  firingRates: Record<string, number>;
  /** Per-layer and total MACs, SOPs and energy, per image per time step. */
  sops: SopReport;
  /** How many test images were run. */
  images: number;
}

/** Runs `count` test images (in batches of `batchSize`) through `snn` in eval mode and reports. */
export function measureActivity(snn: Csnn, test: ImageSet, T: number, count: number, batchSize = 250): ActivityReport {
  const { net } = snn;
  net.eval();
  const rates = new FiringRateMonitor(net, LIFNode);
  const sops = new SopCounter(net);
  const n = Math.min(count, test.length);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    tf.tidy(() => {
      const { x } = test.batch(idx);
      net.forward(everyStep(x, T));
    });
    resetNet(net);
  }
  const report = { firingRates: rates.firingRates(), sops: sops.report(), images: n };
  rates.dispose();
  sops.dispose();
  return report;
}

/** The spikes of every LIF layer and the output layer's membrane potential for one image. */
export interface ImageTrace {
  /** Per LIF layer (by name): `[T][neurons]` spikes (0/1). */
  spikes: Record<string, number[][]>;
  /** Output layer membrane potential after reset, `[T][10]`. */
  vOut: number[][];
  /** Output spike counts per class. */
  counts: number[];
  /** The predicted class (most output spikes; ties to the lowest index). */
  predicted: number;
}

/** Runs test image `index` for T steps and records its spikes and the output membrane. */
export async function traceImage(snn: Csnn, test: ImageSet, index: number, T: number): Promise<ImageTrace> {
  const { net, lifs } = snn;
  net.eval();
  const out = new OutputMonitor(net, LIFNode, (s) => s.reshape([T, -1]).arraySync() as number[][]);
  lifs[2].storeVSeq = true;
  const vOut = tf.tidy(() => {
    const { x } = test.batch([index]);
    net.forward(everyStep(x, T));
    return lifs[2].vSeq!.reshape([T, -1]).arraySync() as number[][];
  });
  lifs[2].storeVSeq = false;
  resetNet(net);
  const spikes: Record<string, number[][]> = {};
  for (const name of out.monitoredLayers) spikes[name] = out.get(name)[0]!;
  out.remove();
  const last = spikes[out.monitoredLayers.at(-1)!]!;
  const counts = last[0]!.map((_, j) => last.reduce((a, row) => a + row[j]!, 0));
  return { spikes, vOut, counts, predicted: counts.indexOf(Math.max(...counts)) };
}
