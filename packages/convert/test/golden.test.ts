/**
 * Parity with spikingjelly's RateCodingRecipe on ann2snn.json (see fixtures/golden/PROVENANCE.md):
 * calibration statistics and thresholds (1e-4 relative), the 16 sample outputs at T=32 (1e-3),
 * and the accuracy on the first 2000 Fashion-MNIST test images at every T and mode (0.5 pp), for
 * the MLP and the CNN. Runs on the wasm backend, one evaluation run per model and mode up to T=128
 * (about 2 s per MLP mode and 30 s per CNN mode on one core).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend, type Module } from '@snnts/core';
import { imageSetFromIdx, readIdxFile } from '@snnts/datasets';
import { resetNet } from '@snnts/functional';
import { IFNode } from '@snnts/nn';
import { Converter, annFromOnnx, evaluateAccuracy, evaluateOverTime, loadOnnx, type OnnxModel } from '@snnts/convert';
import { FASHION, HAVE_FASHION, MODELS, loadAnn2Snn } from './helpers/paths.js';

const golden = loadAnn2Snn();
const MODES = ['max', '99.9%'] as const;
const T = golden.meta.T_values;

/** The 16 sample images as [16, 1, 28, 28] / 255. */
function sampleImages(): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.tensor4d(golden.samples.images_uint8.flat(2), [16, 1, 28, 28], 'float32'), 255));
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

let calib: tf.Tensor4D[] = [];
let test: { x: tf.Tensor4D; y: Int32Array } | null = null;
beforeAll(async () => {
  await setBackend('wasm');
  if (!HAVE_FASHION) return;
  const train = imageSetFromIdx(await readIdxFile(`${FASHION}/train-images-idx3-ubyte.gz`), await readIdxFile(`${FASHION}/train-labels-idx1-ubyte.gz`));
  calib = [0, 1, 2, 3].map((b) => train.batch(Int32Array.from({ length: 128 }, (_, i) => b * 128 + i)).x);
  const t10k = imageSetFromIdx(await readIdxFile(`${FASHION}/t10k-images-idx3-ubyte.gz`), await readIdxFile(`${FASHION}/t10k-labels-idx1-ubyte.gz`));
  const { x, y } = t10k.batch(Int32Array.from({ length: 2000 }, (_, i) => i));
  test = { x, y: Int32Array.from(y.dataSync()) };
  y.dispose();
});

describe.skipIf(!HAVE_FASHION).each(['mlp', 'cnn'] as const)('%s', (name) => {
  const g = golden.models[name];
  let model: OnnxModel;
  beforeAll(async () => {
    model = await loadOnnx(MODELS[name]);
  });

  it('the imported ANN: sample logits (1e-4) and accuracy on the first 2000 test images', () => {
    const ann = annFromOnnx(model);
    const x = sampleImages();
    const logits = ann.call(x);
    const want = g.samples.ann_logits.flat();
    const got = logits.dataSync();
    const worst = Math.max(...want.map((v, i) => Math.abs(got[i]! - v)));
    expect(worst).toBeLessThan(1e-4);
    expect(evaluateAccuracy(ann, test!.x, test!.y)).toBeCloseTo(g.ann_accuracy_first2000, 10);
    tf.dispose([x, logits]);
    ann.dispose();
  });

  describe.each(MODES)('mode %s', (mode) => {
    const gm = g.modes[mode];
    let snn: Module;
    let converter: Converter;
    beforeAll(async () => {
      converter = new Converter({ mode });
      snn = await converter.convert(model, calib);
    });

    it('calibration: per-batch statistics and smoothed thresholds within 1e-4 relative', () => {
      const layers = converter.report!.layers;
      expect(layers.length).toBe(gm.layers.length);
      layers.forEach((l, i) => {
        (l.perBatch as number[]).forEach((s, b) => expect(relErr(s, gm.calibration_per_batch_statistic[i]![b]!)).toBeLessThan(1e-4));
        expect(relErr(l.scale as number, gm.layers[i]!.threshold_scale)).toBeLessThan(1e-4);
      });
    });

    it('the 16 sample outputs at T=32 within 1e-3 (accumulated and per step), the same argmax and spike counts', () => {
      const x = sampleImages();
      resetNet(snn);
      // spikes per sample of each IF layer, over the 32 steps
      const ifs = snn.modules().filter((m) => m instanceof IFNode);
      const counts = ifs.map(() => new Float64Array(16));
      const hooks = ifs.map((m, k) =>
        m.registerForwardHook((_m, _in, out) => {
          const c = tf.tidy(() => tf.sum(tf.reshape(out, [16, -1]), 1)).dataSync();
          c.forEach((v, i) => (counts[k]![i]! += v));
        }),
      );
      let acc = tf.zeros([16, 10]);
      const perStep: Float32Array[] = [];
      for (let t = 0; t < 32; t++) {
        const out = snn.call(x);
        perStep.push(out.dataSync() as Float32Array);
        const next = tf.add(acc, out);
        tf.dispose([acc, out]);
        acc = next;
      }
      const got = acc.dataSync();
      const want = gm.samples_T32.snn_output_accumulated.flat();
      expect(Math.max(...want.map((v, i) => Math.abs(got[i]! - v)))).toBeLessThan(1e-3);
      const argmax = Array.from(tf.tidy(() => tf.argMax(acc, 1)).dataSync());
      expect(argmax).toEqual(gm.samples_T32.argmax);
      if (gm.samples_T32.snn_output_per_step) {
        const steps = gm.samples_T32.snn_output_per_step;
        const worst = Math.max(...steps.map((s, t) => Math.max(...s.flat().map((v, i) => Math.abs(perStep[t]![i]! - v)))));
        expect(worst).toBeLessThan(1e-3);
      }
      hooks.forEach((h) => h.remove());
      if (gm.samples_T32.spike_counts_per_if_layer) {
        const want = Object.values(gm.samples_T32.spike_counts_per_if_layer);
        expect(counts.map((c) => Array.from(c))).toEqual(want);
      }
      tf.dispose([x, acc]);
      resetNet(snn);
    });

    it(`accuracy on the first 2000 test images at T = ${T.join(', ')} within 0.5 pp of spikingjelly`, async () => {
      const before = tf.memory().numTensors;
      const report = await evaluateOverTime(snn, test!.x, test!.y, { T, batchSize: 1000 });
      const want = T.map((t) => gm.snn_accuracy_first2000[String(t)]!);
      console.log(`${name} ${mode}: snnts ${report.accuracy.join(' ')} | spikingjelly ${want.join(' ')} | ${report.seconds.toFixed(1)} s`);
      report.accuracy.forEach((a, i) => expect(Math.abs(a - want[i]!)).toBeLessThanOrEqual(0.005));
      expect(tf.memory().numTensors).toBe(before);
    });

    it('structure: every ReLU became VoltageScaler(1/s) -> IFNode(1, soft reset) -> VoltageScaler(s)', () => {
      const ifs = snn.modules().filter((m) => m instanceof IFNode) as IFNode[];
      expect(ifs.length).toBe(gm.layers.length);
      for (const n of ifs) {
        expect(n.vThreshold).toBe(1);
        expect(n.vReset).toBeNull();
      }
    });
  });
});
