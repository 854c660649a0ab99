// The backend registry in Node (DESIGN "core", STYLE rule 7): what listBackends reports here
// (cpu and wasm load; webgl/webgpu are browser-only; tensorflow is absent because neither
// @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed), naming a backend gives
// exactly that backend or a BackendError saying what to install (never a silent fallback),
// SNNTS_BACKEND, automatic selection by priority, and the lazy tensorflow loading path driven by
// a stand-in importer.
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BackendError,
  TENSORFLOW_PACKAGES,
  getBackend,
  listBackends,
  registerBackend,
  setBackend,
  tensorflowProvider,
  type BackendInfo,
  type ModuleImporter,
} from '../src/index.js';

/** Awaits `p` and returns what it rejected with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    return e as BackendError;
  }
  throw new Error('expected a rejection');
}

/** Runs `f` with `SNNTS_BACKEND` set to `value` (or unset), restoring the old value after. */
async function withEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const old = process.env.SNNTS_BACKEND;
  if (value === undefined) delete process.env.SNNTS_BACKEND;
  else process.env.SNNTS_BACKEND = value;
  try {
    return await f();
  } finally {
    if (old === undefined) delete process.env.SNNTS_BACKEND;
    else process.env.SNNTS_BACKEND = old;
  }
}

function byName(list: BackendInfo[], name: string): BackendInfo {
  const b = list.find((i) => i.name === name);
  if (!b) throw new Error(`no row for ${name} in ${JSON.stringify(list)}`);
  return b;
}

const BUILT_IN = ['cpu', 'wasm', 'tensorflow', 'webgl', 'webgpu'];

