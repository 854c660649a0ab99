// Module (src/module.ts) against PyTorch's nn.Module semantics: dotted names in PyTorch's order
// (named_parameters: each module's own parameters, depth first; state_dict: each module's
// parameters then buffers, depth first), strict / non-strict loadStateDict with StateDictError
// listing the offending keys, values really copied, train/eval propagation, call() in tf.tidy,
// dispose() freeing every variable, and ConfigErrors for bad registrations.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Module, ShapeError, StateDictError, setBackend } from '../src/index.js';

/** A linear layer `y = x W^T + b` with a buffer, and hooks that expose the protected registrars. */
class Leaf extends Module {
  static override className = 'Leaf';
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(readonly inFeatures: number, readonly outFeatures: number, start = 0) {
    super();
    const w = Array.from({ length: outFeatures * inFeatures }, (_, i) => start + i / 10);
    this.weight = this.registerParameter('weight', tf.tensor(w, [outFeatures, inFeatures]));
    this.bias = this.registerParameter('bias', tf.fill([outFeatures], start));
    this.registerBuffer('runningMean', tf.zeros([outFeatures]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.weight, false, true), this.bias);
  }
  override getConfig() {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures };
  }
  addParameter(name: string): void {
    this.registerParameter(name, tf.zeros([1]));
  }
  addBuffer(name: string): void {
    this.registerBuffer(name, tf.zeros([1]));
  }
  addModule(name: string, m: unknown): void {
    this.registerModule(name, m as Module);
  }
  buffer(name: string): tf.Tensor {
    return this.getBuffer(name);
  }
  replaceBuffer(name: string, v: tf.Tensor): void {
    this.setBuffer(name, v);
  }
}

/** A parameterless container, like Sequential, with children '0', '1', .... */
class Chain extends Module {
  static override className = 'Chain';
  constructor(...mods: Module[]) {
    super();
    mods.forEach((m, i) => this.registerModule(String(i), m));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.children().reduce((y, m) => m.forward(y), x);
  }
}

/** A module with only a frozen parameter. */
class Gain extends Module {
  static override className = 'Gain';
  readonly g = this.registerParameter('g', tf.scalar(2), false);
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.g);
  }
}

/** Root with its own parameter and buffer before its children (the order PyTorch keeps). */
class Net extends Module {
  static override className = 'Net';
  readonly scale = this.registerParameter('scale', tf.ones([1]));
  readonly steps = this.registerBuffer('steps', tf.scalar(0, 'int32'));
  readonly first = this.registerModule('0', new Leaf(3, 4));
  readonly rest = this.registerModule('1', new Chain(new Leaf(4, 2, 1), new Gain()));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(this.rest.forward(this.first.forward(x)), this.scale);
  }
}

const PARAM_NAMES = ['scale', '0.weight', '0.bias', '1.0.weight', '1.0.bias', '1.1.g'];
// torch: for each module (depth first) its parameters, then its buffers.
const STATE_KEYS = ['scale', 'steps', '0.weight', '0.bias', '0.runningMean', '1.0.weight', '1.0.bias', '1.0.runningMean', '1.1.g'];
const SHAPES: Record<string, number[]> = {
  scale: [1], steps: [], '0.weight': [4, 3], '0.bias': [4], '0.runningMean': [4],
  '1.0.weight': [2, 4], '1.0.bias': [2], '1.0.runningMean': [2], '1.1.g': [],
};

const numVariables = () => Object.keys(tf.engine().state.registeredVariables).length;
const vals = (t: tf.Tensor) => Array.from(t.dataSync());

/** A full state dict of distinct values (float32, or int32 for `steps`). */
function freshDict(offset: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const k of STATE_KEYS) {
    const shape = SHAPES[k]!;
    const n = shape.reduce((a, b) => a * b, 1);
    out[k] = k === 'steps' ? tf.scalar(offset, 'int32') : tf.tensor(Array.from({ length: n }, (_, i) => offset + i), shape);
  }
  return out;
}

