// The example's CSNN: the hoisted forward on repeatOverTime (first block run once per image)
// equals the plain multi-step forward on T copies of the image in outputs, BatchNorm batch statistics and gradients;
// a few training steps on real Fashion-MNIST images lower the loss without leaking tensors; the
// activity report counts every layer at every time step.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { manualSeed, setBackend } from '@snnts/core';
import { DEBIAN_FASHION_MNIST_DIR, ImageSet, loadMnistFormat } from '@snnts/datasets';
import { repeatOverTime, resetNet } from '@snnts/functional';
import { AdamW } from '@snnts/optim';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureActivity } from '../src/analysis.js';
import { buildCsnn } from '../src/model.js';
import { evaluate, trainEpoch } from '../src/trainer.js';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('fashion-mnist CSNN', () => {
  it('the hoisted forward on repeatOverTime(x, T) equals the plain forward on T copies in outputs and gradients (train mode)', () => {
    manualSeed(1);
    const snn = buildCsnn({ c1: 4, c2: 8 });
    snn.net.train();
    // Strong output weights, so output neurons spike and the equality below is not vacuous.
    const fc = snn.net.parameters().find((p) => p.shape.length === 2)!;
    tf.tidy(() => fc.assign(tf.mul(fc, 20)));
    const x = tf.randomUniform([3, 1, 28, 28], 0, 1, 'float32', 3);
    const T = 3;
    const weights = tf.range(1, 11).reshape([1, 1, 10]);
    const run = (f: () => tf.Tensor) => {
      let out: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const y = f();
        out = tf.keep(y);
        return tf.sum(tf.mul(y, weights)) as tf.Scalar;
      }, snn.net.parameters());
      resetNet(snn.net);
      return { value, grads, out: out! };
    };
    const a = run(() => snn.net.forward(tf.stack(new Array<tf.Tensor>(T).fill(x))));
    const b = run(() => snn.net.forward(repeatOverTime(x, T)));
    expect(b.out.shape).toEqual([T, 3, 10]);
    expect(Array.from(b.out.dataSync())).toEqual(Array.from(a.out.dataSync()));
    expect(tf.sum(a.out).dataSync()[0]).toBeGreaterThan(0); // some output spikes: not vacuous
    const names = Object.keys(a.grads);
    expect(names.length).toBe(snn.net.parameters().length);
    let nonzero = 0;
    for (const name of names) {
      const scale = tf.max(tf.abs(a.grads[name]!)).dataSync()[0]!;
      const diff = tf.max(tf.abs(tf.sub(a.grads[name]!, b.grads[name]!))).dataSync()[0]!;
      if (scale > 0) nonzero++;
      expect(diff, name).toBeLessThanOrEqual(1e-4 * Math.max(1, scale));
    }
    expect(nonzero).toBeGreaterThanOrEqual(names.length - 1);
    tf.dispose([a.value, b.value, a.out, b.out, x, weights, ...Object.values(a.grads), ...Object.values(b.grads)]);
    snn.net.dispose();
  });

  it.skipIf(!existsSync(`${DEBIAN_FASHION_MNIST_DIR}/train-images-idx3-ubyte.gz`))(
    'trains on real images: loss falls, tensors stay flat, the report covers every layer',
    async () => {
      manualSeed(2);
      const { train, test } = await loadMnistFormat();
      const snn = buildCsnn({ c1: 8, c2: 16 });
      const opt = new AdamW(snn.net.parameters(), { lr: 3e-3, weightDecay: 0 });
      const batches = train.batches(32, 5).slice(0, 60);
      const losses: number[] = [];
      trainEpoch({ snn, opt, T: 2, batchSize: 32 }, train, batches.slice(0, 1), () => {});
      const before = tf.memory().numTensors;
      const res = trainEpoch({ snn, opt, T: 2, batchSize: 32 }, train, batches.slice(1), (p) => losses.push(p.loss));
      expect(tf.memory().numTensors).toBe(before);
      const firstLoss = losses[0]!;
      expect(res.loss).toBeLessThan(firstLoss);
      expect(res.acc).toBeGreaterThan(0.2); // 10 classes: chance is 0.1
      const small = new ImageSet(test.images.subarray(0, 500 * 784), test.labels.subarray(0, 500), [1, 28, 28]);
      expect(evaluate(snn, small, 2)).toBeGreaterThan(0.5); // eval mode: BatchNorm running statistics
      const report = measureActivity(snn, test, 2, 64, 32);
      expect(Object.keys(report.firingRates)).toEqual(['1', '3', '5']);
      expect(report.sops.layers.map((l) => l.name)).toEqual(['0.0', '2.0', '4.1']);
      // Every counted layer saw 64 images x 2 steps; the first (image input) is charged as dense MACs.
      for (const l of report.sops.layers) expect(l.samples).toBe(128);
      expect(report.sops.layers[0]!.binaryInput).toBe(false);
      expect(report.sops.layers[0]!.annMacsPerSample).toBe(8 * 28 * 28 * 9);
      expect(report.sops.layers[1]!.binaryInput).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      snn.net.dispose();
    },
  );
});
