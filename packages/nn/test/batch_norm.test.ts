// BatchNorm1d / BatchNorm2d / ThresholdDependentBatchNorm2d against PyTorch 1.13 (fixtures from
// scripts/make_norm_fixtures.py: train and eval outputs, input and parameter gradients, running
// statistics after two batches, momentum=None, affine=False, track_running_stats=False), plus
// the step modes ('m' is one [T*N] batch; a loop of single steps takes per-step statistics), the
// PyTorch state-dict names, flat memory over training steps, and the typed errors.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, StepModeError, fromConfig, serialize, setBackend } from '@snnts/core';
import { setStepMode } from '@snnts/functional';
import { BatchNorm1d, BatchNorm2d, Sequential, ThresholdDependentBatchNorm2d, type BatchNormArgs, type BatchNormBase } from '@snnts/nn';
import { NODE_BACKENDS, flat, maxAbsError, values } from '../../../test/helpers/golden.js';
import type { Nested, NormCase } from '../../../test/helpers/fixture_types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch_norm.json', import.meta.url), 'utf8')) as { torch: string; cases: NormCase[] };

const TOL = 1e-4;

/** The layer of a fixture case, with the fixture's weight and bias. */
function build(c: NormCase): BatchNormBase {
  const k = c.kwargs;
  const channels = (c.x1 as Nested[][])[0]!.length;
  if (c.tdbn) return new ThresholdDependentBatchNorm2d(channels, { alpha: c.tdbn.alpha, vTh: c.tdbn.v_th });
  const args: BatchNormArgs = { eps: k.eps, affine: k.affine, trackRunningStats: k.track_running_stats };
  if ('momentum' in k) args.momentum = k.momentum;
  const bn = c.cls === 'BatchNorm1d' ? new BatchNorm1d(channels, args) : new BatchNorm2d(channels, args);
  if (c.weight) bn.weight!.assign(tf.tensor1d(c.weight));
  if (c.bias) bn.bias!.assign(tf.tensor1d(c.bias));
  return bn;
}

/** A fixture input as the layer takes it: [T, N, ...] for tdBN, as recorded otherwise. */
function input(c: NormCase, x: Nested): tf.Tensor {
  const t = tf.tensor(x as number[]);
  if (!c.tdbn) return t;
  const [TN, ...rest] = t.shape;
  return tf.reshape(t, [c.tdbn.T, TN! / c.tdbn.T, ...rest]);
}

/** One forward of `(bn(x) * gradOut).sum()` with its gradients, like the fixture's backward(). */
function forwardBackward(bn: BatchNormBase, x: tf.Tensor, gradOut: tf.Tensor) {
  const xv = tf.variable(x, true);
  let out: tf.Tensor | undefined;
  const vars = [xv, ...bn.parameters()];
  const { value, grads } = tf.variableGrads(() => {
    const y = bn.forward(xv);
    out = tf.keep(y);
    return tf.sum(tf.mul(y, gradOut)) as tf.Scalar;
  }, vars);
  const res = {
    output: values(out!),
    gradInput: values(grads[xv.name]!),
    gradWeight: bn.weight ? values(grads[bn.weight.name]!) : undefined,
    gradBias: bn.bias ? values(grads[bn.bias.name]!) : undefined,
  };
  tf.dispose([xv, out!, value, ...Object.values(grads)]);
  return res;
}

