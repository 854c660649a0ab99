// The event-driven spike matmul (src/ops/spike_matmul*.ts), on cpu and wasm: values and the
// gradients of both operands equal tf.matMul's (the composed path, fused kernels off) for binary
// inputs at several densities and for non-binary inputs; the counters show which branch ran (event
// for sparse binary input, dense for dense or non-binary input); forcing either branch gives the
// same numbers; finite differences agree with the gradient; memory stays flat.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShapeError, hasFusedKernel, listFusedKernels, setBackend, setFusedKernelsEnabled } from '@snnts/core';
import {
  SPIKE_MATMUL,
  SPIKE_MATMUL_GRAD_B,
  resetSpikeMatMulStats,
  setSpikeMatMulMode,
  spikeMatMul,
  spikeMatMulMaxDensity,
  spikeMatMulStats,
} from '@snnts/functional';
import { NODE_BACKENDS, maxMixedError, values } from '../../../test/helpers/golden.js';

const [M, K, N] = [48, 70, 300];

/** A binary `[M, K]` matrix with about `density` ones (exactly 0 or all ones at the ends). */
function spikes(density: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.less(tf.randomUniform([M, K], 0, 1, 'float32', seed), density), 'float32')) as tf.Tensor2D;
}

/** `t` with the value at flat index `i` replaced by `v` (disposes `t`). */
function withValue(t: tf.Tensor2D, i: number, v: number): tf.Tensor2D {
  const data = Float32Array.from(t.dataSync());
  data[i] = v;
  t.dispose();
  return tf.tensor2d(data, [M, K]);
}

/** Values and the gradients of `a` and `b` of `sum(spikeMatMul(a, b) * g)`. */
function evaluate(a: tf.Tensor2D, b: tf.Tensor2D, g: tf.Tensor2D): { y: number[]; da: number[]; db: number[] } {
  const y = spikeMatMul(a, b);
  const [da, db] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(spikeMatMul(x, w), g)))([a, b]);
  const out = { y: values(y), da: values(da!), db: values(db!) };
  tf.dispose([y, da!, db!]);
  return out;
}

/** The same computation with the fused kernels off: plain tf.matMul and its gradient. */
function composed(a: tf.Tensor2D, b: tf.Tensor2D, g: tf.Tensor2D): ReturnType<typeof evaluate> {
  const was = setFusedKernelsEnabled(false);
  try {
    return evaluate(a, b, g);
  } finally {
    setFusedKernelsEnabled(was);
  }
}

function expectClose(actual: ReturnType<typeof evaluate>, expected: ReturnType<typeof evaluate>): void {
  expect(maxMixedError(actual.y, expected.y)).toBeLessThan(1e-5);
  expect(maxMixedError(actual.da, expected.da)).toBeLessThan(1e-5);
  expect(maxMixedError(actual.db, expected.db)).toBeLessThan(1e-5);
}

