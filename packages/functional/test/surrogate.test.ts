/**
 * Properties of the surrogate spike functions, on the cpu and wasm backends: each gradient is the
 * autograd derivative of its own primitive (away from kinks), FastSigmoid matches its closed
 * form, the registry builds surrogates by name and rejects unknown names and options, options are
 * validated, and repeated use leaks no tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, setBackend } from '@snnts/core';
import {
  ATan,
  DeterministicPass,
  Erf,
  FakeNumericalGradient,
  FastSigmoid,
  LeakyKReLU,
  LogTailedReLU,
  NonzeroSignLogAbs,
  PiecewiseExp,
  PiecewiseLeakyReLU,
  PiecewiseQuadratic,
  QPseudoSpike,
  Rect,
  S2NN,
  Sigmoid,
  SoftSign,
  SquarewaveFourierSeries,
  SuperSpike,
  getSurrogate,
  listSurrogates,
  type SurrogateFunction,
} from '../src/surrogate/index.js';
import '../src/surrogate/register.js';

/** Every surrogate with a primitive, with the x values where its gradient has a kink. */
const WITH_PRIMITIVE: [SurrogateFunction, number[]][] = [
  [new ATan(), [0]],
  [new ATan({ alpha: 4 }), [0]],
  [new Sigmoid(), [0]],
  [new Sigmoid({ alpha: 1.5 }), [0]],
  [new PiecewiseQuadratic(), [0, -1, 1]],
  [new PiecewiseQuadratic({ alpha: 2 }), [0, -0.5, 0.5]],
  [new PiecewiseExp(), [0]],
  [new PiecewiseExp({ alpha: 3 }), [0]],
  [new SoftSign(), [0]],
  [new SoftSign({ alpha: 0.5 }), [0]],
  [new Erf(), [0]],
  [new Erf({ alpha: 0.75 }), [0]],
  [new NonzeroSignLogAbs(), [0]],
  [new NonzeroSignLogAbs({ alpha: 5 }), [0]],
  [new PiecewiseLeakyReLU(), [-1, 1]],
  [new PiecewiseLeakyReLU({ w: 0.5, c: 0 }), [-0.5, 0.5]],
  [new SquarewaveFourierSeries(), [0]],
  [new SquarewaveFourierSeries({ n: 5, TPeriod: 4 }), [0]],
  [new S2NN(), [0]],
  [new S2NN({ alpha: 2, beta: 0.5 }), [0]],
  [new QPseudoSpike(), [0]],
  [new QPseudoSpike({ alpha: 3.5 }), [0]],
  [new LeakyKReLU(), [0]],
  [new LeakyKReLU({ leak: 0.1, k: 0.5 }), [0]],
  [new LogTailedReLU(), [0, 1]],
  [new LogTailedReLU({ alpha: 0.1 }), [0, 1]],
  [new Rect(), [-0.5, 0.5]],
  [new Rect({ alpha: 0.4 }), [-1.25, 1.25]],
  [new FastSigmoid(), [0]],
  [new FastSigmoid({ alpha: 2 }), [0]],
];

/** Every class, for the registry and memory checks. */
const ALL: SurrogateFunction[] = [
  ...WITH_PRIMITIVE.map(([sg]) => sg),
  new SuperSpike(),
  new FakeNumericalGradient(),
  new DeterministicPass(),
  new DeterministicPass({ spiking: false }),
  new Sigmoid({ spiking: false }),
];

