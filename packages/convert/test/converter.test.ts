/**
 * The Converter on small networks with closed-form answers: the scale statistics ('max', NumPy's
 * linear percentile, a fraction of the max; per layer and per channel), the momentum-0.1 smoothing
 * from the first batch, batch-norm folding into Conv2d and Linear (against the unfolded layers),
 * the ReLU replacement, the typed errors, that the caller's ANN is left unchanged, and memory.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, randomUniform, setBackend, manualSeed } from '@snnts/core';
import { BatchNorm1d, BatchNorm2d, Conv2d, Flatten, IFNode, Linear, ReLU, Sequential } from '@snnts/nn';
import { ConversionError, Converter, OnnxGraph, VoltageScaler, annFromOnnx, loadOnnx } from '@snnts/convert';
import { resetNet, setStepMode } from '@snnts/functional';
import { MODELS, small } from './helpers/paths.js';
import { maxAbsDiff } from './helpers/ort.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** `[1, n]` with the values 0, 1, ..., n - 1 (shuffled order does not matter to the statistics). */
const ramp = (n: number) => tf.tensor2d([Array.from({ length: n }, (_, i) => (i * 37) % n)], [1, n]);

async function scalesOf(mode: 'max' | `${number}%` | number, batches: tf.Tensor[], channelWise = false): Promise<(number | number[])[]> {
  const converter = new Converter({ mode, channelWise });
  const snn = await converter.convert(new Sequential(new ReLU()), batches);
  snn.dispose();
  return converter.report!.layers.map((l) => l.scale);
}

describe('scale statistics (closed forms)', () => {
  it("'max' is the batch max", async () => {
    const x = ramp(100);
    expect(await scalesOf('max', [x])).toEqual([99]);
    x.dispose();
  });

  it("'99.9%' is NumPy's linear-interpolation percentile over all elements", async () => {
    const x = ramp(100);
    // index 0.999 * 99 = 98.901 between the sorted values 98 and 99
    expect((await scalesOf('99.9%', [x]))[0]).toBeCloseTo(98.901, 10);
    expect((await scalesOf('50%', [x]))[0]).toBeCloseTo(49.5, 10);
    expect((await scalesOf('0%', [x]))[0]).toBe(0);
    x.dispose();
  });

  it('a fraction is that fraction of the max', async () => {
    const x = ramp(100);
    expect((await scalesOf(0.5, [x]))[0]).toBeCloseTo(49.5, 5);
    x.dispose();
  });

  it('momentum 0.1 from the first batch: s = s1, then s = 0.9 s + 0.1 s_t', async () => {
    const xs = [ramp(100), ramp(200), ramp(50)];
    const [s] = (await scalesOf('max', xs)) as [number];
    expect(s).toBeCloseTo(0.9 * (0.9 * 99 + 0.1 * 199) + 0.1 * 49, 4);
    tf.dispose(xs);
  });

  it('channel-wise: one statistic per channel (axis 1), and a per-channel VoltageScaler', async () => {
    const x = tf.tensor4d([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]);
    expect(await scalesOf('max', [x], true)).toEqual([[4, 40]]);
    const converter = new Converter({ channelWise: true });
    const snn = (await converter.convert(new Sequential(new ReLU()), x)) as Sequential;
    const block = snn.at(0) as Sequential;
    expect((block.at(0) as VoltageScaler).scale).toEqual([Math.fround(1 / 4), Math.fround(1 / 40)]);
    expect((block.at(2) as VoltageScaler).scale).toEqual([4, 40]);
    snn.dispose();
    x.dispose();
  });

  it('rejects an unknown mode and a momentum outside [0, 1]', () => {
    expect(() => new Converter({ mode: 'mean' as 'max' })).toThrow(/Converter: 'mode' expected 'max', a percentile such as '99.9%'/);
    expect(() => new Converter({ mode: 1.5 })).toThrow(/'mode'/);
    expect(() => new Converter({ momentum: 2 })).toThrow(/'momentum'/);
  });
});

