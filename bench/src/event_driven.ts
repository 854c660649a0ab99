/**
 * Calibrates the event-driven spike matmul (`spikeMatMul`, packages/functional/src/ops): for the
 * Linear shapes of the bench workloads and a wide layer, sweeps the firing rate of a binary input
 * `a` `[M, K]` and times, per rate, the forward product `a · b` (`b` `[K, N]`), the gradient of `b`
 * (`aᵀ · dy`) and a whole forward+backward (`tf.grads` of both inputs), dense (`tf.matMul`, the
 * plain path) vs event-driven (the fused kernel forced onto its event loop), the two interleaved
 * call by call. A kind stops being swept after two rates at which event-driven was over 1.3x
 * slower. Each wasm thread setting runs in a fresh process (`SNNTS_WASM_THREADS` must be set
 * before the backend starts). Prints a table of medians and the crossover per shape, and writes
 * everything to bench/results/event_driven.json.
 *
 *   tsx --tsconfig bench/tsconfig.json bench/src/event_driven.ts [--threads 1,default] [--reps 5]
 *       [--rates 0.005,0.01,...] [--shapes 'W2 fc1,wide'] [--backend wasm] [--out bench/results/event_driven.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { runFusedKernel, setBackend } from '@snnts/core';
import { SPIKE_MATMUL, SPIKE_MATMUL_GRAD_B, setSpikeMatMulMode, spikeMatMul, type SpikeMatMulMode } from '@snnts/functional';
import { median, table } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

/** `[name, M, K, N]`: M = T·N rows of the Linear input. */
const SHAPES: readonly (readonly [string, number, number, number])[] = [
  ['W2 fc1', 512, 784, 256],
  ['W2 fc2', 512, 256, 10],
  ['W1 fc2', 3200, 1000, 10],
  ['W3 fc2', 25600, 1000, 10],
  ['N=32', 2048, 512, 32],
  ['N=128', 2048, 512, 128],
  ['wide', 4096, 1024, 1024],
];
const RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5];
const KINDS = ['fwd', 'grad', 'step'] as const;
type Kind = (typeof KINDS)[number];

interface Row {
  shape: string;
  M: number;
  K: number;
  N: number;
  rate: number;
  /** Median ms, dense and event-driven; null where the sweep stopped (event clearly slower). */
  dense: Record<Kind, number | null>;
  event: Record<Kind, number | null>;
}

interface ChildOut {
  backend: string;
  threads: string;
  rows: Row[];
}

/** Median ms of `reps` calls of each of `fs` after one warm-up each, the calls interleaved (a noisy neighbour hits all alike). */
function time(fs: (() => void)[], reps: number): number[] {
  for (const f of fs) f();
  const ms = fs.map(() => [] as number[]);
  for (let i = 0; i < reps; i++) {
    fs.forEach((f, j) => {
      const t0 = performance.now();
      f();
      ms[j]!.push(performance.now() - t0);
    });
  }
  return ms.map(median);
}

/** Runs `f` with {@link spikeMatMul} dispatching in `mode`. */
function inMode(mode: SpikeMatMulMode, f: () => void): () => void {
  return () => {
    const was = setSpikeMatMulMode(mode);
    try {
      f();
    } finally {
      setSpikeMatMulMode(was);
    }
  };
}

/** One kind, dense (plain tfjs ops) then event-driven (the fused kernel forced onto its event loop). */
function pair(k: Kind, a: tf.Tensor2D, b: tf.Tensor2D, dy: tf.Tensor2D): [() => void, () => void] {
  const step = () => tf.dispose(tf.grads((x: tf.Tensor, w: tf.Tensor) => spikeMatMul(x, w))([a, b], dy));
  switch (k) {
    case 'fwd':
      return [() => tf.dispose(tf.matMul(a, b)), () => tf.dispose(runFusedKernel(SPIKE_MATMUL, { a, b }, { maxDensity: 1 }))];
    case 'grad':
      return [() => tf.dispose(tf.tidy(() => tf.matMul(tf.transpose(a), dy))), () => tf.dispose(runFusedKernel(SPIKE_MATMUL_GRAD_B, { a, dy }, { maxDensity: 1 }))];
    case 'step':
      return [inMode('off', step), inMode('event', step)];
    default:
      return k satisfies never;
  }
}