/** A dense grid on [-3, 3] at an awkward offset, without the points within 2e-3 of a kink. */
function gridAwayFrom(kinks: number[]): number[] {
  const xs: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const x = -3 + 0.00537 + i * 0.005;
    if (kinks.every((k) => Math.abs(x - k) > 2e-3)) xs.push(x);
  }
  return xs;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.each(['cpu', 'wasm'])('surrogate properties on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
    expect(tf.getBackend()).toBe(backend);
  });

  it.each(WITH_PRIMITIVE.map(([sg, kinks]) => [sg.toString(), sg, kinks] as const))(
    '%s: grad is the autograd derivative of primitive',
    (_name, sg, kinks) => {
      tf.tidy(() => {
        const x = tf.tensor1d(gridAwayFrom(kinks));
        const auto = tf.grad((t: tf.Tensor) => tf.sum(sg.primitive(t)))(x);
        const spiking = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
        expect(maxAbsDiff(auto.dataSync(), sg.grad(x).dataSync())).toBeLessThan(1e-4);
        expect(maxAbsDiff(spiking.dataSync(), sg.grad(x).dataSync())).toBe(0);
      });
    },
  );

  it('FastSigmoid matches its closed form and snnTorch default slope 25', () => {
    expect(new FastSigmoid().alpha).toBe(25);
    const xs = [-2, -0.3, -0.04, -1e-3, 0, 1e-3, 0.04, 0.3, 2].map(Math.fround);
    for (const alpha of [25, 2, 0.5]) {
      const sg = new FastSigmoid({ alpha });
      tf.tidy(() => {
        const x = tf.tensor1d(xs);
        const dx = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x).dataSync();
        const p = sg.primitive(x).dataSync();
        xs.forEach((v, i) => {
          expect(dx[i]).toBeCloseTo(1 / (1 + alpha * Math.abs(v)) ** 2, 6);
          expect(p[i]).toBeCloseTo(0.5 + v / (1 + alpha * Math.abs(v)), 6);
        });
        expect(Array.from(sg.apply(x).dataSync())).toEqual(xs.map((v) => (v >= 0 ? 1 : 0)));
      });
    }
  });

  it('accepts numeric arrays and non-float tensors', () => {
    const sg = new ATan();
    tf.tidy(() => {
      expect(Array.from(sg.apply([-1, 0, 2]).dataSync())).toEqual([0, 1, 1]);
      const y = sg.apply(tf.tensor1d([-1, 0, 2], 'int32'));
      expect(y.dtype).toBe('float32');
      expect(Array.from(y.dataSync())).toEqual([0, 1, 1]);
    });
    expect(() => sg.apply({} as tf.Tensor)).toThrow(ShapeError);
    expect(() => sg.apply({} as tf.Tensor)).toThrow(/ATan\.apply: 'x'/);
  });

  it('treats NaN as spikingjelly does', () => {
    // Forward: NaN >= 0 is false, so no spike. Smooth gradients propagate NaN; comparison-based
    // ones follow their comparison (Rect: |NaN| < 0.5/α is false, so 0).
    const cases: [SurrogateFunction, number][] = [
      [new ATan(), NaN],
      [new Sigmoid(), NaN],
      [new Erf(), NaN],
      [new S2NN(), NaN],
      [new Rect(), 0],
    ];
    for (const [sg, expected] of cases) {
      tf.tidy(() => {
        const x = tf.tensor1d([NaN, 0.5]);
        expect(sg.apply(x).dataSync()[0]).toBe(0);
        const dx = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
        expect(dx.dataSync()[0]).toBe(expected);
      });
    }
  });

  it.each(ALL.map((sg) => [sg.toString(), sg] as const))('%s leaks no tensors', (_name, sg) => {
    const x = tf.tensor2d([[-1.2, -0.1, 0, 0.3], [0.9, 1.5, -2, 0.05]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const y = sg.apply(x);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
      const g = sg.grad(x);
      y.dispose();
      dx.dispose();
      g.dispose();
      if (!(sg instanceof DeterministicPass || sg instanceof SuperSpike || sg instanceof FakeNumericalGradient)) {
        sg.primitive(x).dispose();
      }
      tf.tidy(() => {
        tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('surrogate registry', () => {
  const names = [
    'ATan', 'DeterministicPass', 'Erf', 'FakeNumericalGradient', 'FastSigmoid', 'LeakyKReLU', 'LogTailedReLU',
    'NonzeroSignLogAbs', 'PiecewiseExp', 'PiecewiseLeakyReLU', 'PiecewiseQuadratic', 'QPseudoSpike', 'Rect', 'S2NN',
    'Sigmoid', 'SoftSign', 'SquarewaveFourierSeries', 'SuperSpike',
  ];

  it('registers every class under its className', () => {
    expect(listSurrogates()).toEqual(expect.arrayContaining(names));
    for (const sg of ALL) {
      const rebuilt = getSurrogate(sg.name, sg.getConfig());
      expect(rebuilt.constructor).toBe(sg.constructor);
      expect(rebuilt.getConfig()).toEqual(sg.getConfig());
    }
  });

  it('builds by name with options', () => {
    const sg = getSurrogate('SquarewaveFourierSeries', { n: 5, TPeriod: 4 });
    expect(sg).toBeInstanceOf(SquarewaveFourierSeries);
    expect(sg.getConfig()).toEqual({ n: 5, TPeriod: 4, spiking: true });
    expect(sg.toString()).toBe('SquarewaveFourierSeries(n=5, TPeriod=4)');
    expect(getSurrogate('Sigmoid').getConfig()).toEqual({ alpha: 4, spiking: true });
  });

  it('throws a ConfigError listing the names for an unknown name', () => {
    expect(() => getSurrogate('Atan')).toThrow(ConfigError);
    try {
      getSurrogate('Atan');
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/^getSurrogate: 'name' expected one of \[/);
      expect(msg).toContain("but got 'Atan'");
      for (const n of names) expect(msg).toContain(n);
    }
  });

  it('throws a ConfigError for an unknown option', () => {
    expect(() => getSurrogate('ATan', { alhpa: 3 })).toThrow(ConfigError);
    expect(() => getSurrogate('ATan', { alhpa: 3 })).toThrow(/options of ATan among \[alpha, spiking\], but got unknown \[alhpa\]/);
    expect(() => getSurrogate('SquarewaveFourierSeries', { T_period: 4 })).toThrow(/unknown \[T_period\]/);
  });
});

describe('surrogate option validation', () => {
  it.each([
    ['Rect alpha 0', () => new Rect({ alpha: 0 }), /Rect: 'alpha' expected a number > 0, but got number 0/],
    ['PiecewiseLeakyReLU w -1', () => new PiecewiseLeakyReLU({ w: -1 }), /PiecewiseLeakyReLU: 'w'/],
    ['SquarewaveFourierSeries n 2.5', () => new SquarewaveFourierSeries({ n: 2.5 }), /'n' expected a positive integer/],
    ['SquarewaveFourierSeries TPeriod 0', () => new SquarewaveFourierSeries({ TPeriod: 0 }), /'TPeriod' expected a number > 0/],
    ['QPseudoSpike alpha 1', () => new QPseudoSpike({ alpha: 1 }), /QPseudoSpike: 'alpha' expected a number > 1/],
    ['SoftSign alpha -2', () => new SoftSign({ alpha: -2 }), /SoftSign: 'alpha'/],
    ['ATan alpha NaN', () => new ATan({ alpha: NaN }), /ATan: 'alpha' expected a finite number/],
    ['Sigmoid alpha string', () => new Sigmoid({ alpha: '4' as unknown as number }), /Sigmoid: 'alpha' expected a finite number, but got string 4/],
    ['spiking not a boolean', () => new Erf({ spiking: 1 as unknown as boolean }), /Erf: 'spiking' expected a boolean/],
    ['SuperSpike not spiking', () => new SuperSpike({ spiking: false }), /SuperSpike: 'spiking' expected true/],
    ['FakeNumericalGradient not spiking', () => new FakeNumericalGradient({ spiking: false }), /FakeNumericalGradient: 'spiking' expected true/],
  ])('%s throws a ConfigError', (_name, make, message) => {
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('uses spikingjelly defaults', () => {
    expect(new ATan().alpha).toBe(2);
    expect(new Sigmoid().alpha).toBe(4);
    expect(new PiecewiseQuadratic().alpha).toBe(1);
    expect(new PiecewiseExp().alpha).toBe(1);
    expect(new SoftSign().alpha).toBe(2);
    expect(new SuperSpike().alpha).toBe(1);
    expect(new Erf().alpha).toBe(2);
    expect(new NonzeroSignLogAbs().alpha).toBe(1);
    expect(new PiecewiseLeakyReLU().params()).toEqual({ w: 1, c: 0.01 });
    expect(new SquarewaveFourierSeries().params()).toEqual({ n: 2, TPeriod: 8 });
    expect(new S2NN().params()).toEqual({ alpha: 4, beta: 1 });
    expect(new QPseudoSpike().alpha).toBe(2);
    expect(new LeakyKReLU().params()).toEqual({ leak: 0, k: 1 });
    expect(new FakeNumericalGradient().alpha).toBe(0.3);
    expect(new LogTailedReLU().alpha).toBe(0);
    expect(new Rect().alpha).toBe(1);
    expect(new DeterministicPass().params()).toEqual({});
  });
});