describe('backend registry in Node', () => {
  afterEach(() => {
    delete process.env.SNNTS_BACKEND;
  });

  it('listBackends: cpu and wasm available, browser backends and tensorflow not, each with a reason', async () => {
    const list = await listBackends();
    expect(list.map((b) => b.name).sort()).toEqual([...BUILT_IN].sort());
    // Sorted by priority, highest first: webgpu 5 > webgl 4 > tensorflow 3 > wasm 2 > cpu 1.
    expect(list.map((b) => b.name)).toEqual(['webgpu', 'webgl', 'tensorflow', 'wasm', 'cpu']);
    expect(list.map((b) => b.priority)).toEqual([5, 4, 3, 2, 1]);
    for (const name of ['cpu', 'wasm']) {
      const b = byName(list, name);
      expect(b.available).toBe(true);
      expect(b.reason).toBeUndefined();
    }
    for (const name of ['webgl', 'webgpu']) {
      const b = byName(list, name);
      expect(b.available).toBe(false);
      expect(b.reason).toMatch(/browser/);
    }
    const t = byName(list, 'tensorflow');
    expect(t.available).toBe(false);
    expect(t.reason).toContain('@tensorflow/tfjs-node-gpu');
    expect(t.reason).toMatch(/@tensorflow\/tfjs-node(?!-gpu)/);
    expect(t.reason).toMatch(/could not be imported/);
    expect(t.installHint).toMatch(/@tensorflow\/tfjs-node/);
    expect(TENSORFLOW_PACKAGES).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  });

  it.each(['cpu', 'wasm'])('setBackend(%s) returns the name and getBackend / tf.getBackend agree', async (name) => {
    expect(await setBackend(name)).toBe(name);
    expect(getBackend()).toBe(name);
    expect(tf.getBackend()).toBe(name);
    // And the backend really runs ops.
    const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
    expect(Array.from(await y.data())).toEqual([11]);
    y.dispose();
  });

  it.each(['cpu', 'wasm'])('setBackend(tensorflow) throws what to install and leaves %s active', async (start) => {
    await setBackend(start);
    const e = await rejection(setBackend('tensorflow'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.fn).toBe('setBackend');
    expect(e.backend).toBe('tensorflow');
    expect(e.message).toMatch(/^setBackend: backend 'tensorflow' is unavailable: /);
    expect(e.message).toContain('@tensorflow/tfjs-node-gpu could not be imported');
    expect(e.message).toContain('@tensorflow/tfjs-node could not be imported');
    expect(e.message).toMatch(/Install @tensorflow\/tfjs-node .*pnpm add @tensorflow\/tfjs-node@/);
    expect(getBackend()).toBe(start);
    expect(tf.getBackend()).toBe(start);
  });

  it('browser-only backends throw a BackendError in Node and change nothing', async () => {
    await setBackend('cpu');
    for (const name of ['webgl', 'webgpu']) {
      const e = await rejection(setBackend(name));
      expect(e).toBeInstanceOf(BackendError);
      expect(e.message).toBe(`setBackend: backend '${name}' is unavailable: it runs only in a browser.`);
    }
    expect(getBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('an unknown name throws a BackendError listing the registered names', async () => {
    await setBackend('wasm');
    const e = await rejection(setBackend('cuda'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.backend).toBe('cuda');
    expect(e.message).toMatch(/^setBackend: backend 'cuda' is unavailable: no backend of that name is registered \(registered: .*\)\.$/);
    for (const name of BUILT_IN) expect(e.message).toContain(name);
    expect(getBackend()).toBe('wasm');
  });

  it('SNNTS_BACKEND is honoured by setBackend() without a name', async () => {
    await setBackend('wasm');
    expect(await withEnv('cpu', () => setBackend())).toBe('cpu');
    expect(getBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await withEnv(' wasm ', () => setBackend())).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // An explicit name wins over the variable.
    expect(await withEnv('wasm', () => setBackend('cpu'))).toBe('cpu');
    expect(process.env.SNNTS_BACKEND).toBeUndefined();
  });

  it('a bad SNNTS_BACKEND throws and does not fall back', async () => {
    await setBackend('cpu');
    const unknown = await rejection(withEnv('nonsense', () => setBackend()));
    expect(unknown).toBeInstanceOf(BackendError);
    expect(unknown.backend).toBe('nonsense');
    expect(unknown.message).toMatch(/no backend of that name is registered/);
    const missing = await rejection(withEnv('tensorflow', () => setBackend()));
    expect(missing).toBeInstanceOf(BackendError);
    expect(missing.message).toContain('@tensorflow/tfjs-node');
    expect(getBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('automatic selection picks the highest-priority available Node backend (wasm: tensorflow is missing)', async () => {
    await setBackend('cpu');
    expect(await withEnv(undefined, () => setBackend())).toBe('wasm');
    expect(getBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // An empty variable counts as unset.
    await setBackend('cpu');
    expect(await withEnv('  ', () => setBackend())).toBe('wasm');
  });
});

describe('lazy tensorflow loading (stand-in importer)', () => {
  // Note: @tensorflow/tfjs-node(-gpu) sit in node_modules as optional peers without their native
  // addon, so the real import fails, but only after registering their JS kernels for
  // 'tensorflow'. The stand-in therefore clears every 'tensorflow' kernel before copying cpu's.
  function unregisterTensorflowKernels(): void {
    for (const k of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(k.kernelName, 'tensorflow');
  }

  /** A tfjs backend named 'tensorflow' that is really the CPU backend, with the CPU kernels. */
  function registerFakeTensorflow(): void {
    tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'), -1);
    unregisterTensorflowKernels();
    tf.copyRegisteredKernels('cpu', 'tensorflow');
  }

  function removeFakeTensorflow(): void {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
    unregisterTensorflowKernels();
  }

  afterAll(async () => {
    await setBackend('cpu');
    removeFakeTensorflow();
    registerBackend('tensorflow', tensorflowProvider());
    const t = byName(await listBackends(), 'tensorflow');
    expect(t.available).toBe(false);
  });

  it('an importer that loads but registers nothing gives a BackendError saying so', async () => {
    await setBackend('cpu');
    const calls: string[] = [];
    registerBackend('tensorflow', tensorflowProvider(async (spec) => {
      calls.push(spec);
      return {};
    }));
    const e = await rejection(setBackend('tensorflow'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toContain("@tensorflow/tfjs-node-gpu loaded but registered no 'tensorflow' backend");
    expect(e.message).toContain("@tensorflow/tfjs-node loaded but registered no 'tensorflow' backend");
    expect(calls).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(getBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const row = byName(await listBackends(), 'tensorflow');
    expect(row.available).toBe(false);
    expect(row.reason).toMatch(/registered no 'tensorflow' backend/);
  });

  it('a provider whose load succeeds without registering the tfjs backend is reported too', async () => {
    registerBackend('tensorflow', { priority: 3, env: 'node', installHint: 'Install it.', load: async () => {} });
    const e = await rejection(setBackend('tensorflow'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toBe("setBackend: backend 'tensorflow' is unavailable: loading it did not register a tfjs backend named 'tensorflow'. Install it.");
    expect(getBackend()).toBe('cpu');
  });

  it('tfjs-node-gpu absent, tfjs-node present: the tensorflow backend loads lazily and runs ops', async () => {
    await setBackend('wasm');
    const calls: string[] = [];
    const importer: ModuleImporter = async (spec) => {
      calls.push(spec);
      if (spec === '@tensorflow/tfjs-node-gpu') throw new Error(`Cannot find package '${spec}'\n  at somewhere`);
      if (spec === '@tensorflow/tfjs-node') {
        registerFakeTensorflow();
        return {};
      }
      throw new Error(`unexpected import ${spec}`);
    };
    registerBackend('tensorflow', tensorflowProvider(importer));
    expect(calls).toEqual([]); // nothing imported until asked for
    expect(tf.findBackendFactory('tensorflow')).toBeNull();

    expect(await setBackend('tensorflow')).toBe('tensorflow');
    expect(calls).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(getBackend()).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5, 6], [7, 8]]);
    const y = tf.add(tf.matMul(a, b), 1);
    expect(Array.from(await y.data())).toEqual([20, 23, 44, 51]);
    tf.dispose([a, b, y]);

    // Loaded once: switching away and back imports nothing more.
    await setBackend('cpu');
    expect(await setBackend('tensorflow')).toBe('tensorflow');
    expect(calls).toHaveLength(2);
    const row = byName(await listBackends(), 'tensorflow');
    expect(row.available).toBe(true);
    expect(row.reason).toBeUndefined();
    await setBackend('cpu');
    removeFakeTensorflow();
  });

  it('tfjs-node-gpu is preferred: when it registers the backend, tfjs-node is never imported', async () => {
    await setBackend('cpu');
    const calls: string[] = [];
    registerBackend('tensorflow', tensorflowProvider(async (spec) => {
      calls.push(spec);
      registerFakeTensorflow();
      return {};
    }));
    expect(await setBackend('tensorflow')).toBe('tensorflow');
    expect(calls).toEqual(['@tensorflow/tfjs-node-gpu']);
    await setBackend('cpu');
    removeFakeTensorflow();
  });

  it('automatic selection prefers tensorflow (priority 3) over wasm once it loads', async () => {
    await setBackend('cpu');
    registerBackend('tensorflow', tensorflowProvider(async (spec) => {
      if (spec.endsWith('-gpu')) throw new Error('absent');
      registerFakeTensorflow();
      return {};
    }));
    expect(await withEnv(undefined, () => setBackend())).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    await setBackend('cpu');
    removeFakeTensorflow();
  });
});

// These register extra providers, so they run last.
describe('custom providers', () => {
  it('a negative priority is never chosen automatically but can be named; getBackend reports the snnts name', async () => {
    registerBackend('experimental', { priority: -1, env: 'any', tfName: 'cpu', load: async () => {} });
    await setBackend('wasm');
    expect(await withEnv(undefined, () => setBackend())).toBe('wasm');
    expect(await setBackend('experimental')).toBe('experimental');
    expect(getBackend()).toBe('experimental');
    expect(tf.getBackend()).toBe('cpu');
    // Once tfjs is switched outside snnts, getBackend reports tfjs's name.
    await tf.setBackend('wasm');
    expect(getBackend()).toBe('wasm');
  });

  it('automatic selection skips a failing higher-priority backend and goes on to the next', async () => {
    let tried = 0;
    registerBackend('flaky', {
      priority: 10,
      env: 'node',
      load: async () => {
        tried++;
        throw new Error('driver missing');
      },
    });
    await setBackend('cpu');
    expect(await withEnv(undefined, () => setBackend())).toBe('wasm');
    expect(tried).toBe(1);
    // Named, the same backend is an error with its reason.
    const e = await rejection(setBackend('flaky'));
    expect(e).toBeInstanceOf(BackendError);
    expect(e.message).toBe("setBackend: backend 'flaky' is unavailable: driver missing.");
    expect(getBackend()).toBe('wasm');
    // A later load is retried (failures are not cached as success).
    expect(tried).toBe(2);
  });

  it('a higher-priority working provider wins automatic selection', async () => {
    registerBackend('fastest', { priority: 20, env: 'node', tfName: 'cpu', load: async () => {} });
    await setBackend('wasm');
    expect(await withEnv(undefined, () => setBackend())).toBe('fastest');
    expect(tf.getBackend()).toBe('cpu');
    // A browser-only provider is never a candidate in Node, whatever its priority.
    registerBackend('fastest', { priority: 30, env: 'browser', tfName: 'cpu', load: async () => {} });
    await setBackend('cpu');
    expect(await withEnv(undefined, () => setBackend())).toBe('wasm');
  });
});
