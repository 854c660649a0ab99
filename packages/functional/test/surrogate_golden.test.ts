/**
 * Surrogate spike functions against spikingjelly's golden data, on the cpu and wasm backends.
 *
 * The fixture `test/fixtures/golden/surrogates.json` was recorded from upstream spikingjelly
 * (commit afb1322, see its README) on the grid x = float32(k/10), k = -20..20:
 *
 * ```py
 * m = getattr(surrogate, cls)(**params)            # spiking=True
 * x = torch.arange(-20, 21).float().div(10).requires_grad_()
 * forward = m(x); forward.sum().backward(); grad = x.grad
 * primitive = getattr(surrogate, cls).primitive_function(x, **params)   # None if NotImplemented
 * ```
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, setBackend } from '@snnts/core';
import { DeterministicPass, getSurrogate } from '../src/surrogate/index.js';
import '../src/surrogate/register.js';

interface GoldenEntry {
  class: string;
  params: Record<string, number>;
  x: number[];
  forward: number[];
  grad: number[];
  primitive: number[] | null;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/golden/surrogates.json', import.meta.url), 'utf8'),
) as { entries: GoldenEntry[] };

/** spikingjelly keyword argument -> snnts option. The only name that changes is T_period. */
const PARAM_NAMES: Record<string, string> = {
  alpha: 'alpha',
  beta: 'beta',
  w: 'w',
  c: 'c',
  n: 'n',
  T_period: 'TPeriod',
  leak: 'leak',
  k: 'k',
};

function toOptions(params: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => {
      const name = PARAM_NAMES[k];
      if (name === undefined) throw new Error(`no snnts name for spikingjelly parameter '${k}'`);
      return [name, v];
    }),
  );
}

const label = (e: GoldenEntry) => `${e.class}(${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
const cases = golden.entries.map((e) => [label(e), e] as const);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= tol)) expect.fail(`index ${i}: got ${actual[i]}, expected ${expected[i]} (|diff| ${diff} > ${tol})`);
  }
}

describe.each(['cpu', 'wasm'])('surrogates vs spikingjelly golden data on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
    expect(tf.getBackend()).toBe(backend);
  });

  it('covers all 17 spikingjelly classes of the fixture', () => {
    expect(new Set(golden.entries.map((e) => e.class)).size).toBe(17);
  });

  it.each(cases)('%s', (_name, e) => {
    const sg = getSurrogate(e.class, toOptions(e.params));
    expect(sg.name).toBe(e.class);
    tf.tidy(() => {
      const x = tf.tensor1d(e.x);
      expect(Array.from(sg.apply(x).dataSync())).toEqual(e.forward);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
      expectClose(dx.dataSync(), e.grad, 1e-5);
      if (e.primitive === null) {
        expect(() => sg.primitive(x)).toThrow(ConfigError);
        expect(() => sg.primitive(x)).toThrow(new RegExp(`${e.class}\\.primitive: .*${e.class}, which has none`));
      } else {
        expectClose(sg.primitive(x).dataSync(), e.primitive, 1e-5);
      }
    });
  });

  it.each(cases)('%s with spiking: false', (_name, e) => {
    const opts = { ...toOptions(e.params), spiking: false };
    tf.tidy(() => {
      const x = tf.tensor1d(e.x);
      if (e.primitive !== null) {
        const sg = getSurrogate(e.class, opts);
        expect(sg.spiking).toBe(false);
        expectClose(sg.apply(x).dataSync(), e.primitive, 1e-5);
        expect(Array.from(sg.apply(x).dataSync())).toEqual(Array.from(sg.primitive(x).dataSync()));
      } else if (e.class === DeterministicPass.className) {
        // spikingjelly's DeterministicPass(spiking=False) is the identity, with gradient 1.
        const sg = getSurrogate(e.class, opts);
        expect(Array.from(sg.apply(x).dataSync())).toEqual(e.x);
        expectClose(tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x).dataSync(), e.grad, 0);
      } else {
        expect(() => getSurrogate(e.class, opts)).toThrow(ConfigError);
        expect(() => getSurrogate(e.class, opts)).toThrow(/'spiking' expected true/);
      }
    });
  });
});