async function child(backend: string, threads: string, reps: number, rates: number[], only: string[] | null): Promise<void> {
  await setBackend(backend);
  const rows: Row[] = [];
  for (const [shape, M, K, N] of SHAPES.filter(([s]) => !only || only.includes(s))) {
    const b = tf.randomNormal([K, N], 0, 0.05, 'float32', 1) as tf.Tensor2D;
    const dy = tf.randomNormal([M, N], 0, 1, 'float32', 2) as tf.Tensor2D;
    const n = M * K * N > 1e9 ? Math.min(reps, 3) : reps;
    /** Kinds still swept: dropped after two rates at which event-driven was over 1.3x slower. */
    const slower: Record<Kind, number> = { fwd: 0, grad: 0, step: 0 };
    for (const rate of rates) {
      const a = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([M, K], 0, 1, 'float32', 3), rate), 'float32')) as tf.Tensor2D;
      const dense: Record<Kind, number | null> = { fwd: null, grad: null, step: null };
      const event: Record<Kind, number | null> = { fwd: null, grad: null, step: null };
      for (const k of KINDS.filter((kk) => slower[kk] < 2)) {
        [dense[k], event[k]] = time(pair(k, a, b, dy), n) as [number, number];
        if (event[k]! > 1.3 * dense[k]!) slower[k]++;
      }
      a.dispose();
      if (KINDS.every((k) => dense[k] === null)) break;
      rows.push({ shape, M, K, N, rate, dense, event });
      process.stderr.write(`  ${threads} threads ${shape} rate ${rate}: fwd ${dense.fwd?.toFixed(2)} / ${event.fwd?.toFixed(2)} ms\n`);
    }
    tf.dispose([b, dy]);
  }
  const out: ChildOut = { backend, threads, rows };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

/** The largest swept rate at which event-driven is faster, and the smallest at which it is not. */
function crossover(rows: Row[], k: Kind): string {
  let faster = 0;
  let slower: number | null = null;
  for (const r of rows) {
    const e = r.event[k];
    if (e !== null && e < r.dense[k]!) faster = Math.max(faster, r.rate);
    else if (slower === null || r.rate < slower) slower = r.rate;
  }
  const pct = (x: number) => `${+(100 * x).toFixed(1)}%`;
  return faster === 0 ? `never (<${pct(rows[0]!.rate)})` : `${pct(faster)}..${slower === null ? '>' + pct(rows.at(-1)!.rate) : pct(slower)}`;
}

function report(results: ChildOut[]): void {
  const f = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  for (const res of results) {
    console.log(`\n${res.backend}, threads: ${res.threads} (median ms; x = dense / event; '-': sweep stopped)`);
    const rows = res.rows.map((r) => [`${r.shape} ${r.M}x${r.K}->${r.N}`, `${+(100 * r.rate).toFixed(1)}%`, ...KINDS.flatMap((k) => [f(r.dense[k]), f(r.event[k]), r.event[k] === null ? '' : (r.dense[k]! / r.event[k]!).toFixed(2)])]);
    console.log(table(['shape', 'rate', 'fwd dense', 'fwd event', 'x', 'dW dense', 'dW event', 'x', 'fwd+bwd dense', 'fwd+bwd event', 'x'], rows));
    const shapes = [...new Set(res.rows.map((r) => r.shape))];
    const cross = shapes.map((s) => {
      const rs = res.rows.filter((r) => r.shape === s);
      return [`${s} (N=${rs[0]!.N})`, ...KINDS.map((k) => crossover(rs, k))];
    });
    console.log(`\ncrossover (event-driven faster up to .. slower from), ${res.threads} threads`);
    console.log(table(['shape', 'fwd', 'dW', 'fwd+bwd'], cross));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      threads: { type: 'string', default: '1,default' },
      reps: { type: 'string', default: '5' },
      rates: { type: 'string', default: RATES.join(',') },
      out: { type: 'string', default: join(ROOT, 'bench', 'results', 'event_driven.json') },
      shapes: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const rates = values.rates!.split(',').map(Number);
  const only = values.shapes ? values.shapes.split(',') : null;
  if (values.child !== undefined) return child(values.backend!, values.child, Number(values.reps), rates, only);
  const results: ChildOut[] = [];
  for (const threads of values.threads!.split(',')) {
    const env = { ...process.env };
    if (threads === 'default') delete env['SNNTS_WASM_THREADS'];
    else env['SNNTS_WASM_THREADS'] = threads;
    const args = [...process.execArgv, fileURLToPath(import.meta.url), '--backend', values.backend!, '--reps', values.reps!, '--rates', values.rates!, ...(only ? ['--shapes', only.join(',')] : []), `--child=${threads}`];
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
    const m = /^RESULT (.*)$/m.exec(r.stdout ?? '');
    if (!m) throw new Error(`event_driven: the ${threads}-thread run failed (exit ${r.status})`);
    results.push(JSON.parse(m[1]!) as ChildOut);
  }
  report(results);
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
  console.log(`\nwrote ${values.out}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