describe('conversion', () => {
  it('each ReLU becomes Sequential(VoltageScaler(1/s), IFNode(1, soft reset), VoltageScaler(s)); the ANN is unchanged', async () => {
    manualSeed(1);
    const ann = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
    const before = Array.from(ann.stateDict()['0.weight']!.dataSync());
    const x = randomUniform([16, 4], 0, 1);
    const converter = new Converter();
    const snn = (await converter.convert(ann, x)) as Sequential;
    expect(snn.children().map((c) => c.className)).toEqual(['Linear', 'Sequential', 'Linear']);
    const [down, neuron, up] = (snn.at(1) as Sequential).children() as [VoltageScaler, IFNode, VoltageScaler];
    const s = converter.report!.layers[0]!.scale as number;
    expect(converter.report!.layers[0]!.name).toBe('1');
    expect(down.scale[0]).toBe(Math.fround(1 / s));
    expect(up.scale[0]).toBe(Math.fround(s));
    expect(neuron.vThreshold).toBe(1);
    expect(neuron.vReset).toBeNull();
    expect(neuron.stepMode).toBe('s');
    expect(snn.training).toBe(false);
    // the max of the ReLU output over the calibration data, computed directly
    const relu = tf.tidy(() => tf.max(tf.relu(ann.at(0)!.call(x))).dataSync()[0]!);
    expect(s).toBeCloseTo(relu, 6);
    expect(Array.from(ann.stateDict()['0.weight']!.dataSync())).toEqual(before);
    expect(ann.at(1)).toBeInstanceOf(ReLU);
    tf.dispose(x);
    snn.dispose();
    ann.dispose();
  });

  it('a long run approaches the ANN (rate coding): |mean output over T=512 - ANN| is small', async () => {
    manualSeed(2);
    const ann = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
    const x = randomUniform([8, 4], 0, 1);
    const snn = await new Converter().convert(ann, x);
    const T = 512;
    let acc = tf.zeros([8, 3]);
    for (let t = 0; t < T; t++) {
      const y = snn.call(x);
      const next = tf.add(acc, y);
      tf.dispose([acc, y]);
      acc = next;
    }
    const mean = tf.div(acc, T);
    const want = ann.call(x);
    // each hidden unit's rate is within 1/T of x/s, so the error is at most sum |W2| s / T
    expect(maxAbsDiff(mean.dataSync(), want.dataSync())).toBeLessThan(0.05);
    tf.dispose([x, acc, mean, want]);
    snn.dispose();
    ann.dispose();
  });

  it('folds BatchNorm2d into the Conv2d before it and BatchNorm1d into the Linear before it', async () => {
    manualSeed(3);
    const conv = new Conv2d(2, 3, 3, { bias: false });
    const bn2 = new BatchNorm2d(3);
    const fc = new Linear(12, 5);
    const bn1 = new BatchNorm1d(5);
    for (const bn of [bn2, bn1]) {
      const n = bn.numFeatures;
      bn.loadStateDict({ weight: randomUniform([n], 0.5, 1.5), bias: randomUniform([n], -1, 1), running_mean: randomUniform([n], -1, 1), running_var: randomUniform([n], 0.5, 2), num_batches_tracked: tf.scalar(1, 'int32') });
    }
    const ann = new Sequential(conv, bn2, new ReLU(), new Flatten(), fc, bn1, new ReLU(), new Linear(5, 2)).eval();
    const x = randomUniform([4, 2, 4, 4], -1, 1);
    const converter = new Converter();
    const snn = (await converter.convert(ann, x)) as Sequential;
    expect(converter.report!.folded).toEqual([
      { batchNorm: '1', into: '0' },
      { batchNorm: '5', into: '4' },
    ]);
    expect(snn.children().map((c) => c.className)).toEqual(['Conv2d', 'Sequential', 'Flatten', 'Linear', 'Sequential', 'Linear']);
    const folded = tf.tidy(() => snn.at(0)!.call(x));
    const reference = tf.tidy(() => bn2.call(conv.call(x)));
    expect(maxAbsDiff(folded.dataSync(), reference.dataSync())).toBeLessThan(1e-5);
    const h = tf.tidy(() => tf.reshape(tf.relu(reference), [4, 12]));
    const folded1 = snn.at(3)!.call(h);
    const reference1 = tf.tidy(() => bn1.call(fc.call(h)));
    expect(maxAbsDiff(folded1.dataSync(), reference1.dataSync())).toBeLessThan(1e-5);
    // the scales are those of the unfolded ANN's ReLUs
    const s0 = tf.tidy(() => tf.max(tf.relu(reference)).dataSync()[0]!);
    expect(converter.report!.layers[0]!.scale).toBeCloseTo(s0, 5);
    tf.dispose([x, folded, reference, h, folded1, reference1]);
    snn.dispose();
    ann.dispose();
  });

  it('fuseBatchNorm: false keeps the batch norms', async () => {
    const ann = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU()).eval();
    const x = tf.ones([2, 3]);
    const snn = await new Converter({ fuseBatchNorm: false }).convert(ann, x);
    expect(snn.children().map((c) => c.className)).toEqual(['Linear', 'BatchNorm1d', 'Sequential']);
    tf.dispose(x);
    snn.dispose();
    ann.dispose();
  });

  it('converts a residual graph (OnnxGraph) from ONNX', async () => {
    const model = await loadOnnx(small('residual.onnx'));
    const x = tf.randomUniform([8, 6]);
    const snn = await new Converter().convert(model, x);
    expect(snn).toBeInstanceOf(OnnxGraph);
    expect(snn.children().map((c) => c.className)).toEqual(['Linear', 'Sequential', 'ElementwiseAdd']);
    expect(snn.call(x).shape).toEqual([8, 6]);
    tf.dispose(x);
    snn.dispose();
  });

  it("multi-step mode ('m', [T, N, ...]) gives the single-step loop's outputs, channel-wise scales included", async () => {
    manualSeed(4);
    const ann = new Sequential(new Conv2d(2, 4, 3), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 3), new ReLU(), new Linear(3, 2));
    const x = randomUniform([5, 2, 6, 6], 0, 1);
    const snn = await new Converter({ channelWise: true, mode: '99%' }).convert(ann, x);
    const T = 6;
    const single = Array.from({ length: T }, () => snn.call(x));
    resetNet(snn);
    setStepMode(snn, 'm');
    const multi = snn.call(tf.stack(Array.from({ length: T }, () => x)));
    expect(multi.shape).toEqual([T, 5, 2]);
    expect(maxAbsDiff(multi.dataSync(), tf.stack(single).dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, multi, ...single]);
    snn.dispose();
    ann.dispose();
  });

  it('no tensor is left behind by convert + dispose', async () => {
    const model = await loadOnnx(MODELS.mlp);
    const x = tf.randomUniform([32, 1, 28, 28]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) (await new Converter({ mode: '99.9%' }).convert(model, [x, x])).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('typed errors', () => {
  it('a non-ReLU activation -> ConversionError naming the layer and the activation', async () => {
    const model = await loadOnnx(small('sigmoid.onnx'));
    const x = tf.ones([2, 6]);
    const before = tf.memory().numTensors;
    const err = await new Converter().convert(model, x).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConversionError);
    const node = model.nodes.find((n) => n.opType === 'Sigmoid')!.name;
    expect((err as Error).message).toBe(`Converter.convert: 'layer '1' (ONNX node '${node}')' expected ReLU activations only (rate coding has no equivalent of other activations), but got Sigmoid.`);
    expect(tf.memory().numTensors).toBe(before);
    annFromOnnx(model).dispose();
    x.dispose();
  });

  it('calibration data of the wrong shape -> ShapeError with the model input shape', async () => {
    const model = await loadOnnx(MODELS.mlp);
    const x = tf.ones([4, 784]);
    const err = await new Converter().convert(model, [x]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as Error).message).toBe("Converter.convert: 'calibration batch 0' expected [N, 1, 28, 28] (the model input), but got shape [4, 784].");
    const bad = await new Converter().convert(model, 'images' as unknown as tf.Tensor).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ShapeError);
    const none = await new Converter().convert(model, []).catch((e: unknown) => e);
    expect((none as Error).message).toMatch(/'calibration' expected at least one batch, but got none/);
    x.dispose();
  });
});
