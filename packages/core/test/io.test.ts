// Saving and loading weights (src/io.ts) through a temporary directory and through bytes, and
// config serialization (src/serialization.ts): fromConfig(serialize(m)) rebuilds a registered
// class, and an unknown className is a ConfigError listing the registered names.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  Module,
  StateDictError,
  decodeSafetensors,
  fromConfig,
  load,
  loadSafetensors,
  registerClass,
  save,
  serialize,
  setBackend,
  toSafetensors,
  type ConfigDict,
} from '../src/index.js';

interface AffineArgs {
  features: number;
  gain?: number;
  name?: string;
}

/** `y = gain * (x * w + b)`, constructed from its config as STYLE rule 12 asks. */
class Affine extends Module {
  static override className = 'TestAffine';
  readonly features: number;
  readonly gain: number;
  readonly label: string;
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  constructor(args: AffineArgs) {
    super();
    this.features = args.features;
    this.gain = args.gain ?? 1;
    this.label = args.name ?? 'affine';
    this.w = this.registerParameter('weight', tf.ones([args.features]));
    this.b = this.registerParameter('bias', tf.zeros([args.features]));
    this.registerBuffer('count', tf.scalar(0, 'int32'));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.add(tf.mul(x, this.w), this.b), this.gain);
  }
  override getConfig(): ConfigDict {
    return { features: this.features, gain: this.gain, name: this.label };
  }
}

/** A container of two Affine layers, with a custom static fromConfig. */
class Twin extends Module {
  static override className = 'TestTwin';
  static built = 0;
  constructor(readonly features: number) {
    super();
    this.registerModule('a', new Affine({ features }));
    this.registerModule('b', new Affine({ features, gain: 2 }));
  }
  static fromConfig(config: ConfigDict): Twin {
    Twin.built++;
    return new Twin(config['features'] as number);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.children().reduce((y, m) => m.forward(y), x);
  }
  override getConfig(): ConfigDict {
    return { features: this.features };
  }
}

registerClass(Affine);
registerClass(Twin);

const vals = (t: tf.Tensor) => Array.from(t.dataSync());

/** Gives every entry of the module's state dict distinct values. */
function randomize(m: Module, seed: number): void {
  const dict: Record<string, tf.Tensor> = {};
  let k = seed;
  for (const [name, t] of Object.entries(m.stateDict())) {
    dict[name] = tf.tensor(Array.from({ length: t.size }, () => (k++ % 13) - 6 + (t.dtype === 'int32' ? 0 : 0.25)), t.shape, t.dtype);
  }
  m.loadStateDict(dict);
  tf.dispose(Object.values(dict));
}

