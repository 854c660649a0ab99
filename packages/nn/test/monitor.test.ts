// Monitors (src/monitor/): selectModules; OutputMonitor / AttributeMonitor records equal to the
// layers' outputs and potentials (spikingjelly's monitor semantics: records, monitoredLayers,
// get(name), at(i), enable/disable, clear, remove); FiringRateMonitor against hand-counted IF
// spike trains; SopCounter against closed forms (Linear: nnz x outFeatures; Conv2d: corner and
// centre spikes) and against a brute-force count (the sum of the layer's output with all-ones
// weights on binary input), non-binary input counted as MACs, energy with 4.6 / 0.9 pJ;
// formatSopReport; no tensor leaks and no hooks left after remove().
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Module, manualSeed, setBackend } from '@snnts/core';
import { resetNet, setStepMode } from '@snnts/functional';
import {
  AttributeMonitor,
  BaseNode,
  Conv2d,
  FiringRateMonitor,
  Flatten,
  HOROWITZ_45NM_PJ,
  IFNode,
  LIFNode,
  Linear,
  MultiStepContainer,
  OutputMonitor,
  ReLU,
  Sequential,
  SopCounter,
  formatSopReport,
  selectModules,
  type Conv2dArgs,
} from '@snnts/nn';
import { NODE_BACKENDS, values } from '../../../test/helpers/golden.js';

/** Linear with the given weight rows and zero bias. */
function linear(weight: number[][]): Linear {
  const fc = new Linear(weight[0]!.length, weight.length);
  fc.loadStateDict({ weight: tf.tensor(weight), bias: tf.zeros([weight.length]) });
  return fc;
}

/** 8 -> 4 -> 2 network with non-negative weights, IF neurons after each Linear. */
function smallNet(): Sequential {
  manualSeed(5);
  const net = new Sequential(new Linear(8, 4), new IFNode(), new Linear(4, 2), new IFNode());
  for (const p of net.parameters()) p.assign(tf.abs(p));
  return net;
}

const hooked = (m: Module | undefined) => m !== undefined && Object.hasOwn(m, 'forward');

