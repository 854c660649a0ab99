// Encoders against spikingjelly's definitions (activation_based.encoding, 0.0.0.0.14):
// LatencyEncoder ('linear': t_f = round((T-1)(1-x)); 'log': t_f = round(T-1 - ln(alpha x + 1)),
// alpha = e^(T-1) - 1; torch.round is half-to-even), WeightedPhaseEncoder (greedy binary digits
// with weights 2^-1..2^-K; the paper's K = 8 table), PoissonEncoder (rand <= x: firing-rate
// statistics, seeding). Stateful encoders: stepwise calls equal encode(), wrap after T, ignore
// later inputs until reset/resetNet, multi-step mode. Typed errors; flat tf.memory().
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, fromConfig, manualSeed, serialize, setBackend } from '@snnts/core';
import {
  LatencyEncoder,
  PoissonEncoder,
  WeightedPhaseEncoder,
  latencyEncode,
  poissonEncode,
  resetNet,
  weightedPhaseEncode,
} from '../src/index.js';
import { NODE_BACKENDS, values } from '../../../test/helpers/golden.js';

/** The step at which each element of a one-spike-per-element sequence `[T, ...]` fires. */
function firingSteps(seq: tf.Tensor): number[] {
  const [T] = seq.shape as [number];
  const v = values(seq);
  const n = v.length / T;
  return Array.from({ length: n }, (_, i) => {
    const ts = Array.from({ length: T }, (_, t) => t).filter((t) => v[t * n + i] === 1);
    expect(ts).toHaveLength(1);
    return ts[0]!;
  });
}

/** Expected `[T, n]` one-hot sequence from firing steps. */
function oneHot(steps: number[], T: number): number[] {
  return Array.from({ length: T }, (_, t) => steps.map((s) => (s === t ? 1 : 0))).flat();
}