describe.each(NODE_BACKENDS)('spikeMatMul on %s', (backend) => {
  let b: tf.Tensor2D;
  let g: tf.Tensor2D;
  beforeAll(async () => {
    await setBackend(backend);
    b = tf.randomNormal([K, N], 0, 0.3, 'float32', 1) as tf.Tensor2D;
    g = tf.randomNormal([M, N], 0, 1, 'float32', 2) as tf.Tensor2D;
  });
  afterEach(() => {
    setFusedKernelsEnabled(true);
    setSpikeMatMulMode('auto');
  });

  it('is registered for cpu and wasm in the fused-kernel registry', () => {
    for (const name of [SPIKE_MATMUL, SPIKE_MATMUL_GRAD_B]) {
      expect(listFusedKernels().find((k) => k.kernelName === name)?.backends).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    }
    expect(hasFusedKernel(SPIKE_MATMUL)).toBe(true);
  });

  it.each([0, 0.01, 0.1, 0.6, 1])('binary input at density %f: same values and gradients; event-driven when sparse, dense when dense on wasm', (density) => {
    const a = spikes(density, 3);
    resetSpikeMatMulStats();
    const fused = evaluate(a, b, g);
    const s = spikeMatMulStats();
    expectClose(fused, composed(a, b, g));
    // Two forward calls (the value, and the one inside tf.grads) and one b-gradient.
    expect([s.forwardEvent + s.forwardDense, s.gradEvent + s.gradDense]).toEqual([2, 1]);
    // Sparse spikes take the fast path. On wasm dense spikes go to XNNPACK; on cpu tfjs's matmul is
    // slower than the event loop at any density, so every binary input goes event-driven.
    if (density <= 0.01 || backend === 'cpu') expect([s.forwardEvent, s.gradEvent]).toEqual([2, 1]);
    if (density >= 0.6 && backend === 'wasm') expect([s.forwardDense, s.gradDense]).toEqual([2, 1]);
    a.dispose();
  });

  it.each([0.01, 0.1, 0.6, 1])('the event branch forced on at density %f gives the same numbers', (density) => {
    const a = spikes(density, 4);
    const expected = composed(a, b, g);
    setSpikeMatMulMode('event');
    resetSpikeMatMulStats();
    expectClose(evaluate(a, b, g), expected);
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 2, forwardDense: 0, gradEvent: 1, gradDense: 0 });
    setSpikeMatMulMode('dense');
    resetSpikeMatMulStats();
    expectClose(evaluate(a, b, g), expected);
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 0, forwardDense: 2, gradEvent: 0, gradDense: 1 });
    a.dispose();
  });

  it.each([
    ['dense normal', () => tf.randomNormal([M, K], 0, 1, 'float32', 5)],
    ['sparse, one value 0.5', () => tf.tidy(() => tf.where(tf.less(tf.randomUniform([M, K], 0, 1, 'float32', 6), 0.01), tf.fill([M, K], 0.5), tf.zeros([M, K])))],
    ['sparse binary but for one 2', () => withValue(spikes(0.01, 7), M * K - 1, 2)],
    ['sparse binary but for one -0', () => withValue(spikes(0.01, 8), 5, -0)],
    ['sparse binary but for one NaN', () => withValue(spikes(0.01, 9), 100, NaN)],
  ])('non-binary input (%s) takes the dense branch, forced or not, with the same numbers', (name, make) => {
    const a = make() as tf.Tensor2D;
    const expected = composed(a, b, g);
    const nan = name.endsWith('NaN');
    for (const mode of ['auto', 'event'] as const) {
      setSpikeMatMulMode(mode);
      resetSpikeMatMulStats();
      const got = evaluate(a, b, g);
      if (nan) expect([got.y, got.da, got.db].map((v) => v.filter(Number.isNaN).length)).toEqual([expected.y, expected.da, expected.db].map((v) => v.filter(Number.isNaN).length));
      else expectClose(got, expected);
      const s = spikeMatMulStats();
      expect(s).toMatchObject({ forwardEvent: 0, forwardDense: 2, gradEvent: 0, gradDense: 1 });
    }
    a.dispose();
  });

  it('grows its index buffers for many events (all ones, 120000 events)', () => {
    const a = tf.ones([300, 400]) as tf.Tensor2D;
    const w = tf.randomNormal([400, 8], 0, 1, 'float32', 12) as tf.Tensor2D;
    const gy = tf.randomNormal([300, 8], 0, 1, 'float32', 13) as tf.Tensor2D;
    const expected = composed(a, w, gy);
    setSpikeMatMulMode('event');
    resetSpikeMatMulStats();
    expectClose(evaluate(a, w, gy), expected);
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 2, gradEvent: 1, events: 3 * 120000 });
    tf.dispose([a, w, gy]);
  });

  it('its density limits: every binary input on cpu, by N on wasm, and the modes override them', () => {
    expect(spikeMatMulMaxDensity('forward', 10, 'cpu')).toBe(1);
    expect(spikeMatMulMaxDensity('forward', 10, 'wasm')).toBe(0); // the scan alone costs XNNPACK's product
    expect(spikeMatMulMaxDensity('forward', 1024, 'wasm')).toBeGreaterThan(0);
    expect(spikeMatMulMaxDensity('grad', 10, 'wasm')).toBeGreaterThan(0);
    expect(spikeMatMulMaxDensity('forward', 1024, 'webgl')).toBe(0);
    setSpikeMatMulMode('event');
    expect(spikeMatMulMaxDensity('forward', 10, 'wasm')).toBe(1);
    setSpikeMatMulMode('dense');
    expect(spikeMatMulMaxDensity('grad', 10, 'cpu')).toBe(0);
  });

  it('agrees with central finite differences (event-driven kernels)', () => {
    setSpikeMatMulMode('event');
    const a = spikes(0.02, 9);
    const loss = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(spikeMatMul(x, w), g));
    resetSpikeMatMulStats();
    const [da, db] = tf.grads(loss)([a, b]);
    expect(spikeMatMulStats()).toMatchObject({ forwardEvent: 1, forwardDense: 0, gradEvent: 1, gradDense: 0 });
    const h = 1e-2;
    const bump = (t: tf.Tensor, i: number, d: number) => tf.tidy(() => tf.add(t, tf.mul(tf.oneHot([i], t.size).reshape(t.shape), d)));
    const fd = (which: 'a' | 'b', i: number) => {
      const t = which === 'a' ? a : b;
      const [p, m] = [bump(t, i, h), bump(t, i, -h)];
      const f = (x: tf.Tensor) => tf.tidy(() => (which === 'a' ? loss(x, b) : loss(a, x)).dataSync()[0]!);
      const r = (f(p) - f(m)) / (2 * h);
      tf.dispose([p, m]);
      return r;
    };
    // Bumping b keeps a binary (event-driven forwards); bumping a does not (dense ones).
    for (const i of [0, 7 * N + 3, K * N - 1]) expect(fd('b', i)).toBeCloseTo(values(db!)[i]!, 2);
    for (const i of [0, 5 * K + 11]) expect(fd('a', i)).toBeCloseTo(values(da!)[i]!, 2);
    tf.dispose([a, da!, db!]);
  });

  it('keeps tf.memory().numTensors and the backend buffers flat over calls and gradient steps', () => {
    const a = spikes(0.02, 10);
    const w = tf.variable(b.clone());
    const step = () => {
      tf.dispose(spikeMatMul(a, w));
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(spikeMatMul(a, w), g)) as tf.Scalar, [w]);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    // Tensors, and the backend's buffers (the dense gradient branch frees its transposed copy).
    const count = () => [tf.memory().numTensors, tf.memory().numDataBuffers];
    const before = count();
    for (let i = 0; i < 5; i++) step();
    expect(count()).toEqual(before);
    setSpikeMatMulMode('dense');
    for (let i = 0; i < 3; i++) step();
    expect(count()).toEqual(before);
    tf.dispose([a, w]);
  });

  it("mode 'off' and disabled fused kernels run plain tf.matMul", async () => {
    const a = spikes(0.01, 11);
    for (const off of [() => setSpikeMatMulMode('off'), () => setFusedKernelsEnabled(false)]) {
      off();
      resetSpikeMatMulStats();
      const info = await tf.profile(() => tf.dispose(spikeMatMul(a, b)));
      expect(info.kernelNames).toContain('BatchMatMul');
      expect(info.kernelNames).not.toContain(SPIKE_MATMUL);
      expect(spikeMatMulStats().forwardEvent + spikeMatMulStats().forwardDense).toBe(0);
      setSpikeMatMulMode('auto');
      setFusedKernelsEnabled(true);
    }
    a.dispose();
  });

  it('rejects operands of the wrong rank or inner size with a ShapeError naming the argument', () => {
    expect(() => spikeMatMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(ShapeError);
    expect(() => spikeMatMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(/spikeMatMul.*'b'/);
    expect(() => spikeMatMul(tf.zeros([2, 2, 3]), tf.zeros([3, 5]))).toThrow(/spikeMatMul.*'a'/);
  });
});