describe.each(['cpu', 'wasm'])('save / load on %s', (backend) => {
  let dir: string;
  beforeAll(async () => {
    await setBackend(backend);
    dir = await mkdtemp(join(tmpdir(), 'snnts-core-io-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('save() writes a safetensors file (creating directories) that load() restores exactly', async () => {
    const src = new Twin(3);
    randomize(src, 1);
    const path = join(dir, 'nested', 'deeper', 'twin.safetensors');
    await save(src, path);
    expect((await stat(path)).size).toBeGreaterThan(8);
    const dst = new Twin(3);
    const before = tf.memory().numTensors;
    await load(dst, path);
    expect(tf.memory().numTensors).toBe(before); // decoded tensors are disposed after copying
    const a = src.stateDict(), b = dst.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      expect(b[k]!.dtype, k).toBe(a[k]!.dtype);
      expect(vals(b[k]!), k).toEqual(vals(a[k]!));
    }
    // The same input gives the same output.
    const x = tf.tensor([[1, -2, 0.5]]);
    const ya = src.call(x), yb = dst.call(x);
    expect(vals(yb)).toEqual(vals(ya));
    tf.dispose([x, ya, yb]);
    // The file records the class and config for fromConfig, and format 'pt' for PyTorch.
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile(path)));
    expect(metadata).toEqual({ format: 'pt', 'snnts.className': 'TestTwin', 'snnts.config': '{"features":3}' });
    expect(Object.keys(tensors).sort()).toEqual(['a.bias', 'a.count', 'a.weight', 'b.bias', 'b.count', 'b.weight']);
    expect(tensors['a.count']!.dtype).toBe('int32');
    tf.dispose(Object.values(tensors));
    src.dispose();
    dst.dispose();
  });

  it('fromConfig(metadata) + load rebuilds a module from the file alone', async () => {
    const src = new Affine({ features: 4, gain: 3, name: 'head' });
    randomize(src, 5);
    const path = join(dir, 'affine.safetensors');
    await save(src, path);
    const bytes = new Uint8Array(await readFile(path));
    const { tensors, metadata } = decodeSafetensors(bytes);
    tf.dispose(Object.values(tensors));
    const rebuilt = fromConfig({ className: metadata['snnts.className']!, config: JSON.parse(metadata['snnts.config']!) });
    expect(rebuilt).toBeInstanceOf(Affine);
    loadSafetensors(rebuilt, bytes);
    expect((rebuilt as Affine).gain).toBe(3);
    expect(vals((rebuilt as Affine).w)).toEqual(vals(src.w));
    src.dispose();
    rebuilt.dispose();
  });

  it('loading into a different architecture is a StateDictError; strict: false loads the overlap', async () => {
    const src = new Affine({ features: 2 });
    randomize(src, 3);
    const bytes = await toSafetensors(src);
    const twin = new Twin(2);
    const before = tf.memory().numTensors;
    expect(() => loadSafetensors(twin, bytes)).toThrowError(StateDictError);
    expect(tf.memory().numTensors).toBe(before); // decoded tensors freed on error too
    try {
      loadSafetensors(twin, bytes);
    } catch (e) {
      expect((e as StateDictError).missing).toEqual(['a.weight', 'a.bias', 'a.count', 'b.weight', 'b.bias', 'b.count']);
      expect((e as StateDictError).unexpected).toEqual(['bias', 'count', 'weight']);
    }
    const wide = new Affine({ features: 3 });
    expect(() => loadSafetensors(wide, bytes, { strict: false })).toThrowError(/shape mismatches \[weight: expected \[3\], got \[2\]; bias: expected \[3\], got \[2\]\]/);
    const same = new Affine({ features: 2 });
    loadSafetensors(same, bytes, { strict: false });
    expect(vals(same.w)).toEqual(vals(src.w));
    await expect(load(same, join(dir, 'does-not-exist.safetensors'))).rejects.toThrowError(/ENOENT/);
    [src, twin, wide, same].forEach((m) => m.dispose());
  });
});

describe('serialize / fromConfig', () => {
  it('fromConfig(serialize(m)) rebuilds the class with the same config (also through JSON)', () => {
    const m = new Affine({ features: 5, gain: 0.5, name: 'x' });
    const s = serialize(m);
    expect(s).toEqual({ className: 'TestAffine', config: { features: 5, gain: 0.5, name: 'x' } });
    const copy = fromConfig(JSON.parse(JSON.stringify(s)));
    expect(copy).toBeInstanceOf(Affine);
    expect(copy).not.toBe(m);
    expect(copy.getConfig()).toEqual(m.getConfig());
    expect(serialize(copy)).toEqual(s);
    expect((copy as Affine).w.shape).toEqual([5]);
    m.dispose();
    copy.dispose();
  });

  it('a static fromConfig is used when the class has one', () => {
    const before = Twin.built;
    const t = new Twin(2);
    const copy = fromConfig(serialize(t));
    expect(Twin.built).toBe(before + 1);
    expect(copy).toBeInstanceOf(Twin);
    expect(copy.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'b.weight', 'b.bias']);
    t.dispose();
    copy.dispose();
  });

  it('an unknown className throws a ConfigError listing the registered names, sorted', () => {
    let err: ConfigError | undefined;
    try {
      fromConfig({ className: 'Nope', config: {} });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.fn).toBe('fromConfig');
    expect(err!.arg).toBe('className');
    expect(err!.actual).toBe("'Nope'");
    const listed = /one of \[(.*)\]/.exec(err!.message)![1]!.split(', ');
    expect(listed).toContain('TestAffine');
    expect(listed).toContain('TestTwin');
    expect(listed).toEqual([...listed].sort());
    expect(err!.message).toMatch(/^fromConfig: 'className' expected one of \[.*TestAffine, TestTwin.*\], but got 'Nope'\.$/);
  });
});