describe.each(NODE_BACKENDS)('monitors on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('selectModules matches classes, class names, arrays and (by default) the net class, each module once', () => {
    const shared = new IFNode();
    const net = new Sequential(new Linear(4, 3), shared, new Sequential(new Linear(3, 3), new LIFNode()), shared);
    expect(selectModules(net, BaseNode).map(([n]) => n)).toEqual(['1', '2.1']);
    expect(selectModules(net, 'Linear').map(([n]) => n)).toEqual(['0', '2.0']);
    expect(selectModules(net, [IFNode, 'Linear']).map(([n]) => n)).toEqual(['0', '1', '2.0']);
    expect(selectModules(net).map(([n]) => n)).toEqual(['', '2']);
    expect(() => selectModules(net, [42 as unknown as string])).toThrowError(/selectModules: 'instance' expected a Module class/);
    expect(() => new OutputMonitor({} as Module, IFNode)).toThrowError(/OutputMonitor: 'net' expected a Module/);
    net.dispose();
  });

  it('OutputMonitor records every neuron output in call order (records, get, at, monitoredLayers)', () => {
    const net = smallNet();
    const mon = new OutputMonitor(net, IFNode);
    expect(mon.monitoredLayers).toEqual(['1', '3']);
    const x = tf.tensor([[0.9, 0.1, 0.8, 0.3, 0.5, 0.7, 0.2, 0.6]]);
    const T = 3;
    // Reference: the same steps run by hand on a structural copy (same weights).
    const ref = smallNet();
    const expected: number[][] = [];
    for (let t = 0; t < T; t++) {
      net.call(x).dispose();
      tf.tidy(() => {
        const h1 = (ref.at(1) as IFNode).call((ref.at(0) as Linear).call(x));
        const h2 = (ref.at(3) as IFNode).call((ref.at(2) as Linear).call(h1));
        expected.push(values(h1), values(h2));
      });
    }
    expect(mon.records).toHaveLength(2 * T);
    expect(mon.records.map(values)).toEqual(expected);
    expect(mon.get('1').map(values)).toEqual([expected[0], expected[2], expected[4]]);
    expect(values(mon.at(-1))).toEqual(expected[5]);
    expect(values(mon.at(1))).toEqual(expected[1]);
    expect(() => mon.at(6)).toThrowError(/OutputMonitor\.at: 'i' expected an index in \[-6, 6\)/);
    expect(() => mon.get('0')).toThrowError(/OutputMonitor\.get: 'name' expected one of the monitored layers \['1', '3'\]/);
    mon.dispose();
    resetNet(ref);
    ref.dispose();
    x.dispose();
    net.dispose();
  });

  it('OutputMonitor: enable/disable, clear frees the kept tensors, remove detaches the hooks', () => {
    const net = smallNet();
    const mon = new OutputMonitor(net, IFNode);
    const x = tf.ones([2, 8]);
    const start = tf.memory().numTensors;
    net.call(x).dispose();
    const afterOne = tf.memory().numTensors; // + 2 kept records + the neurons' state
    mon.disable();
    net.call(x).dispose();
    expect(mon.records).toHaveLength(2);
    mon.enable();
    expect(mon.isEnabled()).toBe(true);
    net.call(x).dispose();
    expect(mon.records).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(afterOne + 2);
    mon.clear();
    expect(mon.records).toHaveLength(0);
    expect(mon.get('1')).toEqual([]);
    expect(tf.memory().numTensors).toBe(afterOne - 2);
    expect([hooked(net.at(1)), hooked(net.at(3))]).toEqual([true, true]);
    mon.remove();
    expect([hooked(net.at(1)), hooked(net.at(3))]).toEqual([false, false]);
    net.call(x).dispose();
    expect(mon.records).toHaveLength(0);
    resetNet(net);
    expect(tf.memory().numTensors).toBe(start);
    x.dispose();
    net.dispose();
  });

  it('OutputMonitor with a number-valued fn keeps no tensors over many steps', () => {
    const net = smallNet();
    const mon = new OutputMonitor(net, BaseNode, (s) => tf.mean(s).dataSync()[0]!);
    const x = tf.fill([4, 8], 0.7);
    net.call(x).dispose();
    const n = tf.memory().numTensors;
    for (let t = 0; t < 100; t++) net.call(x).dispose();
    expect(tf.memory().numTensors).toBe(n);
    expect(mon.records).toHaveLength(202);
    expect(mon.records.every((r) => typeof r === 'number' && r >= 0 && r <= 1)).toBe(true);
    mon.dispose();
    x.dispose();
    net.dispose();
  });

  it("records once per sequence in 'm' mode and once per step inside a MultiStepContainer", () => {
    const multi = smallNet();
    setStepMode(multi, 'm');
    const mon = new OutputMonitor(multi, IFNode, (s) => s.shape);
    multi.call(tf.ones([5, 2, 8])).dispose();
    expect(mon.records).toEqual([[5, 2, 4], [5, 2, 2]]);
    const loop = new MultiStepContainer(new Linear(8, 3), new IFNode());
    const mon2 = new OutputMonitor(loop, IFNode, (s) => s.shape);
    loop.call(tf.ones([5, 2, 8])).dispose();
    expect(mon2.records).toEqual(Array(5).fill([2, 3]));
    [mon, mon2].forEach((m) => m.dispose());
    [multi, loop].forEach((m) => m.dispose());
  });

  it('AttributeMonitor records v after each step (or before, with preForward)', () => {
    const node = new IFNode();
    const after = new AttributeMonitor('v', node, IFNode);
    const before = new AttributeMonitor('v', node, IFNode, undefined, { preForward: true });
    const asNumbers = new AttributeMonitor('v', node, IFNode, (v) => (v instanceof tf.Tensor ? values(v) : [v as number]));
    // IF with vThreshold 1: v = 0.4, 0.8, 0 (1.2 fires, hard reset), 0.4.
    for (let t = 0; t < 4; t++) node.call([0.4]).dispose();
    expect(asNumbers.records.map((r) => r[0]!)).toEqual([0.4, 0.8, 0, 0.4].map(Math.fround));
    expect(after.records.map((r) => values(r as tf.Tensor)[0])).toEqual([0.4, 0.8, 0, 0.4].map(Math.fround));
    expect(before.records[0]).toBe(0); // the reset value, before the first step
    expect(before.records.slice(1).map((r) => values(r as tf.Tensor)[0])).toEqual([0.4, 0.8, 0].map(Math.fround));
    [after, before, asNumbers].forEach((m) => m.dispose());
    node.dispose();
  });

  it('AttributeMonitor rejects a missing attribute and leaves no hooks behind', () => {
    const net = new Sequential(new IFNode(), new Linear(2, 2), new IFNode());
    expect(() => new AttributeMonitor('vSeq', net, [IFNode, Linear])).toThrowError(/AttributeMonitor: 'attributeName' expected an attribute of every monitored module, but got 'vSeq', which Linear '1' does not have/);
    expect(net.modules().some(hooked)).toBe(false);
    expect(() => new AttributeMonitor('', net, IFNode)).toThrowError(ConfigError);
    net.dispose();
  });

  it('FiringRateMonitor gives the hand-counted IF rates and frees its sums', () => {
    const node = new IFNode();
    const net = new Sequential(new Flatten(), node);
    // 8 steps of x = 0.5, 1, 0.25, 0 with threshold 1: 4, 8, 2 and 0 spikes of 8.
    const x = tf.tensor([[0.5, 1, 0.25, 0]]);
    const start = tf.memory().numTensors;
    const mon = new FiringRateMonitor(net);
    expect(mon.monitoredLayers).toEqual(['1']);
    expect(mon.firingRate('1')).toBeNaN();
    for (let t = 0; t < 8; t++) net.call(x).dispose();
    expect(mon.firingRates()).toEqual({ '1': 14 / 32 });
    expect(mon.counts()).toEqual({ '1': 32 });
    mon.clear();
    resetNet(net);
    for (let t = 0; t < 2; t++) net.call(x).dispose();
    expect(mon.firingRate('1')).toBe(3 / 8); // steps 1-2: 1 + 2 + 0 + 0
    expect(() => mon.firingRate('0')).toThrowError(/FiringRateMonitor\.firingRate: 'name' expected one of the monitored layers/);
    mon.dispose();
    resetNet(net);
    expect(tf.memory().numTensors).toBe(start);
    expect(hooked(node)).toBe(false);
    x.dispose();
    net.dispose();
  });

  it('SopCounter on Linear: SOPs = nnz x outFeatures, ANN MACs = in x out, energy at 0.9 / 4.6 pJ', () => {
    // Layer 0: input [3, 5] with 7 ones; layer 2 sees the IF spikes of layer 0's output.
    const net = new Sequential(
      linear([[1, 1, 0, 0, 0], [0, 0, 1, 1, 1], [0.3, 0, 0, 0, 0], [1, 1, 1, 1, 1]]),
      new IFNode(),
      linear([[1, 1, 1, 1], [1, 0, 0, 0]]),
    );
    const counter = new SopCounter(net);
    const spikes = new OutputMonitor(net, IFNode, (s) => tf.sum(s).dataSync()[0]!);
    expect(counter.monitoredLayers).toEqual(['0', '2']);
    net.call(tf.tensor([[1, 0, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 0, 1, 1]])).dispose();
    const r = counter.report();
    const [l0, l2] = r.layers as [(typeof r.layers)[0], (typeof r.layers)[0]];
    expect([l0.name, l0.className, l0.calls, l0.samples, l0.binaryInput]).toEqual(['0', 'Linear', 1, 3, true]);
    expect(l0.sopsPerSample).toBeCloseTo((7 * 4) / 3, 12);
    expect(l0.annMacsPerSample).toBe(20);
    expect(l0.macsPerSample).toBe(0);
    expect(l0.inputFiringRate).toBeCloseTo(7 / 15, 12);
    expect(l0.energyPerSamplePj).toBeCloseTo(((7 * 4) / 3) * 0.9, 9);
    expect(l0.annEnergyPerSamplePj).toBeCloseTo(20 * 4.6, 9);
    const nnz2 = spikes.records[0]!;
    expect(l2.sopsPerSample).toBeCloseTo((nnz2 * 2) / 3, 12);
    expect(l2.annMacsPerSample).toBe(8);
    expect(r.total.sopsPerSample).toBeCloseTo(l0.sopsPerSample + l2.sopsPerSample, 12);
    expect(r.total.annMacsPerSample).toBe(28);
    expect(r.total.inputFiringRate).toBeCloseTo((7 + nnz2) / (15 + 12), 12);
    expect(r.energy).toEqual(HOROWITZ_45NM_PJ);
    [counter, spikes].forEach((m) => m.dispose());
    net.dispose();
  });

  it('SopCounter with scaledSpikes counts spikes of one magnitude {0, s} as SOPs, and anything else as MACs', () => {
    const fc = new Linear(4, 3);
    const plain = new SopCounter(fc);
    const scaled = new SopCounter(fc, { scaledSpikes: true });
    fc.call(tf.tensor([[0.25, 0, -0.25, 0], [0, 0, 0.25, 0]])).dispose(); // 3 scaled spikes (a negative one too)
    let [p, s] = [plain.report().layers[0]!, scaled.report().layers[0]!];
    expect([p.binaryInput, p.sopsPerSample, p.macsPerSample]).toEqual([false, 0, 12]);
    expect([s.binaryInput, s.sopsPerSample, s.macsPerSample]).toEqual([true, 4.5, 0]); // 3 spikes x 3 outputs / 2 rows
    plain.clear();
    scaled.clear();
    fc.call(tf.tensor([[0.25, 0.5, 0, 0]])).dispose(); // two magnitudes: analog
    [p, s] = [plain.report().layers[0]!, scaled.report().layers[0]!];
    expect([s.binaryInput, s.sopsPerSample, s.macsPerSample]).toEqual([false, 0, 12]);
    expect([p.binaryInput, p.macsPerSample]).toEqual([false, 12]);
    [plain, scaled].forEach((m) => m.dispose());
    fc.dispose();
  });

  it('SopCounter counts non-binary input as dense MACs and multi-step rows as T x N', () => {
    const fc = new Linear(6, 5, { stepMode: 'm' });
    const counter = new SopCounter(fc, { energy: { mac: 2, ac: 1 } });
    fc.call(tf.fill([4, 3, 6], 0.5)).dispose(); // T = 4, N = 3, not binary
    let l = counter.report().layers[0]!;
    expect([l.samples, l.binaryInput, l.sopsPerSample, l.macsPerSample, l.annMacsPerSample]).toEqual([12, false, 0, 30, 30]);
    expect(l.energyPerSamplePj).toBe(60);
    counter.clear();
    const x = tf.tensor([[[1, 0, 0, 0, 0, 1]], [[0, 0, 0, 0, 0, 0]]]); // T = 2, N = 1: 2 spikes
    fc.call(x).dispose();
    l = counter.report().layers[0]!;
    expect([l.samples, l.binaryInput, l.sopsPerSample, l.macsPerSample]).toEqual([2, true, 5, 0]);
    expect(l.inputFiringRate).toBeCloseTo(2 / 12, 12);
    counter.dispose();
    fc.dispose();
  });

  it('SopCounter on Conv2d: closed forms for a corner and a centre spike', () => {
    // Conv2d(1, 2, 3, padding 1) on 4x4: a corner pixel feeds 2 x 2 output positions, a centre
    // pixel 3 x 3, each into outChannels = 2 weights. Dense: 2 x 4 x 4 x 1 x 9 = 288 MACs.
    const conv = new Conv2d(1, 2, 3, { padding: 1 });
    const counter = new SopCounter(conv);
    const img = (i: number, j: number) => tf.tidy(() => tf.cast(tf.reshape(tf.oneHot(tf.tensor1d([i * 4 + j], 'int32'), 16), [1, 1, 4, 4]), 'float32'));
    for (const [i, j, sops] of [[0, 0, 8], [1, 1, 18], [0, 2, 12]] as const) {
      counter.clear();
      const x = img(i, j);
      conv.call(x).dispose();
      const l = counter.report().layers[0]!;
      expect([l.sopsPerSample, l.annMacsPerSample, l.inputFiringRate]).toEqual([sops, 288, 1 / 16]);
      x.dispose();
    }
    counter.dispose();
    conv.dispose();
  });

  const convCases: [string, number, number, number | [number, number], Conv2dArgs, number[]][] = [
    ['3x3 valid', 2, 3, 3, {}, [2, 2, 7, 7]],
    ['3x3 pad 1 stride 2', 2, 4, 3, { padding: 1, stride: 2 }, [2, 2, 7, 8]],
    ['2x3 dilation 2 pad [1, 2]', 3, 2, [2, 3], { padding: [1, 2], dilation: 2 }, [1, 3, 6, 9]],
    ['groups 2, same', 4, 6, 3, { padding: 'same', groups: 2 }, [2, 4, 5, 5]],
    ['reflect padding', 2, 3, 3, { padding: 1, paddingMode: 'reflect' }, [2, 2, 5, 6]],
    ['multi-step', 2, 2, 3, { padding: 1, stepMode: 'm' }, [3, 2, 2, 5, 5]],
  ];

  it.each(convCases)('SopCounter on Conv2d is exact (%s): SOPs = sum of the all-ones conv of the spikes', (_name, inC, outC, k, args, shape) => {
    manualSeed(17);
    const conv = new Conv2d(inC, outC, k, { ...args, bias: false });
    conv.loadStateDict({ weight: tf.onesLike(conv.weight) });
    const counter = new SopCounter(new Sequential(conv));
    const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform(shape, 0, 1, 'float32', 3), 0.3), 'float32'));
    const y = conv.call(x);
    const rows = shape.slice(0, -3).reduce((a, b) => a * b, 1);
    const l = counter.report().layers[0]!;
    expect(l.samples).toBe(rows);
    expect(l.sopsPerSample * rows).toBeCloseTo(tf.sum(y).dataSync()[0]!, 6);
    const [Ho, Wo] = y.shape.slice(-2) as [number, number];
    const [kh, kw] = conv.kernelSize;
    expect(l.annMacsPerSample).toBe(outC * Ho * Wo * (inC / conv.groups) * kh * kw);
    tf.dispose([x, y]);
    counter.dispose();
    conv.dispose();
  });

  it('SopCounter on a conv net leaks nothing over many steps and detaches on remove()', () => {
    manualSeed(3);
    const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new IFNode(), new Flatten(), new Linear(64, 10), new IFNode());
    const counter = new SopCounter(net);
    const rates = new FiringRateMonitor(net);
    const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([2, 1, 4, 4], 0, 1, 'float32', 1), 0.5), 'float32'));
    net.call(x).dispose();
    const n = tf.memory().numTensors;
    for (let t = 0; t < 60; t++) net.call(x).dispose();
    expect(tf.memory().numTensors).toBe(n);
    const r = counter.report();
    expect(r.layers.map((l) => [l.name, l.className, l.calls, l.samples])).toEqual([
      ['0', 'Conv2d', 61, 122],
      ['3', 'Linear', 61, 122],
    ]);
    expect(r.total.binaryInput).toBe(true);
    const table = formatSopReport(r);
    expect(table).toMatch(/^layer\s+type\s+in rate\s+ANN MACs\s+SNN SOPs\s+SNN MACs\s+SNN energy\s+ANN energy\s+ratio/);
    expect(table).toMatch(/\n0\s+Conv2d\s+/);
    expect(table).toMatch(/\n3\s+Linear\s+/);
    expect(table).toMatch(/\ntotal\s+/);
    expect(table).toContain('4.6 pJ/MAC, 0.9 pJ/AC');
    counter.dispose();
    rates.dispose();
    expect(net.modules().some(hooked)).toBe(false);
    resetNet(net);
    x.dispose();
    net.dispose();
  });

  it('formatSopReport marks non-binary input and scales units', () => {
    const fc = new Linear(1000, 1000);
    const counter = new SopCounter(fc);
    fc.call(tf.fill([1, 1000], 0.5)).dispose();
    const table = formatSopReport(counter.report());
    expect(table).toMatch(/\n\(net\)\s+Linear\s+100\.0%\*\s+1M\s+0\s+1M\s+4\.6 µJ\s+4\.6 µJ\s+1\.000/);
    expect(table).toContain('* non-binary input: counted as dense MACs.');
    counter.dispose();
    fc.dispose();
  });

  it('SopCounter rejects unsupported layers and bad energy figures with named errors', () => {
    const net = new Sequential(new Linear(2, 2), new ReLU());
    expect(() => new SopCounter(net, { layers: ['Linear', ReLU] })).toThrowError(/SopCounter: 'layers' expected layers of a supported class \[Linear, Conv2d\], but got ReLU '1'/);
    expect(() => new SopCounter(net, { energy: { mac: -1, ac: 0.9 } })).toThrowError(/SopCounter: 'energy\.mac' expected a number of pJ >= 0/);
    expect(net.modules().some(hooked)).toBe(false);
    net.dispose();
  });
});
