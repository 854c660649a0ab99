/**
 * Runs one workload on one backend in this (fresh) process and prints one `RESULT {json}` line:
 * every step's time, peak RSS and tensor counts. Spawned by `main.ts`, one process per run so that
 * peak RSS and memory belong to that run alone. `main.ts` bundles it first (`child_bundle.ts`).
 *
 *   node bench/out/child.mjs --workload W1 --backend wasm --warmup 2 --iters 5 [--variant naive] [--budget-s 20]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setBackend, wasmThreadsStatus } from '@snnts/core';
import { WORKLOADS } from './workloads/index.js';
import type { Variant } from './workloads/types.js';

/** What one child run reports. */
export interface ChildResult {
  workload: string;
  backend: string;
  variant: Variant;
  threads: number | null;
  stepsMs: number[];
  peakRssMB: number;
  tensorsBefore: number;
  tensorsAfter: number;
  tensorsAfterDispose: number;
}

async function wasmThreads(): Promise<number | null> {
  const s = wasmThreadsStatus();
  if (s.reason) process.stderr.write(`wasm threads: ${s.reason}\n`);
  try {
    const w = await import('@tensorflow/tfjs-backend-wasm');
    return w.getThreadsCount();
  } catch {
    return s.threaded ? s.requested : 1;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string' },
      backend: { type: 'string' },
      warmup: { type: 'string', default: '2' },
      iters: { type: 'string', default: '5' },
      variant: { type: 'string', default: 'default' },
      'budget-s': { type: 'string', default: '20' },
    },
  });
  const w = WORKLOADS.get(values.workload ?? '');
  if (!w) throw new Error(`child: unknown workload '${values.workload}' (known: ${[...WORKLOADS.keys()].join(', ')})`);
  const backend = await setBackend(values.backend);
  const variant = values.variant as Variant;
  const runner = await w.build(variant);
  const warmup = Number(values.warmup);
  const iters = Number(values.iters);
  const budgetMs = 1000 * Number(values['budget-s']);
  // Warm up (at least once; slow steps cut it short), then time up to `iters` steps, stopping
  // early (after 2) once the time budget is spent.
  for (let i = 0; i < Math.max(1, warmup); i++) {
    const t0 = performance.now();
    runner.step();
    if (performance.now() - t0 > budgetMs / 8) break;
  }
  const tensorsBefore = tf.memory().numTensors;
  const stepsMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    runner.step();
    stepsMs.push(performance.now() - t0);
    if (stepsMs.length >= 2 && performance.now() - start > budgetMs) break;
  }
  const tensorsAfter = tf.memory().numTensors;
  runner.dispose();
  const result: ChildResult = {
    workload: w.name,
    backend,
    variant,
    threads: backend === 'wasm' ? await wasmThreads() : null,
    stepsMs,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    tensorsBefore,
    tensorsAfter,
    tensorsAfterDispose: tf.memory().numTensors,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
