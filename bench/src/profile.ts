/**
 * Where one step of a workload spends its time: runs it under `tf.profile` and prints, per tfjs
 * kernel, how many times it ran and its total time, plus the share of the step spent outside
 * kernels (tape bookkeeping, JS glue).
 *
 *   tsx --tsconfig bench/tsconfig.json bench/src/profile.ts --workload W1 --backend wasm [--variant naive] [--calls 20]
 *
 * `--calls N` also lists the N slowest single kernel calls with their input and output shapes.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '@snnts/core';
import { table } from './stats.js';
import { WORKLOADS } from './workloads/index.js';
import type { Variant } from './workloads/types.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workload: { type: 'string', default: 'W1' }, backend: { type: 'string', default: 'wasm' }, variant: { type: 'string', default: 'default' }, top: { type: 'string', default: '25' }, calls: { type: 'string', default: '0' } },
  });
  const w = WORKLOADS.get(values.workload!);
  if (!w) throw new Error(`profile: unknown workload '${values.workload}'`);
  await setBackend(values.backend);
  const runner = await w.build(values.variant as Variant);
  runner.step();
  runner.step();
  const t0 = performance.now();
  const info = await tf.profile(() => runner.step());
  const wall = performance.now() - t0;
  const by = new Map<string, { n: number; ms: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    by.set(k.name, e);
  }
  const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`${w.name} on ${values.backend} (${values.variant}): ${info.kernels.length} kernels, ${inKernels.toFixed(0)} ms in kernels, ${wall.toFixed(0)} ms wall (profiled)`);
  console.log(table(['kernel', 'calls', 'ms', '%'], rows.slice(0, Number(values.top)).map(([k, e]) => [k, String(e.n), e.ms.toFixed(1), ((100 * e.ms) / inKernels).toFixed(1)])));
  const calls = Number(values.calls);
  if (calls > 0) {
    const slow = [...info.kernels].sort((a, b) => Number(b.kernelTimeMs) - Number(a.kernelTimeMs)).slice(0, calls);
    console.log(`\nslowest ${calls} calls:`);
    console.log(table(['kernel', 'ms', 'inputs -> outputs'], slow.map((k) => [k.name, Number(k.kernelTimeMs).toFixed(1), `${k.inputShapes.map((s) => `[${s}]`).join(' ')} -> ${k.outputShapes.map((s) => `[${s}]`).join(' ')}`])));
  }
  runner.dispose();
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
