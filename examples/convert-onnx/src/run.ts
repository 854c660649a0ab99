/**
 * The example's work: import a bundled ONNX model, measure the ANN's accuracy, convert it with
 * each calibration mode (calibration on the first training images, batches of 128), evaluate the
 * SNN at every T in one run, and format the accuracy-vs-T table beside the ANN's accuracy.
 */
import * as tf from '@tensorflow/tfjs';
import { Converter, annFromOnnx, evaluateAccuracy, evaluateOverTime, loadOnnx, type OverTimeReport, type ScaleMode } from '@snnts/convert';
import { DEBIAN_FASHION_MNIST_DIR, imageSetFromIdx, readIdxFile, type ImageSet } from '@snnts/datasets';

/** The bundled models. */
export const MODELS = {
  mlp: new URL('../models/mlp.onnx', import.meta.url),
  cnn: new URL('../models/cnn.onnx', import.meta.url),
} as const;

/** Fashion-MNIST's train and test images (first `calib` and `count`). */
export async function loadData(calib: number, count: number, dir = DEBIAN_FASHION_MNIST_DIR): Promise<{ train: ImageSet; test: ImageSet }> {
  const read = async (split: string) => imageSetFromIdx(await readIdxFile(`${dir}/${split}-images-idx3-ubyte.gz`), await readIdxFile(`${dir}/${split}-labels-idx1-ubyte.gz`));
  const [train, test] = await Promise.all([read('train'), read('t10k')]);
  return { train: train.take(calib), test: test.take(count) };
}

/** One model's results. */
export interface ModelResult {
  name: string;
  annAccuracy: number;
  modes: { mode: ScaleMode; thresholds: number[]; report: OverTimeReport }[];
}

/** Converts and evaluates one model. */
export async function runModel(name: keyof typeof MODELS, data: { train: ImageSet; test: ImageSet }, modes: ScaleMode[], T: number[], log: (s: string) => void = () => {}): Promise<ModelResult> {
  const model = await loadOnnx(decodeURIComponent(MODELS[name].pathname));
  const ann = annFromOnnx(model);
  const test = data.test.batch(Int32Array.from({ length: data.test.length }, (_, i) => i));
  const annAccuracy = evaluateAccuracy(ann, test.x, test.y);
  ann.dispose();
  const calib = data.train.batches(128).map((idx) => data.train.batch(idx).x);
  const out: ModelResult = { name, annAccuracy, modes: [] };
  try {
    for (const mode of modes) {
      const converter = new Converter({ mode });
      const snn = await converter.convert(model, calib);
      const thresholds = converter.report!.layers.map((l) => l.scale as number);
      log(`${name} ${mode}: thresholds ${thresholds.map((s) => s.toFixed(4)).join(', ')}`);
      const report = await evaluateOverTime(snn, test.x, test.y, { T });
      out.modes.push({ mode, thresholds, report });
      snn.dispose();
    }
  } finally {
    tf.dispose([...calib, test.x, test.y]);
  }
  return out;
}

/** The accuracy-vs-T table of several models and modes, with the ANN accuracy beside each. */
export function formatTable(results: ModelResult[], T: number[]): string {
  const pct = (a: number) => (100 * a).toFixed(2);
  const head = ['model', 'mode', ...T.map((t) => `T=${t}`), 'plateau T', 'ANN'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of results) {
    for (const m of r.modes) lines.push(`| ${r.name} | ${m.mode} | ${m.report.accuracy.map(pct).join(' | ')} | ${m.report.plateauT} | ${pct(r.annAccuracy)} |`);
  }
  return lines.join('\n');
}
