// The typed errors of @snnts/core (STYLE rule 11) and the argument checks that throw them
// (rule 10): each class sets `name`, keeps its structured fields, and phrases its message the one
// way `fn: 'arg' expected X, but got Y.`; the assert helpers name the function and argument.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  ArgError,
  BackendError,
  ConfigError,
  ShapeError,
  SnnError,
  StateDictError,
  StepModeError,
  UnsupportedOpError,
  assertNumber,
  assertPositiveInt,
  assertRank,
  assertShape,
  describeValue,
  toTensor,
} from '../src/index.js';

/** Catches what `f` throws (and fails the test when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('error classes', () => {
  it.each([
    ['ShapeError', ShapeError],
    ['StepModeError', StepModeError],
    ['ConfigError', ConfigError],
  ] as const)('%s: name, fields and `fn: \'arg\' expected X, but got Y.`', (name, Cls) => {
    const e = new Cls('lifStep', 'x', 'shape [N, F]', 'shape [3]');
    expect(e).toBeInstanceOf(Cls);
    expect(e).toBeInstanceOf(ArgError);
    expect(e).toBeInstanceOf(SnnError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.fn).toBe('lifStep');
    expect(e.arg).toBe('x');
    expect(e.expected).toBe('shape [N, F]');
    expect(e.actual).toBe('shape [3]');
    expect(e.message).toBe("lifStep: 'x' expected shape [N, F], but got shape [3].");
    expect(e.stack).toContain(name);
    // The hint is appended after the sentence, separated by one space.
    const h = new Cls('LIFNode', 'tau', 'a number > 1', 'number 0.5', 'tau is a time constant.');
    expect(h.message).toBe("LIFNode: 'tau' expected a number > 1, but got number 0.5. tau is a time constant.");
    expect(String(h)).toBe(`${name}: ${h.message}`);
  });

  it('BackendError names the function, the backend, the reason and what to install', () => {
    const e = new BackendError('setBackend', 'tensorflow', 'not installed', 'Install @tensorflow/tfjs-node.');
    expect(e).toBeInstanceOf(SnnError);
    expect(e.name).toBe('BackendError');
    expect([e.fn, e.backend, e.reason]).toEqual(['setBackend', 'tensorflow', 'not installed']);
    expect(e.message).toBe("setBackend: backend 'tensorflow' is unavailable: not installed. Install @tensorflow/tfjs-node.");
    expect(new BackendError('setBackend', 'x', 'why').message).toBe("setBackend: backend 'x' is unavailable: why.");
  });

  it('StateDictError lists missing, unexpected and mismatched keys, each only when present', () => {
    const e = new StateDictError('Net.loadStateDict', ['0.weight', '0.bias'], ['0.w'], ['1.weight: expected [2], got [3]']);
    expect(e).toBeInstanceOf(SnnError);
    expect(e.name).toBe('StateDictError');
    expect(e.fn).toBe('Net.loadStateDict');
    expect(e.missing).toEqual(['0.weight', '0.bias']);
    expect(e.unexpected).toEqual(['0.w']);
    expect(e.mismatched).toEqual(['1.weight: expected [2], got [3]']);
    expect(e.message).toBe(
      "Net.loadStateDict: 'stateDict' expected exactly the module's keys and shapes, but got " +
        'missing keys [0.weight, 0.bias], unexpected keys [0.w], shape mismatches [1.weight: expected [2], got [3]].',
    );
    const only = new StateDictError('M.loadStateDict', [], ['extra'], []);
    expect(only.message).toBe("M.loadStateDict: 'stateDict' expected exactly the module's keys and shapes, but got unexpected keys [extra].");
    expect(only.message).not.toMatch(/missing|mismatch/);
  });

  it('UnsupportedOpError names the op and lists what is supported', () => {
    const e = new UnsupportedOpError('annFromOnnx', 'Softplus', ['Relu', 'Gemm'], 'opset 13');
    expect(e).toBeInstanceOf(SnnError);
    expect(e.name).toBe('UnsupportedOpError');
    expect([e.fn, e.op, e.supported]).toEqual(['annFromOnnx', 'Softplus', ['Relu', 'Gemm']]);
    expect(e.message).toBe("annFromOnnx: op 'Softplus' is not supported (opset 13); supported: Relu, Gemm.");
    expect(new UnsupportedOpError('f', 'X', ['A']).message).toBe("f: op 'X' is not supported; supported: A.");
  });

  it('SnnError itself is a plain named Error', () => {
    const e = new SnnError('boom');
    expect(e.name).toBe('SnnError');
    expect(e.message).toBe('boom');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('argument checks', () => {
  it('toTensor passes tensors through and converts numeric arrays to float32', () => {
    const t = tf.tensor([1, 2], [2], 'int32');
    expect(toTensor(t, 'x', 'f')).toBe(t);
    const c = toTensor([[1, 2], [3, 4]], 'x', 'f');
    expect(c.dtype).toBe('float32');
    expect(c.shape).toEqual([2, 2]);
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3, 4]);
    const s = toTensor(2.5, 'x', 'f');
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(2.5);
    expect(toTensor(new Float32Array([1, 2, 3]), 'x', 'f').shape).toEqual([3]);
    tf.dispose([t, c, s]);
  });

  it('toTensor rejects non-numeric and ragged input with a ShapeError naming fn and arg', () => {
    for (const bad of [undefined, null, 'abc', {}, []]) {
      const e = thrown(() => toTensor(bad, 'x', 'lifStep')) as ShapeError;
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.fn).toBe('lifStep');
      expect(e.arg).toBe('x');
      expect(e.message).toMatch(/^lifStep: 'x' expected a tf\.Tensor or a non-empty numeric array, but got .+\.$/);
    }
    expect(thrown(() => toTensor(null, 'x', 'f')).message).toBe("f: 'x' expected a tf.Tensor or a non-empty numeric array, but got null.");
  });

  it('toTensor rejects ragged arrays (tfjs itself only checks them in DEBUG mode) and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const ragged = thrown(() => toTensor([[1, 2], [3]], 'v', 'g')) as ShapeError;
    expect(ragged).toBeInstanceOf(ShapeError);
    expect(ragged.message).toBe("g: 'v' expected a rectangular numeric array, but got a ragged array (first row shape [2, 2]).");
    // Same element count as the inferred shape [3, 2], still ragged.
    expect(() => toTensor([[1, 2], [3], [4, 5, 6]], 'v', 'g')).toThrowError(/expected a rectangular numeric array/);
    expect(() => toTensor([[[1], [2]], [[3], [4, 5]]], 'v', 'g')).toThrowError(ShapeError);
    expect(() => toTensor([[1, 2], 3], 'v', 'g')).toThrowError(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    // Nested typed arrays are rectangular too.
    const t = toTensor([new Float32Array([1, 2]), new Float32Array([3, 4])], 'v', 'g');
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    t.dispose();
  });

  it('describeValue says what a value is', () => {
    const t = tf.zeros([2, 3]);
    expect(describeValue(t)).toBe('a tensor of shape [2, 3]');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(0.5)).toBe('number 0.5');
    expect(describeValue(new Map())).toBe('an object (Map)');
    t.dispose();
  });

  it('assertRank and assertShape throw ShapeErrors with expected and actual shapes', () => {
    const x = tf.zeros([2, 3]);
    expect(() => assertRank(x, [2], 'x', 'f')).not.toThrow();
    expect(() => assertShape(x, [-1, 3], 'x', 'f')).not.toThrow();
    expect(thrown(() => assertRank(x, [3], 'x', 'Linear.forward')).message).toBe(
      "Linear.forward: 'x' expected rank 3, but got rank 2 (shape [2, 3]).",
    );
    expect(thrown(() => assertRank(x, [3, 4], 'x', 'f', 'Use [T, N, ...].')).message).toBe(
      "f: 'x' expected rank in {3, 4}, but got rank 2 (shape [2, 3]). Use [T, N, ...].",
    );
    const e = thrown(() => assertShape(x, [-1, 4], 'v', 'lifStep')) as ShapeError;
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("lifStep: 'v' expected shape [*, 4], but got shape [2, 3].");
    expect(() => assertShape(x, [2, 3, 1], 'v', 'f')).toThrowError(ShapeError);
    x.dispose();
  });

  it('assertNumber and assertPositiveInt throw ConfigErrors', () => {
    expect(() => assertNumber(2, (v) => v > 1, 'a number > 1', 'tau', 'LIFNode')).not.toThrow();
    expect(thrown(() => assertNumber(0.5, (v) => v > 1, 'a number > 1', 'tau', 'LIFNode')).message).toBe(
      "LIFNode: 'tau' expected a number > 1, but got number 0.5.",
    );
    expect(() => assertNumber(NaN, () => true, 'a number', 'tau', 'LIFNode')).toThrowError(ConfigError);
    expect(() => assertNumber('2', () => true, 'a number', 'tau', 'LIFNode')).toThrowError(/LIFNode: 'tau' expected a number, but got string 2\./);
    expect(() => assertPositiveInt(784, 'inFeatures', 'Linear')).not.toThrow();
    for (const bad of [0, -1, 1.5, Infinity]) {
      const e = thrown(() => assertPositiveInt(bad, 'inFeatures', 'Linear')) as ConfigError;
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).toBe(`Linear: 'inFeatures' expected a positive integer, but got number ${bad}.`);
    }
  });
});
