/**
 * evaluateOverTime against closed forms (an IF layer fed constant dyadic inputs spikes floor(T x)
 * times, ties go to the first class), the static-prefix shortcut (same numbers, with and without
 * SOP counting), firing rates, the plateau, memory, and the save/load round trip of an SNN.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, setBackend } from '@snnts/core';
import { IFNode, Linear, ReLU, Sequential } from '@snnts/nn';
import { Converter, VoltageScaler, convertedFromFiles, convertedToFiles, evaluateAccuracy, evaluateOverTime, formatAccuracyTable, loadConverted, saveConverted } from '@snnts/convert';
import { maxAbsDiff } from './helpers/ort.js';

beforeAll(async () => {
  await setBackend('cpu');
});

// Two samples, two classes: counts over T are floor(T x) with x in {0.375, 0.25}.
const X = () => tf.tensor2d([[0.375, 0.25], [0.25, 0.375]]);
const LABELS = [0, 1];

describe('evaluateOverTime', () => {
  it('accuracy at each checkpoint from one run (closed form), plateau and firing rates', async () => {
    const snn = new Sequential(new IFNode({ vReset: null }));
    const x = X();
    const before = tf.memory().numTensors;
    const r = await evaluateOverTime(snn, x, LABELS, { T: [8, 1, 2, 4], firingRates: true, batchSize: 1 });
    // T=1, 2, 4: equal counts (0/0, 0/0, 1/1) -> class 0 for both -> 1 of 2; T=8: 3 vs 2 -> both right
    expect(r.T).toEqual([1, 2, 4, 8]);
    expect(r.correct).toEqual([1, 1, 1, 2]);
    expect(r.accuracy).toEqual([0.5, 0.5, 0.5, 1]);
    expect(r.plateauT).toBe(8);
    // spikes over 8 steps: (3 + 2) per sample, out of 8 x 2 x 2 outputs
    expect(r.firingRates).toEqual({ '0': 10 / 32 });
    expect(r.samples).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    snn.dispose();
  });

  it('the stateless prefix runs once per batch, with the same result; SOP counting sees every step', async () => {
    const fc = new Linear(2, 2, { bias: false });
    fc.loadStateDict({ weight: tf.tensor2d([[1, 0], [0, 1]]) });
    const snn = new Sequential(fc, new IFNode({ vReset: null }));
    const x = X();
    let calls = 0;
    const h = fc.registerForwardHook(() => void calls++);
    const r = await evaluateOverTime(snn, x, LABELS, { T: [4, 8] });
    expect(r.accuracy).toEqual([0.5, 1]);
    expect(calls).toBe(1);
    calls = 0;
    const withSops = await evaluateOverTime(snn, x, LABELS, { T: [4, 8], sops: true });
    expect(withSops.accuracy).toEqual([0.5, 1]);
    expect(calls).toBe(8);
    expect(withSops.sops!.layers[0]!.annMacsPerSample).toBe(4);
    h.remove();
    x.dispose();
    snn.dispose();
  });

  it('SOPs of a layer fed by VoltageScaler(s): scaled spikes count as accumulates, not dense MACs', async () => {
    const fc = new Linear(2, 3, { bias: false });
    const snn = new Sequential(new IFNode({ vReset: null }), new VoltageScaler(2), fc);
    const x = X();
    let spikes = 0;
    const h = fc.registerForwardHook((_m, inputs) => void (spikes += tf.tidy(() => tf.sum(tf.notEqual(inputs[0]!, 0).toInt()).dataSync()[0]!)));
    const r = await evaluateOverTime(snn, x, LABELS, { T: [8], sops: true });
    const l = r.sops!.layers[0]!;
    expect(spikes).toBeGreaterThan(0);
    expect([l.binaryInput, l.macsPerSample]).toEqual([true, 0]);
    expect(l.sopsPerSample).toBeCloseTo((spikes * 3) / (2 * 8), 12); // each spike reaches 3 weights; 2 images x 8 steps
    h.remove();
    x.dispose();
    snn.dispose();
  });

  it('plateau: the first checkpoint within the tolerance of the best', async () => {
    const snn = new Sequential(new IFNode({ vReset: null }));
    const x = X();
    const r = await evaluateOverTime(snn, x, LABELS, { T: [4, 8], plateauTolerance: 0.5 });
    expect(r.plateauT).toBe(4);
    expect(formatAccuracyTable(r, 0.75)).toContain('| accuracy | 50.00% | 100.00% | 75.00% |');
    x.dispose();
    snn.dispose();
  });

  it('evaluateAccuracy of an ANN (argmax, first index on ties)', () => {
    const x = X();
    expect(evaluateAccuracy(new Sequential(), x, LABELS)).toBe(1);
    expect(evaluateAccuracy(new Sequential(), x, [1, 1], 1)).toBe(0.5);
    x.dispose();
  });

  it('typed errors for bad arguments', async () => {
    const snn = new Sequential(new IFNode());
    const x = X();
    await expect(evaluateOverTime(snn, x, [0], { T: [4] })).rejects.toThrow(ShapeError);
    await expect(evaluateOverTime(snn, x, LABELS, { T: [] })).rejects.toThrow(ConfigError);
    await expect(evaluateOverTime(snn, x, LABELS, { T: [0, 2] })).rejects.toThrow(/'options.T' expected a non-empty list of positive integers/);
    await expect(evaluateOverTime(snn, 'x' as unknown as tf.Tensor, LABELS, { T: [2] })).rejects.toThrow(ShapeError);
    x.dispose();
  });
});

describe('saving and loading a converted SNN', () => {
  it('convertedToFiles / convertedFromFiles and saveConverted / loadConverted give the same outputs', async () => {
    const ann = new Sequential(new Linear(3, 5), new ReLU(), new Sequential(new Linear(5, 2)));
    const x = tf.randomUniform([4, 3]);
    const converter = new Converter({ mode: '99%' });
    const snn = await converter.convert(ann, x); // the nested Sequential is inlined
    const files = await convertedToFiles(snn, { conversion: converter.report! });
    expect(JSON.parse(files.config).conversion.mode).toBe('99%');
    const a = convertedFromFiles(files.config, files.weights);
    const dir = `/tmp/snnts-convert-test-${process.pid}`;
    await saveConverted(snn, dir);
    const b = await loadConverted(dir);
    for (let t = 0; t < 4; t++) {
      const [y, ya, yb] = [snn.call(x), a.call(x), b.call(x)];
      expect(maxAbsDiff(ya.dataSync(), y.dataSync())).toBe(0);
      expect(maxAbsDiff(yb.dataSync(), y.dataSync())).toBe(0);
      tf.dispose([y, ya, yb]);
    }
    expect(() => convertedFromFiles('{"format":"other"}', files.weights)).toThrow(/format 'snnts-converted-snn' version 1/);
    await expect(loadConverted('/nonexistent-snnts-dir')).rejects.toThrow(/'dir' expected a folder with config.json and model.safetensors/);
    for (const m of [ann, snn, a, b]) m.dispose();
    x.dispose();
  });
});
