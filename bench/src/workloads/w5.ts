/**
 * W5: inference with a converted ONNX CNN: examples/convert-onnx/models/cnn.onnx (Conv(1,8,3)-BN
 * -ReLU-MaxPool-Conv(8,16,3)-ReLU-AvgPool-Linear(400,10), trained in PyTorch) loaded with
 * `loadOnnx`, converted by `Converter({ mode: '99.9%' })` calibrated on 256 Fashion-MNIST training
 * images, then run in multi-step mode on 256 test images repeated over T = 32 (constant input
 * coding); the result read back is the summed output per class. Needs Debian's
 * `dataset-fashion-mnist`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Converter, loadOnnx } from '@snnts/convert';
import { DEBIAN_FASHION_MNIST_DIR, imageSetFromIdx, readIdxFile } from '@snnts/datasets';
import { resetNet, setStepMode } from '@snnts/functional';
import type { Runner, Variant, Workload } from './types.js';
import { staticInput } from './w1.js';

const T = 32;
const N = 256;
const CALIB = 256;
/** The bundled model (also read by the PyTorch baseline). */
export const W5_MODEL = join(repoRoot(), 'examples', 'convert-onnx', 'models', 'cnn.onnx');

/** The repository root: the nearest directory up with `pnpm-workspace.yaml` (the source or the bundled child). */
function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'pnpm-workspace.yaml'))) {
    const up = dirname(d);
    if (up === d) throw new Error(`W5: no pnpm-workspace.yaml above ${fileURLToPath(import.meta.url)}`);
    d = up;
  }
  return d;
}

async function images(split: 'train' | 't10k', count: number): Promise<tf.Tensor> {
  const dir = DEBIAN_FASHION_MNIST_DIR;
  const limit = { limit: count };
  const set = imageSetFromIdx(await readIdxFile(`${dir}/${split}-images-idx3-ubyte.gz`, limit), await readIdxFile(`${dir}/${split}-labels-idx1-ubyte.gz`, limit));
  const b = set.batch(Int32Array.from({ length: count }, (_, i) => i));
  b.y.dispose();
  return b.x;
}

export const W5: Workload = {
  name: 'W5',
  title: 'inference converted ONNX CNN (cnn.onnx, 99.9% IF), B=256, T=32, Fashion-MNIST test images',
  batch: N,
  async build(variant: Variant): Promise<Runner> {
    const model = await loadOnnx(W5_MODEL);
    const calib = await images('train', CALIB);
    const calibBatches = tf.tidy(() => tf.split(calib, CALIB / 128));
    const snn = await new Converter({ mode: '99.9%' }).convert(model, calibBatches);
    tf.dispose([calib, ...calibBatches]);
    snn.eval();
    setStepMode(snn, 'm');
    const x = await images('t10k', N);
    return {
      step: () => {
        const counts = tf.tidy(() => tf.sum(snn.forward(staticInput(x, T, variant)), 0));
        counts.dataSync();
        counts.dispose();
        resetNet(snn);
      },
      dispose: () => {
        snn.dispose();
        x.dispose();
      },
    };
  },
};
