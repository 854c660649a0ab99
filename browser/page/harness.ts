/**
 * The in-page side of the browser tests, bundled into harness.js. It exposes `window.snnts`,
 * whose async functions the Node-side tests call through Playwright: switch backends and prove
 * which one really runs, run the golden neuron, surrogate and layer cases, and train briefly.
 * It only computes; every comparison and assertion is made in Node (browser/test).
 */
import '@tensorflow/tfjs-backend-webgpu'; // registers tfjs's 'webgpu' factory (when navigator.gpu exists)
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { BackendError, getBackend, isNode, listBackends, setBackend } from '@snnts/core';
import { decodeDigits, splitDigits } from '../../examples/browser/src/data.js';
import { Trainer, type TrainerOptions } from '../../examples/browser/src/trainer.js';
import { backendEvidence, type BackendEvidence } from './evidence.js';
import { fusedModuleKernels, runFusedCase, timeFused, type FusedCase, type FusedRun } from './fused.js';
import type { ConvCase, NeuronCase, NormCase, PoolCase } from '../../test/helpers/fixture_types.js';
import { runConv, runNorm, runPool, type LayerRun } from './layers.js';
import { runNeuronCase, type NeuronRun } from './neurons.js';
import { runSurrogate, surrogateLabel, type SurrogateEntry, type SurrogateRun } from './surrogates.js';

setWasmPaths('/example/');

/**
 * tfjs runs ops whose inputs are small and still in CPU memory on its CPU kernels, even on the GPU
 * backends (webgl: under 128 elements, webgpu: under 1000). Most fixture tensors are that small,
 * so the parity runs switch the hand-off off: every op then goes through a shader.
 */
function setCpuForward(enabled: boolean): void {
  tf.env().set('WEBGL_CPU_FORWARD', enabled);
  // The webgpu flag exists only when the webgpu backend registered itself (navigator.gpu present).
  if ((navigator as { gpu?: unknown }).gpu) tf.env().set('WEBGPU_CPU_FORWARD', enabled);
}
setCpuForward(false);

const cache = new Map<string, Promise<unknown>>();
function fetchJson<T>(url: string): Promise<T> {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`harness: GET ${url} gave HTTP ${r.status}`);
      return r.json();
    }));
  }
  return cache.get(url) as Promise<T>;
}

/** Switches to `name`; throws if snnts or tfjs then report anything else. */
async function use(name: string): Promise<void> {
  const got = await setBackend(name);
  if (got !== name || getBackend() !== name || tf.getBackend() !== name) {
    throw new Error(`harness: asked for '${name}', setBackend gave '${got}', getBackend '${getBackend()}', tf.getBackend '${tf.getBackend()}'`);
  }
}

/** One item's outcome: its result, or the error it threw. */
export interface Outcome<O> {
  label: string;
  result?: O;
  error?: string;
}

/**
 * Runs `f` on every item on backend `name`, recording each item's result or error (so one broken
 * case does not hide the others), and failing if the backend changes midway.
 */
async function onBackend<I, O>(name: string, items: I[], label: (item: I) => string, f: (item: I) => Promise<O>): Promise<Outcome<O>[]> {
  await use(name);
  const out: Outcome<O>[] = [];
  for (const item of items) {
    try {
      out.push({ label: label(item), result: await f(item) });
    } catch (e) {
      out.push({ label: label(item), error: e instanceof Error ? e.message : String(e) });
    }
    if (tf.getBackend() !== name) throw new Error(`harness: backend changed from '${name}' to '${tf.getBackend()}' during ${label(item)}`);
  }
  return out;
}

/** Result of {@link SnntsHarness.tryBackend}. */
export interface TryResult {
  ok: boolean;
  error?: { name: string; message: string };
  evidence: BackendEvidence;
}