function caught(f: () => unknown): StateDictError {
  try {
    f();
  } catch (e) {
    return e as StateDictError;
  }
  throw new Error('expected a throw');
}

describe.each(['cpu', 'wasm'])('Module on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('namedParameters / parameters / namedModules use dotted names in PyTorch order', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(PARAM_NAMES);
    expect(net.parameters()).toEqual(net.namedParameters().map(([, p]) => p));
    expect(net.parameters().every((p) => p instanceof tf.Variable)).toBe(true);
    expect(net.namedParameters().find(([n]) => n === '1.1.g')![1].trainable).toBe(false);
    expect(net.namedParameters().find(([n]) => n === '0.weight')![1].trainable).toBe(true);
    expect(net.namedModules().map(([n, m]) => `${n}:${m.className}`)).toEqual([':Net', '0:Leaf', '1:Chain', '1.0:Leaf', '1.1:Gain']);
    expect(net.modules()).toHaveLength(5);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['0', '1']);
    expect(net.children()).toEqual([net.first, net.rest]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps', '0.runningMean', '1.0.runningMean']);
    expect(net.toString()).toBe(
      'Net(\n  (0): Leaf({"inFeatures":3,"outFeatures":4})\n  (1): Chain(\n    (0): Leaf({"inFeatures":4,"outFeatures":2})\n    (1): Gain()\n  )\n)',
    );
    net.dispose();
  });

  it("stateDict keys follow torch's state_dict order and are the module's own tensors", () => {
    const net = new Net();
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(STATE_KEYS);
    for (const k of STATE_KEYS) expect(sd[k]!.shape).toEqual(SHAPES[k]);
    expect(sd['0.weight']).toBe(net.first.weight);
    expect(sd['scale']).toBe(net.scale);
    expect(sd['steps']!.dtype).toBe('int32');
    expect(vals(sd['0.weight']!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => Math.fround(i / 10)));
    net.dispose();
  });

  it("loadStateDict(own stateDict()) and a dict mixing own and new tensors keep the module usable", () => {
    const net = new Net();
    const own = net.stateDict();
    const before = vals(own['0.weight']!);
    const steps = own['steps']!;
    // tfjs's Variable.assign(itself) would free the data before re-referencing it: must be a no-op.
    net.loadStateDict(own);
    const mixed = { ...net.stateDict(), '0.bias': tf.tensor1d([1, 2, 3, 4]) };
    net.loadStateDict(mixed);
    mixed['0.bias'].dispose();
    const sd = net.stateDict();
    expect(vals(sd['0.weight']!)).toEqual(before);
    expect(vals(sd['0.bias']!)).toEqual([1, 2, 3, 4]);
    expect(sd['steps']).toBe(steps);
    net.dispose();
  });

  it('loadStateDict copies every value (casting dtypes) and leaks nothing', () => {
    const net = new Net();
    const dict = freshDict(100);
    // Integer data into float parameters, float data into the int32 buffer: cast on load.
    dict['0.bias'] = tf.tensor([7, 8, 9, 10], [4], 'int32');
    dict['steps'] = tf.scalar(3);
    const before = tf.memory().numTensors;
    net.loadStateDict(dict);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(dict));
    // The source is gone, the module keeps its copies.
    const sd = net.stateDict();
    const expected = freshDict(100);
    for (const k of STATE_KEYS) {
      if (k === '0.bias' || k === 'steps') continue;
      expect(vals(sd[k]!), k).toEqual(vals(expected[k]!));
    }
    expect(vals(sd['0.bias']!)).toEqual([7, 8, 9, 10]);
    expect(sd['0.bias']!.dtype).toBe('float32');
    expect(sd['steps']!.dtype).toBe('int32');
    expect(vals(sd['steps']!)).toEqual([3]);
    expect(net.first.weight).toBe(sd['0.weight']); // same variable object, new value
    tf.dispose(Object.values(expected));
    net.dispose();
  });

  it('strict loading: missing and unexpected keys throw a StateDictError listing them, and nothing changes', () => {
    const net = new Net();
    const orig = vals(net.first.weight);
    const dict = freshDict(5);
    const w0 = dict['0.weight']!, b10 = dict['1.0.bias']!;
    delete dict['0.weight'];
    delete dict['1.0.bias'];
    dict['0.w'] = tf.zeros([4, 3]);
    dict['2.weight'] = tf.zeros([1]);
    const e = caught(() => net.loadStateDict(dict));
    expect(e).toBeInstanceOf(StateDictError);
    expect(e.fn).toBe('Net.loadStateDict');
    expect(e.missing).toEqual(['0.weight', '1.0.bias']);
    expect(e.unexpected).toEqual(['0.w', '2.weight']);
    expect(e.mismatched).toEqual([]);
    expect(e.message).toBe(
      "Net.loadStateDict: 'stateDict' expected exactly the module's keys and shapes, but got " +
        'missing keys [0.weight, 1.0.bias], unexpected keys [0.w, 2.weight].',
    );
    expect(vals(net.first.weight)).toEqual(orig);
    expect(vals(net.scale)).toEqual([1]);
    tf.dispose([...Object.values(dict), w0, b10]);
    net.dispose();
  });

  it('a shape mismatch throws a StateDictError, strict or not, and nothing changes', () => {
    const net = new Net();
    const dict = freshDict(5);
    dict['0.weight']!.dispose();
    dict['0.weight'] = tf.zeros([3, 4]);
    for (const strict of [true, false]) {
      const e = caught(() => net.loadStateDict(dict, { strict }));
      expect(e).toBeInstanceOf(StateDictError);
      expect(e.missing).toEqual([]);
      expect(e.unexpected).toEqual([]);
      expect(e.mismatched).toEqual(['0.weight: expected [4,3], got [3,4]']);
      expect(e.message).toContain('shape mismatches [0.weight: expected [4,3], got [3,4]]');
    }
    expect(vals(net.scale)).toEqual([1]); // 'scale' was valid but nothing is loaded on error
    // A non-tensor value is a ShapeError naming the key.
    const bad = { ...dict, scale: [1] as unknown as tf.Tensor };
    expect(() => net.loadStateDict(bad)).toThrowError(ShapeError);
    expect(() => net.loadStateDict(bad)).toThrowError(/Net\.loadStateDict: 'stateDict\['scale'\]' expected a tf\.Tensor/);
    tf.dispose(Object.values(dict));
    net.dispose();
  });

  it('non-strict loading ignores missing and unexpected keys and loads the rest', () => {
    const net = new Net();
    const w = tf.tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
    const extra = tf.zeros([2]);
    net.loadStateDict({ '1.0.weight': w, 'head.bias': extra }, { strict: false });
    expect(vals(net.stateDict()['1.0.weight']!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(vals(net.first.bias)).toEqual([0, 0, 0, 0]); // untouched
    expect(vals(net.scale)).toEqual([1]);
    tf.dispose([w, extra]);
    expect(vals(net.stateDict()['1.0.weight']!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    net.dispose();
  });

  it('a state dict round-trips between two instances', () => {
    const a = new Net();
    const b = new Net();
    a.loadStateDict(freshDict(42));
    b.loadStateDict(a.stateDict());
    for (const [k, t] of Object.entries(a.stateDict())) expect(vals(b.stateDict()[k]!), k).toEqual(vals(t));
    // Independent copies: changing a afterwards does not change b.
    a.first.weight.assign(tf.zeros([4, 3]));
    expect(vals(b.first.weight)[0]).toBe(42);
    a.dispose();
    b.dispose();
  });

  it('train() / eval() set training on every descendant and return the module', () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().map((m) => m.training)).toEqual([false, false, false, false, false]);
    expect(net.train()).toBe(net);
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.train(false);
    expect(net.modules().some((m) => m.training)).toBe(false);
    net.rest.train(); // only the subtree
    expect(net.modules().map((m) => m.training)).toEqual([false, false, true, true, true]);
    net.dispose();
  });

  it('call() runs forward in tf.tidy, converts arrays, and returns only the output', () => {
    const net = new Net();
    const x = [[1, 2, 3], [-1, 0, 0.5]];
    // Reference: y = ((x W0^T + b0) W1^T + b1) * 2 * 1, computed in float64.
    const W0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => i / 10);
    const W1 = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => 1 + i / 10);
    const h = x.map((r) => [0, 1, 2, 3].map((o) => r.reduce((s, v, i) => s + v * W0[o * 3 + i]!, 0)));
    const y = h.map((r) => [0, 1].map((o) => 2 * (1 + r.reduce((s, v, i) => s + v * W1[o * 4 + i]!, 0))));
    const before = tf.memory().numTensors;
    const out = net.call(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(out.shape).toEqual([2, 2]);
    const got = vals(out);
    y.flat().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    // A tensor input is used as is and not disposed.
    const xt = tf.tensor(x);
    const out2 = net.call(xt);
    expect(xt.isDisposed).toBe(false);
    expect(vals(out2)).toEqual(got);
    tf.dispose([out, out2, xt]);
    expect(tf.memory().numTensors).toBe(before);
    // Bad input: a ShapeError naming the call and the argument index.
    expect(() => net.call('abc' as unknown as tf.Tensor)).toThrowError(/^Net\.call: 'inputs\[0\]' expected a tf\.Tensor or a non-empty numeric array, but got string abc\.$/);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });

  it('dispose() frees every parameter, buffer and variable', () => {
    const tensors = tf.memory().numTensors;
    const variables = numVariables();
    const net = new Net();
    expect(tf.memory().numTensors).toBe(tensors + STATE_KEYS.length);
    expect(numVariables()).toBe(variables + PARAM_NAMES.length);
    const w = net.first.weight;
    net.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(numVariables()).toBe(variables);
    expect(w.isDisposed).toBe(true);
    expect(net.parameters()).toEqual([]);
    expect(net.stateDict()).toEqual({});
  });

  it('registerParameter / registerBuffer / registerModule reject duplicate, dotted and empty names', () => {
    const leaf = new Leaf(2, 2);
    for (const f of [() => leaf.addParameter('weight'), () => leaf.addBuffer('bias'), () => leaf.addParameter('runningMean'), () => leaf.addModule('weight', new Gain())]) {
      expect(f).toThrowError(ConfigError);
      expect(f).toThrowError(/^Leaf\.register: 'name' expected a name not yet registered, but got '\w+' \(already used\)\.$/);
    }
    for (const name of ['a.b', '0.weight', '']) {
      expect(() => leaf.addParameter(name)).toThrowError(ConfigError);
      expect(() => leaf.addParameter(name)).toThrowError(`Leaf.register: 'name' expected a non-empty name without dots, but got '${name}'.`);
      expect(() => leaf.addBuffer(name)).toThrowError(ConfigError);
    }
    expect(() => leaf.addModule('child', { forward: () => null })).toThrowError(ConfigError);
    expect(() => leaf.addModule('child', { forward: () => null })).toThrowError(/Leaf\.registerModule: 'child' expected a Module/);
    expect(leaf.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    leaf.dispose();
  });

  it('getBuffer / setBuffer read and replace a buffer, disposing the old one', () => {
    const leaf = new Leaf(2, 2);
    const before = tf.memory().numTensors;
    const old = leaf.buffer('runningMean');
    leaf.replaceBuffer('runningMean', tf.tensor([1, 2]));
    expect(old.isDisposed).toBe(true);
    expect(vals(leaf.buffer('runningMean'))).toEqual([1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => leaf.buffer('nope')).toThrowError(ConfigError);
    expect(() => leaf.buffer('nope')).toThrowError("Leaf.getBuffer: 'name' expected a registered buffer, but got 'nope'.");
    const t = tf.zeros([2]);
    expect(() => leaf.replaceBuffer('nope', t)).toThrowError(/Leaf\.setBuffer/);
    t.dispose();
    leaf.dispose();
  });
});
