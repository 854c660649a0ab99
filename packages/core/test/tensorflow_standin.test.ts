// The `tensorflow` backend's real loading path (DESIGN "core"): in a child Node process, the
// registry's own dynamic import of @tensorflow/tfjs-node-gpu / @tensorflow/tfjs-node runs against
// Node's real module resolution, where module hooks (tensorflow_standin/hooks.mjs) make chosen
// packages resolve to stand-ins that register a 'tensorflow' tfjs backend the way the real
// packages do (with CPU kernels instead of libtensorflow). So it runs without the real packages and
// covers: -gpu preferred, fallback to the CPU package, neither installed (the real "Cannot find
// package" error, turned into a BackendError with the install hint, previous backend kept), a
// package whose native library fails to load, and automatic selection preferring it over wasm.
// A tfjs backend whose initialisation fails must leave the previous backend active too.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError, getBackend, registerBackend, setBackend } from '../src/index.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = fileURLToPath(new URL('./tensorflow_standin/', import.meta.url));
const GPU = '@tensorflow/tfjs-node-gpu';
const CPU = '@tensorflow/tfjs-node';

interface Report {
  scenario: string;
  result?: string;
  error?: { name: string; message: string };
  after: { snnts: string; tf: string };
  imports: string[];
  matmul?: number[];
  tensorflowRow?: { available: boolean; reason?: string };
}

/** Runs child.ts with the stand-ins for `packages` (others resolve for real: absent here). */
async function child(scenario: 'named' | 'auto', packages: string[], broken = false): Promise<Report> {
  const env: NodeJS.ProcessEnv = { ...process.env, STANDIN_PACKAGES: packages.join(','), STANDIN_BROKEN: broken ? '1' : '0' };
  delete env['SNNTS_BACKEND'];
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', `${DIR}hooks.mjs`, `${DIR}child.ts`, scenario], { cwd: ROOT, env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}

const PRODUCT = [19, 22, 43, 50];

describe('tensorflow backend through the real dynamic import, with stand-in packages', () => {
  it('neither package installed: BackendError naming both and how to install; cpu stays active', async () => {
    const r = await child('named', []);
    expect(r.error?.name).toBe('BackendError');
    expect(r.error!.message).toMatch(/^setBackend: backend 'tensorflow' is unavailable: /);
    expect(r.error!.message).toContain(`${GPU} could not be imported (Cannot find package '${GPU}'`);
    expect(r.error!.message).toContain(`${CPU} could not be imported (Cannot find package '${CPU}'`);
    expect(r.error!.message).toContain('pnpm add @tensorflow/tfjs-node@4.22.0');
    expect(r.imports).toEqual([]);
    expect(r.after).toEqual({ snnts: 'cpu', tf: 'cpu' });
    expect(r.tensorflowRow).toMatchObject({ available: false, reason: expect.stringContaining('Cannot find package') });
  });

  it('only tfjs-node: -gpu fails to resolve, tfjs-node is imported and runs ops', async () => {
    const r = await child('named', [CPU]);
    expect(r.error).toBeUndefined();
    expect(r.result).toBe('tensorflow');
    expect(r.imports).toEqual([CPU]);
    expect(r.matmul).toEqual(PRODUCT);
    expect(r.after).toEqual({ snnts: 'tensorflow', tf: 'tensorflow' });
    expect(r.tensorflowRow).toMatchObject({ available: true });
  });

  it('both installed: tfjs-node-gpu wins and tfjs-node is never imported', async () => {
    const r = await child('named', [GPU, CPU]);
    expect(r.result).toBe('tensorflow');
    expect(r.imports).toEqual([GPU]);
    expect(r.matmul).toEqual(PRODUCT);
  });

  it('a package whose native library cannot load: its first error line is reported, cpu stays active', async () => {
    const r = await child('named', [GPU], true);
    expect(r.error?.name).toBe('BackendError');
    expect(r.error!.message).toContain(`${GPU} could not be imported (libtensorflow.so.2: cannot open shared object file`);
    expect(r.error!.message).toContain(`${CPU} could not be imported (Cannot find package`);
    expect(r.after).toEqual({ snnts: 'cpu', tf: 'cpu' });
  });

  it('automatic selection takes tensorflow (priority 3) over wasm when a package loads, wasm when none does', async () => {
    const [withPkg, without] = await Promise.all([child('auto', [CPU]), child('auto', [])]);
    expect(withPkg.result).toBe('tensorflow');
    expect(withPkg.matmul).toEqual(PRODUCT);
    expect(without.result).toBe('wasm');
    expect(without.after).toEqual({ snnts: 'wasm', tf: 'wasm' });
  });
});

describe('a tfjs backend that fails to initialise', () => {
  it('throws a BackendError and leaves the previous backend active (tfjs alone would fall back on the next op)', async () => {
    tf.registerBackend('snnts-broken', () => {
      throw new Error('driver exploded');
    });
    registerBackend('broken', { priority: -1, env: 'any', tfName: 'snnts-broken', load: async () => {} });
    try {
      await setBackend('cpu');
      const e = await setBackend('broken').then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(BackendError);
      expect((e as BackendError).message).toBe("setBackend: backend 'broken' is unavailable: tfjs failed to initialise it (active backend is 'snnts-broken').");
      expect(tf.getBackend()).toBe('cpu');
      expect(getBackend()).toBe('cpu');
      const y = tf.add(tf.scalar(1), 1);
      expect(await y.data()).toEqual(new Float32Array([2]));
      y.dispose();
    } finally {
      tf.removeBackend('snnts-broken');
    }
  });
});