/** A short training run's record. */
export interface TrainRun {
  backend: string;
  losses: number[];
  batchAccuracy: number[];
  testAccuracy: number;
  testCount: number;
  seconds: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

const harness = {
  /** What the page sees of its environment (for the no-Node-at-runtime test). */
  env: () => ({
    isNode: isNode(),
    hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
    hasRequire: typeof (globalThis as { require?: unknown }).require !== 'undefined',
    hasBuffer: typeof (globalThis as { Buffer?: unknown }).Buffer !== 'undefined',
    webgpu: typeof (navigator as { gpu?: unknown }).gpu !== 'undefined',
  }),
  listBackends,
  setCpuForward,
  /** The flags that decide whether small ops leave the GPU. */
  cpuForward: () => ({ webgl: tf.env().getBool('WEBGL_CPU_FORWARD'), webgpu: (navigator as { gpu?: unknown }).gpu ? tf.env().getBool('WEBGPU_CPU_FORWARD') : null }),
  /** setBackend(name) (or automatic selection with `null`), reporting success or the error, and what is active after. */
  tryBackend: async (name: string | null): Promise<TryResult> => {
    try {
      await setBackend(name ?? undefined);
      return { ok: true, evidence: await backendEvidence() };
    } catch (e) {
      const err = e instanceof Error ? { name: e instanceof BackendError ? 'BackendError' : e.name, message: e.message } : { name: 'unknown', message: String(e) };
      return { ok: false, error: err, evidence: await backendEvidence() };
    }
  },
  neurons: async (backend: string): Promise<Outcome<NeuronRun>[]> => {
    const { cases } = await fetchJson<{ cases: NeuronCase[] }>('/fixtures/golden/neurons.json');
    return onBackend(backend, cases, (c) => c.id, runNeuronCase);
  },
  surrogates: async (backend: string): Promise<Outcome<SurrogateRun>[]> => {
    const { entries } = await fetchJson<{ entries: SurrogateEntry[] }>('/fixtures/golden/surrogates.json');
    return onBackend(backend, entries, surrogateLabel, runSurrogate);
  },
  layers: async (backend: string): Promise<Record<'conv' | 'pool' | 'norm', Outcome<LayerRun>[]>> => {
    const conv = await fetchJson<{ cases: ConvCase[] }>('/fixtures/nn/torch_conv.json');
    const pool = await fetchJson<{ cases: PoolCase[] }>('/fixtures/nn/torch_pool.json');
    const norm = await fetchJson<{ cases: NormCase[] }>('/fixtures/nn/torch_norm.json');
    return {
      conv: await onBackend(backend, conv.cases, (c) => `Conv2d ${c.name}`, runConv),
      pool: await onBackend(backend, pool.cases, (c) => c.python, runPool),
      norm: await onBackend(backend, norm.cases, (c) => `${c.cls} ${c.name}`, runNorm),
    };
  },
  /** Fused vs composed multi-step neurons, one result per case (see page/fused.ts). */
  fused: async (backend: string, cases: FusedCase[]): Promise<Outcome<FusedRun>[]> => onBackend(backend, cases, (c) => JSON.stringify(c), runFusedCase),
  /** Kernels an LIFNode in multi-step mode runs on `backend`, forward and backward. */
  fusedKernels: async (backend: string) => {
    await use(backend);
    return fusedModuleKernels();
  },
  /** Median ms of an LIF forward + backward over `shape` on `backend`, fused and composed. */
  timeFused: async (backend: string, shape: number[], reps: number) => {
    await use(backend);
    return timeFused(shape, reps);
  },
  /** `steps` training steps of the examples/browser network, then test accuracy on `testCount` digits. */
  train: async (backend: string, steps: number, testCount: number, options: TrainerOptions = {}): Promise<TrainRun> => {
    const res = await fetch('/example/mnist-digits.bin');
    if (!res.ok) throw new Error(`harness: GET /example/mnist-digits.bin gave HTTP ${res.status}`);
    const { train, test } = splitDigits(decodeDigits(new Uint8Array(await res.arrayBuffer())), 8000, 2000, 0);
    await use(backend);
    const t0 = performance.now();
    const tensorsBefore = tf.memory().numTensors;
    const trainer = new Trainer(train, test, options);
    const losses: number[] = [];
    const batchAccuracy: number[] = [];
    for (let i = 0; i < steps; i++) {
      const r = await trainer.trainStep();
      losses.push(r.loss);
      batchAccuracy.push(r.accuracy);
      if (tf.getBackend() !== backend) throw new Error(`harness: backend changed to '${tf.getBackend()}' during training`);
    }
    const testAccuracy = await trainer.evaluate(testCount);
    trainer.dispose();
    return { backend: tf.getBackend(), losses, batchAccuracy, testAccuracy, testCount, seconds: (performance.now() - t0) / 1000, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  },
};

/** The functions the Node side calls as `window.snnts.<name>(...)`. */
export type SnntsHarness = typeof harness;
(globalThis as { snnts?: SnntsHarness }).snnts = harness;
// For ad-hoc diagnostics from a test (page.evaluate(() => tf...)); the tests themselves use window.snnts.
(globalThis as { tf?: typeof tf }).tf = tf;
document.getElementById('status')!.textContent = 'ready';