describe.each(NODE_BACKENDS)('batch norm on %s', (backend) => {
  const worst: Record<string, number> = {};
  const check = (what: string, actual: number[], expected: Nested | undefined) => {
    const e = flat(expected);
    expect(actual.length, what).toBe(e.length);
    const err = maxAbsError(actual, e);
    worst[what.split(' ')[0]!] = Math.max(worst[what.split(' ')[0]!] ?? 0, err);
    expect(err, what).toBeLessThan(TOL);
  };

  beforeAll(async () => {
    await setBackend(backend);
  });
  afterAll(() => {
    console.log(`batch norm on ${backend} vs torch ${fixture.torch}: worst |error|`, worst);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('reproduces PyTorch: %s', (_name, c) => {
    const bn = build(c);
    const x1 = input(c, c.x1);
    const x2 = input(c, c.x2);
    const g = tf.reshape(tf.tensor(c.grad_out as number[]), x1.shape);
    // Training: batch statistics, then a second batch; the buffers after both.
    const tr = forwardBackward(bn, x1, g);
    check(`output (train, ${c.call})`, tr.output, c.train.output);
    check(`grad_input (train, ${c.call})`, tr.gradInput, c.train.grad_input);
    if (c.train.grad_weight) check(`grad_weight (train, ${c.call})`, tr.gradWeight!, c.train.grad_weight);
    if (c.train.grad_bias) check(`grad_bias (train, ${c.call})`, tr.gradBias!, c.train.grad_bias);
    const y2 = bn.call(x2);
    check(`output2 (train, ${c.call})`, values(y2), c.train.output2);
    if (c.train.running_mean) {
      check(`running_mean (${c.call})`, values(bn.runningMean!), c.train.running_mean);
      check(`running_var (${c.call})`, values(bn.runningVar!), c.train.running_var);
      expect(values(bn.numBatchesTracked!)).toEqual([c.train.num_batches_tracked]);
    } else {
      expect(bn.runningMean).toBeNull();
    }
    // Evaluation: the running statistics (batch statistics without trackRunningStats).
    bn.eval();
    const ev = forwardBackward(bn, x1, g);
    check(`output (eval, ${c.call})`, ev.output, c.eval.output);
    check(`grad_input (eval, ${c.call})`, ev.gradInput, c.eval.grad_input);
    if (c.eval.grad_weight) check(`grad_weight (eval, ${c.call})`, ev.gradWeight!, c.eval.grad_weight);
    if (c.eval.grad_bias) check(`grad_bias (eval, ${c.call})`, ev.gradBias!, c.eval.grad_bias);
    tf.dispose([x1, x2, g, y2]);
    bn.dispose();
  });

  it("'m' mode equals 's' mode on the [T*N] batch, outputs and running statistics", () => {
    for (const [make, shape] of [
      [(a: BatchNormArgs) => new BatchNorm2d(3, a), [4, 2, 3, 5, 5]],
      [(a: BatchNormArgs) => new BatchNorm1d(3, a), [4, 2, 3, 6]],
      [(a: BatchNormArgs) => new BatchNorm1d(3, a), [4, 5, 3]],
    ] as const) {
      const x = tf.add(tf.randomNormal([...shape]), tf.reshape(tf.tensor1d([-1, 0.5, 2]), [1, 1, 3, ...shape.slice(3).map(() => 1)]));
      const m = make({ stepMode: 'm', momentum: 0.3 });
      const s = make({ momentum: 0.3 });
      const ym = m.call(x);
      const ys = s.call(tf.reshape(x, [shape[0] * shape[1], ...shape.slice(2)]));
      expect(ym.shape).toEqual([...shape]);
      expect(maxAbsError(values(ym), values(ys))).toBeLessThan(1e-6);
      expect(maxAbsError(values(m.runningMean!), values(s.runningMean!))).toBeLessThan(1e-6);
      expect(maxAbsError(values(m.runningVar!), values(s.runningVar!))).toBeLessThan(1e-6);
      m.eval();
      s.eval();
      expect(maxAbsError(values(m.call(x)), values(s.call(tf.reshape(x, [shape[0] * shape[1], ...shape.slice(2)]))))).toBeLessThan(1e-6);
      m.dispose();
      s.dispose();
    }
  });

  it("'m' takes statistics over T*N, a loop of T single steps per step; eval makes them equal", () => {
    const [T, N, C, H, W] = [3, 4, 2, 3, 3];
    // Step t is shifted by 2t, so per-step and whole-sequence statistics differ.
    const x = tf.add(tf.randomNormal([T, N, C, H, W]), tf.reshape(tf.range(0, 2 * T, 2), [T, 1, 1, 1, 1]));
    const m = new BatchNorm2d(C, { stepMode: 'm' });
    const s = new BatchNorm2d(C);
    const ym = m.call(x);
    const ys = tf.stack(tf.unstack(x).map((xt) => s.call(xt)));
    expect(maxAbsError(values(ym), values(ys))).toBeGreaterThan(0.5);
    // The loop normalises each step to mean 0, variance 1 per channel; 'm' only the whole sequence.
    const stepMean = (y: tf.Tensor) => values(tf.mean(y, [1, 3, 4]));
    const stepVar = (y: tf.Tensor) => values(tf.moments(y, [1, 3, 4]).variance);
    expect(Math.max(...stepMean(ys).map(Math.abs))).toBeLessThan(1e-5);
    expect(maxAbsError(stepVar(ys), Array<number>(T * C).fill(1))).toBeLessThan(1e-3);
    expect(Math.max(...stepMean(ym).map(Math.abs))).toBeGreaterThan(0.5);
    expect(Math.max(...values(tf.mean(ym, [0, 1, 3, 4])).map(Math.abs))).toBeLessThan(1e-5);
    // Running statistics: one update with the T*N statistics versus T updates with per-step ones.
    const n = N * H * W;
    const xs = tf.unstack(x);
    const momentsOf = (t: tf.Tensor, axes: number[], count: number) => {
      const { mean, variance } = tf.moments(t, axes);
      return { mean: values(mean), unbiased: values(variance).map((v) => (v * count) / (count - 1)) };
    };
    const all = momentsOf(x, [0, 1, 3, 4], T * n);
    expect(maxAbsError(values(m.runningMean!), all.mean.map((v) => 0.1 * v))).toBeLessThan(1e-5);
    expect(maxAbsError(values(m.runningVar!), all.unbiased.map((v) => 0.9 + 0.1 * v))).toBeLessThan(1e-5);
    let rm = [0, 0];
    let rv = [1, 1];
    for (const xt of xs) {
      const st = momentsOf(xt, [0, 2, 3], n);
      rm = rm.map((r, c) => 0.9 * r + 0.1 * st.mean[c]!);
      rv = rv.map((r, c) => 0.9 * r + 0.1 * st.unbiased[c]!);
    }
    expect(maxAbsError(values(s.runningMean!), rm)).toBeLessThan(1e-5);
    expect(maxAbsError(values(s.runningVar!), rv)).toBeLessThan(1e-5);
    expect(values(m.numBatchesTracked!)).toEqual([1]);
    expect(values(s.numBatchesTracked!)).toEqual([T]);
    // In eval mode with the same buffers both run the same per-channel affine map.
    s.loadStateDict(m.stateDict());
    m.eval();
    s.eval();
    const em = m.call(x);
    const es = tf.stack(tf.unstack(x).map((xt) => s.call(xt)));
    expect(maxAbsError(values(em), values(es))).toBeLessThan(1e-6);
    m.dispose();
    s.dispose();
  });

  it('uses PyTorch state-dict names and round-trips config and state', () => {
    expect(Object.keys(new BatchNorm1d(3).stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new BatchNorm2d(3).stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new ThresholdDependentBatchNorm2d(3).stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new BatchNorm2d(3, { affine: false }).stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new BatchNorm2d(3, { trackRunningStats: false }).stateDict())).toEqual(['weight', 'bias']);
    const net = new Sequential(new BatchNorm2d(2), new BatchNorm1d(2));
    expect(Object.keys(net.stateDict())).toEqual(['0.weight', '0.bias', '0.running_mean', '0.running_var', '0.num_batches_tracked', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    const bn = new BatchNorm2d(2, { eps: 1e-3, momentum: null, stepMode: 'm' });
    const sd = bn.stateDict();
    expect(sd['num_batches_tracked']!.shape).toEqual([]);
    expect(sd['running_mean']!.shape).toEqual([2]);
    const copy = fromConfig(serialize(bn)) as BatchNorm2d;
    expect(copy).toBeInstanceOf(BatchNorm2d);
    expect(copy.getConfig()).toEqual({ stepMode: 'm', numFeatures: 2, eps: 1e-3, momentum: null, affine: true, trackRunningStats: true });
    // A state dict as PyTorch would give it (float num_batches_tracked is cast to the buffer's dtype).
    copy.loadStateDict({ weight: tf.tensor1d([2, 3]), bias: tf.tensor1d([0, 1]), running_mean: tf.tensor1d([1, -1]), running_var: tf.tensor1d([4, 9]), num_batches_tracked: tf.scalar(7) });
    expect(values(copy.numBatchesTracked!)).toEqual([7]);
    copy.eval();
    const y = copy.call(tf.ones([1, 1, 2, 1, 1]));
    expect(maxAbsError(values(y), [2 * 0 / Math.sqrt(4.001) + 0, (3 * 2) / Math.sqrt(9.001) + 1])).toBeLessThan(1e-6);
    const td = fromConfig(serialize(new ThresholdDependentBatchNorm2d(2, { alpha: 0.5, vTh: 2 }))) as ThresholdDependentBatchNorm2d;
    expect(td.getConfig()).toMatchObject({ alpha: 0.5, vTh: 2, stepMode: 'm' });
    expect(values(td.weight!)).toEqual([1, 1]);
    tf.dispose(y);
    [net, bn, copy, td].forEach((m) => m.dispose());
  });

  it('keeps tf.memory().numTensors flat over 20 training steps and in eval', () => {
    for (const bn of [new BatchNorm2d(3), new BatchNorm1d(3, { momentum: null, stepMode: 'm' }), new ThresholdDependentBatchNorm2d(3)]) {
      const shape = bn instanceof BatchNorm1d ? [2, 4, 3, 5] : bn.stepMode === 'm' ? [2, 4, 3, 4, 4] : [4, 3, 4, 4];
      const x = tf.randomNormal(shape);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.forward(x))) as tf.Scalar);
        tf.tidy(() => {
          for (const p of bn.parameters()) p.assign(tf.sub(p, tf.mul(0.01, grads[p.name]!)));
        });
        tf.dispose([value, ...Object.values(grads)]);
        tf.dispose(bn.call(x));
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(values(bn.numBatchesTracked!)).toEqual([40]);
      bn.eval();
      tf.dispose(bn.call(x));
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      bn.dispose();
    }
  });

  it('ThresholdDependentBatchNorm2d: weight alpha * vTh, multi-step only, affine required', () => {
    const td = new ThresholdDependentBatchNorm2d(4, { alpha: 1 / Math.SQRT2, vTh: 0.5 });
    expect(maxAbsError(values(td.weight!), Array<number>(4).fill(0.5 / Math.SQRT2))).toBeLessThan(1e-7);
    expect(values(td.bias!)).toEqual([0, 0, 0, 0]);
    expect(td.stepMode).toBe('m');
    expect(td.supportedStepModes).toEqual(['m']);
    expect(() => (td.stepMode = 's')).toThrowError(StepModeError);
    expect(() => new ThresholdDependentBatchNorm2d(4, { stepMode: 's' })).toThrowError(StepModeError);
    expect(() => new ThresholdDependentBatchNorm2d(4, { affine: false })).toThrowError(/ThresholdDependentBatchNorm2d: 'affine' expected true/);
    expect(() => new ThresholdDependentBatchNorm2d(4, { alpha: Number.NaN })).toThrowError(ConfigError);
    expect(() => td.call(tf.zeros([2, 4, 3, 3]))).toThrowError(/'xSeq' expected rank 5.*\[T, N, C, H, W\]/);
    // setStepMode leaves it multi-step (it supports only 'm'), while a BatchNorm2d follows.
    const net = new Sequential(new BatchNorm2d(4, { stepMode: 'm' }), td);
    setStepMode(net, 's');
    expect((net.at(0) as BatchNorm2d).stepMode).toBe('s');
    expect(td.stepMode).toBe('m');
    net.dispose();
  });

  it('throws typed errors naming function, argument, expected and actual', () => {
    const bn2 = new BatchNorm2d(3);
    expect(() => bn2.call(tf.zeros([2, 4, 5, 5]))).toThrowError(ShapeError);
    expect(() => bn2.call(tf.zeros([2, 4, 5, 5]))).toThrowError(/BatchNorm2d\.forward: 'x' expected 3 channels \(numFeatures\) on axis 1 of \[N, C, H, W\], but got shape \[2, 4, 5, 5\]/);
    expect(() => bn2.call(tf.zeros([2, 3, 5]))).toThrowError(/BatchNorm2d\.forward: 'x' expected rank 4, but got rank 3 \(shape \[2, 3, 5\]\)/);
    bn2.stepMode = 'm';
    expect(() => bn2.call(tf.zeros([2, 2, 4, 5, 5]))).toThrowError(/'xSeq' expected 3 channels \(numFeatures\) on axis 2 of \[T, N, C, H, W\]/);
    expect(() => bn2.call(tf.zeros([2, 3, 5, 5]))).toThrowError(ShapeError);
    const bn1 = new BatchNorm1d(4);
    expect(() => bn1.call(tf.zeros([2, 4, 3, 3]))).toThrowError(/BatchNorm1d\.forward: 'x' expected rank in \{2, 3\}.*\[N, C\] or \[N, C, L\]/);
    expect(() => bn1.call(tf.zeros([2, 5]))).toThrowError(/expected 4 channels/);
    expect(() => bn1.call(tf.zeros([1, 4]))).toThrowError(/'x' expected more than 1 value per channel in training mode, but got shape \[1, 4\]/);
    bn1.eval();
    expect(bn1.call(tf.zeros([1, 4])).shape).toEqual([1, 4]);
    expect(() => new BatchNorm1d(0)).toThrowError(/BatchNorm1d: 'numFeatures' expected a positive integer/);
    expect(() => new BatchNorm2d(3, { eps: 0 })).toThrowError(/BatchNorm2d: 'eps' expected a finite number > 0, but got number 0/);
    expect(() => new BatchNorm2d(3, { eps: -1e-5 })).toThrowError(ConfigError);
    expect(() => new BatchNorm2d(3, { eps: Number.NaN })).toThrowError(ConfigError);
    expect(() => new BatchNorm2d(3, { momentum: 1.5 })).toThrowError(/BatchNorm2d: 'momentum' expected a number in \[0, 1\] or null, but got number 1.5/);
    expect(() => new BatchNorm2d(3, { momentum: -0.1 })).toThrowError(ConfigError);
    expect(() => new BatchNorm2d(3, { affine: 'yes' as unknown as boolean })).toThrowError(/'affine' expected a boolean/);
    expect(() => new BatchNorm2d(3, { stepMode: 'x' as 's' })).toThrowError(ConfigError);
    bn1.dispose();
    bn2.dispose();
  });
});