describe.each(NODE_BACKENDS)('encoders on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  describe('latencyEncode', () => {
    it("'linear': one spike per element at round((T-1)(1-x))", () => {
      // T = 5: (T-1)(1-x) = 4, 3, 2, 1, 0.
      const s = latencyEncode([0, 0.25, 0.5, 0.75, 1], 5);
      expect(s.shape).toEqual([5, 5]);
      expect(values(s)).toEqual(oneHot([4, 3, 2, 1, 0], 5));
      expect(s.dtype).toBe('float32');
    });

    it("'linear' rounds ties half-to-even like torch.round", () => {
      // 3 * 0.5 = 1.5 -> 2; 2 * 0.75 = 1.5 -> 2; 2 * 0.25 = 0.5 -> 0; 4 * 0.875 = 3.5 -> 4; 4 * 0.625 = 2.5 -> 2.
      expect(firingSteps(latencyEncode([0.5], 4))).toEqual([2]);
      expect(firingSteps(latencyEncode([0.25, 0.75], 3))).toEqual([2, 0]);
      expect(firingSteps(latencyEncode([0.125, 0.375], 5))).toEqual([4, 2]);
    });

    it("'log': t_f = round(T-1 - ln((e^(T-1) - 1) x + 1))", () => {
      // T = 4: t_f(1) = 0, t_f(0) = 3, 1.932 -> 2, 0.645 -> 1, 2.677 -> 3, 2.330 -> 2.
      const s = latencyEncode([[1, 0, 0.1], [0.5, 0.02, 0.05]], 4, { encType: 'log' });
      expect(s.shape).toEqual([4, 2, 3]);
      expect(firingSteps(s)).toEqual([0, 3, 2, 1, 3, 2]);
    });

    it("'log' stays finite for T - 1 > 88 (where alpha overflows float32)", () => {
      // T = 100: 0, 99, ln 2 = 0.693 -> 1, 99 - ln(e^99 1e-20) = 46.05 -> 46, 1e-30 -> 69.08 -> 69.
      const s = latencyEncode([1, 0, 0.5, 1e-20, 1e-30], 100, { encType: 'log' });
      expect(firingSteps(s)).toEqual([0, 99, 1, 46, 69]);
    });

    it('T = 1 fires everything at step 0; a scalar input gives [T]', () => {
      expect(values(latencyEncode([0, 0.3, 1], 1))).toEqual([1, 1, 1]);
      expect(values(latencyEncode([0, 1], 1, { encType: 'log' }))).toEqual([1, 1]);
      expect(values(latencyEncode(0.5, 3))).toEqual([0, 1, 0]);
    });

    it('rejects bad input, T and encType with named typed errors', () => {
      expect(() => latencyEncode([0.5, 1.5], 4)).toThrowError(ShapeError);
      expect(() => latencyEncode([0.5, 1.5], 4)).toThrowError(/latencyEncode: 'x' expected intensities in \[0, 1\], but got values in \[0\.5, 1\.5\]/);
      expect(() => latencyEncode([-0.1], 4)).toThrowError(/values in \[-0\.1/);
      expect(() => latencyEncode([NaN], 4)).toThrowError(/latencyEncode: 'x' expected intensities in \[0, 1\], but got NaN values/);
      expect(() => latencyEncode([0.5], 0)).toThrowError(/latencyEncode: 'T' expected a positive integer, but got number 0/);
      expect(() => latencyEncode([0.5], 2.5)).toThrowError(ConfigError);
      expect(() => latencyEncode([0.5], 4, { encType: 'exp' as 'log' })).toThrowError(/latencyEncode: 'encType' expected one of \['linear', 'log'\], but got "exp"/);
      expect(() => new LatencyEncoder(4, { encType: 'exp' as 'log' })).toThrowError(/LatencyEncoder: 'encType'/);
      expect(() => new LatencyEncoder(0)).toThrowError(/LatencyEncoder: 'T' expected a positive integer/);
    });
  });

  describe('weightedPhaseEncode', () => {
    it("reproduces the paper's K = 8 table (192/256, 1/256, 128/256, 255/256)", () => {
      const s = weightedPhaseEncode([192 / 256, 1 / 256, 128 / 256, 255 / 256], 8);
      expect(s.shape).toEqual([8, 4]);
      const v = values(s);
      const column = (i: number) => Array.from({ length: 8 }, (_, k) => v[k * 4 + i]);
      expect(column(0)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
      expect(column(1)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
      expect(column(2)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
      expect(column(3)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it('the weighted spike sum reconstructs every multiple of 2^-K exactly, and truncates others', () => {
      const K = 6;
      const xs = Array.from({ length: 64 }, (_, i) => i / 64);
      const s = weightedPhaseEncode(xs, K);
      const weights = tf.tensor(Array.from({ length: K }, (_, k) => 2 ** -(k + 1)), [K, 1]);
      expect(values(tf.sum(tf.mul(s, weights), 0))).toEqual(xs);
      // 0.3 = 0.0100110...b -> first 4 digits 0, 1, 0, 0; 0.9 = 0.1110011...b -> 1, 1, 1, 0.
      expect(values(weightedPhaseEncode([0.3, 0.9], 4))).toEqual([0, 1, 1, 1, 0, 1, 0, 0]);
      weights.dispose();
    });

    it('rejects values outside [0, 1 - 2^-K] with a named ShapeError', () => {
      expect(() => weightedPhaseEncode([1], 8)).toThrowError(ShapeError);
      expect(() => weightedPhaseEncode([1], 8)).toThrowError(/weightedPhaseEncode: 'x' expected values in \[0, 1 - 2\^-8\] = \[0, 0\.99609375\], but got values in \[1, 1\]/);
      expect(() => weightedPhaseEncode([0.5, -0.25], 3)).toThrowError(/values in \[-0\.25, 0\.5\]/);
      expect(values(weightedPhaseEncode([0.875], 3))).toEqual([1, 1, 1]);
      expect(() => weightedPhaseEncode([0.5], 0)).toThrowError(/weightedPhaseEncode: 'K' expected a positive integer/);
      expect(() => new WeightedPhaseEncoder(-1)).toThrowError(/WeightedPhaseEncoder: 'K'/);
    });
  });

  describe('stateful encoders (LatencyEncoder, WeightedPhaseEncoder)', () => {
    it('stepwise calls equal encode(x) slices, then wrap around after T', () => {
      const x = tf.tensor([[0.9375, 0.4, 0], [0.5, 0.75, 0.2]]);
      for (const enc of [new LatencyEncoder(4), new LatencyEncoder(4, { encType: 'log' }), new WeightedPhaseEncoder(4)]) {
        const whole = enc.encode(x);
        expect(whole.shape).toEqual([4, 2, 3]);
        const expected = tf.tidy(() => tf.unstack(whole).map(values));
        expect(enc.spike).toBeNull();
        for (let k = 0; k < 10; k++) {
          expect(enc.t).toBe(k % 4);
          const y = enc.call(x);
          expect(values(y)).toEqual(expected[k % 4]);
          y.dispose();
        }
        expect(enc.spike?.shape).toEqual([4, 2, 3]);
        whole.dispose();
        enc.dispose();
      }
      x.dispose();
    });

    it('ignore later inputs until reset; resetNet restarts and re-encodes', () => {
      const enc = new LatencyEncoder(3);
      expect(values(enc.call([1, 0]))).toEqual([1, 0]); // t_f = 0, 2
      expect(values(enc.call([0, 1]))).toEqual([0, 0]); // still the first input, step 1
      expect(values(enc.call([0, 1]))).toEqual([0, 1]); // step 2
      resetNet(enc);
      expect(enc.t).toBe(0);
      expect(enc.spike).toBeNull();
      expect(values(enc.call([0, 1]))).toEqual([0, 1]); // the new input, step 0
      expect(() => enc.call([1, 0, 1])).toThrowError(ShapeError);
      expect(() => enc.call([1, 0, 1])).toThrowError(/LatencyEncoder\.singleStepForward: 'x' expected shape \[2\].*Call resetNet/);
      enc.dispose();
    });

    it("in 'm' mode encode the first element of the sequence and return T' steps (spikingjelly's loop)", () => {
      const enc = new WeightedPhaseEncoder(3, { stepMode: 'm' });
      const xSeq = tf.tensor([[0.75], [0.125], [0.5], [0.25]]); // [4, 1]
      const y = enc.call(xSeq);
      // 0.75 = 0.110b: phases 1, 1, 0, then wraps to phase 0 again.
      expect(y.shape).toEqual([4, 1]);
      expect(values(y)).toEqual([1, 1, 0, 1]);
      tf.dispose([xSeq, y]);
      enc.dispose();
    });

    it('round-trip through serialize / fromConfig', () => {
      const lat = fromConfig(serialize(new LatencyEncoder(7, { encType: 'log', stepMode: 'm' }))) as LatencyEncoder;
      expect([lat.T, lat.encType, lat.stepMode]).toEqual([7, 'log', 'm']);
      const wp = fromConfig(serialize(new WeightedPhaseEncoder(5))) as WeightedPhaseEncoder;
      expect([wp.K, wp.T, wp.className]).toEqual([5, 5, 'WeightedPhaseEncoder']);
      expect(serialize(wp).config).toEqual({ stepMode: 's', K: 5 });
    });

    it('keep tf.memory() flat over steps, resets and dispose', () => {
      const enc = new LatencyEncoder(5);
      const wp = new WeightedPhaseEncoder(5);
      const x = tf.tensor([[0.1, 0.6, 0.9]]);
      const start = tf.memory().numTensors;
      for (let k = 0; k < 60; k++) {
        tf.dispose([enc.call(x), wp.call(x)]);
        if (k % 7 === 6) resetNet(enc);
        if (k === 30) wp.reset();
      }
      resetNet(enc);
      wp.reset();
      expect(tf.memory().numTensors).toBe(start);
      for (let k = 0; k < 20; k++) tf.dispose([latencyEncode(x, 8), weightedPhaseEncode(x, 8), enc.encode(x)]);
      expect(tf.memory().numTensors).toBe(start);
      enc.call(x).dispose();
      enc.dispose();
      expect(tf.memory().numTensors).toBe(start);
      x.dispose();
    });
  });

  describe('PoissonEncoder', () => {
    it('fires with probability x (mean rate within 5 sd on a large tensor) and is binary', () => {
      manualSeed(2024);
      const p = [0, 0.05, 0.3, 0.5, 0.8, 1];
      const n = 20000;
      const x = tf.tile(tf.tensor(p, [1, p.length]), [n, 1]); // [n, 6]
      const enc = new PoissonEncoder();
      const s = enc.call(x);
      expect(s.shape).toEqual([n, p.length]);
      expect(values(s).every((v) => v === 0 || v === 1)).toBe(true);
      const rate = values(tf.mean(s, 0));
      p.forEach((pi, i) => expect(Math.abs(rate[i]! - pi)).toBeLessThanOrEqual(5 * Math.sqrt((pi * (1 - pi)) / n) + 1e-9));
      expect([rate[0], rate[5]]).toEqual([0, 1]);
      // encode(x, T): T independent draws; the whole-tensor rate matches the mean intensity.
      const seq = enc.encode(tf.fill([50, 40], 0.25), 20);
      expect(seq.shape).toEqual([20, 50, 40]);
      expect(Math.abs(values(tf.mean(seq))[0]! - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / 40000));
      tf.dispose([x, s, seq]);
    });

    it('is deterministic for a seed (own stream or manualSeed) and draws fresh spikes per call', () => {
      const x = tf.fill([4, 8], 0.5);
      const a = new PoissonEncoder({ seed: 3 });
      const b = new PoissonEncoder({ seed: 3 });
      const [a1, a2, b1, b2] = [a.call(x), a.call(x), b.call(x), b.call(x)].map(values);
      expect(a1).toEqual(b1);
      expect(a2).toEqual(b2);
      expect(a1).not.toEqual(a2);
      manualSeed(9);
      const g1 = values(new PoissonEncoder().encode(x, 3));
      manualSeed(9);
      const g2 = values(new PoissonEncoder().encode(x, 3));
      expect(g1).toEqual(g2);
      // The class and the function draw from the same global stream.
      manualSeed(9);
      expect(values(poissonEncode(x, { T: 3 }))).toEqual(g1);
      x.dispose();
    });

    it('rejects out-of-range input and a bad seed with named errors, and leaks nothing', () => {
      const enc = new PoissonEncoder();
      expect(() => enc.call([0.5, 1.2])).toThrowError(ShapeError);
      expect(() => enc.call([0.5, 1.2])).toThrowError(/PoissonEncoder\.call: 'x' expected intensities in \[0, 1\], but got values in \[0\.5, 1\.2\]/);
      expect(() => enc.encode([0.5], 0)).toThrowError(/PoissonEncoder\.encode: 'T' expected a positive integer/);
      expect(() => new PoissonEncoder({ seed: 1.5 })).toThrowError(/PoissonEncoder: 'seed' expected an integer/);
      const x = tf.fill([3, 3], 0.4);
      const start = tf.memory().numTensors;
      for (let k = 0; k < 50; k++) tf.dispose([enc.call(x), enc.encode(x, 4)]);
      expect(tf.memory().numTensors).toBe(start);
      x.dispose();
    });
  });
});
