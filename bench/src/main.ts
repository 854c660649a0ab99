/**
 * `pnpm bench`: runs the workloads of `workloads/` on every available snnts backend (one fresh
 * process per run) and, with `--baseline`, the PyTorch baselines of `bench/baselines/` in the same
 * session, alternating with the snnts runs (round by round, so a noisy neighbour hits both). Prints
 * a table (median ms/step, samples/s, peak RSS, live tensors) and the ratio snnts / fastest
 * PyTorch formulation per workload, and writes everything to `bench/results/latest.json`.
 *
 *   pnpm bench [--baseline] [--workloads W1,W3] [--backends wasm] [--rounds 2] [--iters 5]
 *              [--warmup 2] [--budget-s 20] [--naive] [--python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listBackends } from '@snnts/core';
import type { ChildResult } from './child.js';
import { buildChild } from './child_bundle.js';
import { median, table } from './stats.js';
import { WORKLOADS } from './workloads/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
/** The child as plain JS against the packages' dist (see `child_bundle.ts`). */
const CHILD = await buildChild(ROOT);

interface Run extends Omit<ChildResult, 'tensorsBefore' | 'tensorsAfter' | 'tensorsAfterDispose'> {
  /** `snnts-wasm`, `torch-loop`, ... */
  impl: string;
  tensorsBefore?: number;
  tensorsAfter?: number;
  tensorsAfterDispose?: number;
}

function parse(line: string | undefined, what: string): Run | string {
  const m = /^RESULT (.*)$/m.exec(line ?? '');
  return m ? (JSON.parse(m[1]!) as Run) : `${what} failed: ${(line ?? '').trim().split('\n').slice(-3).join(' | ')}`;
}

function runChild(workload: string, backend: string, variant: string, o: Opts): Run | string {
  const r = spawnSync(
    process.execPath,
    [CHILD, '--workload', workload, '--backend', backend, '--variant', variant, '--warmup', String(o.warmup), '--iters', String(o.iters), '--budget-s', String(o.budgetS)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const out = parse(r.stdout + r.stderr, `snnts ${workload} on ${backend}`);
  if (typeof out !== 'string') out.impl = `snnts-${backend}${variant === 'naive' ? '-naive' : ''}`;
  return out;
}

function runTorch(workload: string, variant: string, o: Opts): Run | string {
  const r = spawnSync(
    o.python,
    [join(ROOT, 'bench', 'baselines', 'run.py'), '--workload', workload, '--variant', variant, '--warmup', String(o.warmup), '--iters', String(o.iters), '--budget-s', String(o.budgetS)],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: String(o.torchThreads), BENCH_THREADS: String(o.torchThreads) } },
  );
  const out = parse(r.stdout + r.stderr, `torch ${workload} ${variant}`);
  if (typeof out !== 'string') out.impl = `torch-${variant}`;
  return out;
}

/** Which Python modules are importable (`torch` needed; snntorch/spikingjelly reported only). */
function probePython(python: string): { torch: string | null; missing: string[] } {
  const code = 'import importlib,json\nr={}\nfor m in ["torch","snntorch","spikingjelly"]:\n  try:\n    r[m]=getattr(importlib.import_module(m),"__version__","?")\n  except Exception as e:\n    r[m]=None\nprint(json.dumps(r))';
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) return { torch: null, missing: ['python'] };
  const v = JSON.parse(r.stdout) as Record<string, string | null>;
  return { torch: v['torch'] ?? null, missing: Object.keys(v).filter((k) => v[k] === null) };
}

interface Opts {
  warmup: number;
  iters: number;
  budgetS: number;
  python: string;
  torchThreads: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'boolean', default: false },
      workloads: { type: 'string', default: [...WORKLOADS.keys()].join(',') },
      backends: { type: 'string' },
      rounds: { type: 'string', default: '2' },
      iters: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      'budget-s': { type: 'string', default: '20' },
      naive: { type: 'boolean', default: false },
      python: { type: 'string', default: '/usr/bin/python3' },
      'torch-threads': { type: 'string', default: '2' },
      out: { type: 'string', default: join(ROOT, 'bench', 'results', 'latest.json') },
    },
  });
  const o: Opts = { warmup: Number(values.warmup), iters: Number(values.iters), budgetS: Number(values['budget-s']), python: values.python!, torchThreads: Number(values['torch-threads']) };
  const workloads = values.workloads!.split(',').map((w) => {
    const wl = WORKLOADS.get(w.trim());
    if (!wl) throw new Error(`bench: unknown workload '${w}' (known: ${[...WORKLOADS.keys()].join(', ')})`);
    return wl;
  });
  const available = (await listBackends()).filter((b) => b.available);
  const backends = values.backends ? values.backends.split(',') : available.map((b) => b.name);
  const defaultBackend = available[0]?.name ?? 'cpu';
  let torch = false;
  if (values.baseline) {
    const p = probePython(o.python);
    if (p.torch) {
      torch = true;
      console.log(`baseline: ${o.python} with torch ${p.torch}, ${o.torchThreads} threads, OMP_WAIT_POLICY=PASSIVE` + (p.missing.length ? `; not importable: ${p.missing.join(', ')} (their baselines are skipped)` : ''));
    } else {
      console.log(`baseline: no PyTorch (${o.python} ${p.missing.includes('python') ? 'not runnable' : 'cannot import torch'}); running snnts alone`);
    }
  }
  const rounds = Number(values.rounds);
  const variants = values.naive ? ['default', 'naive'] : ['default'];
  const runs: Run[] = [];
  const errors: string[] = [];
  for (const w of workloads) {
    for (let r = 0; r < (torch ? rounds : 1); r++) {
      const jobs: (() => Run | string)[] = [];
      for (const b of backends) for (const v of variants) jobs.push(() => runChild(w.name, b, v, o));
      if (torch) for (const v of ['loop', 'hoisted']) jobs.push(() => runTorch(w.name, v, o));
      // Alternate the order between rounds so neither side always runs first.
      for (const job of r % 2 ? jobs.reverse() : jobs) {
        const res = job();
        if (typeof res === 'string') errors.push(res);
        else {
          runs.push(res);
          process.stderr.write(`  ${w.name} ${res.impl}: ${median(res.stepsMs).toFixed(1)} ms\n`);
        }
      }
    }
  }
  report(workloads.map((w) => w.name), runs, defaultBackend, values.out!, errors);
}

function report(names: string[], runs: Run[], defaultBackend: string, out: string, errors: string[]): void {
  const rows: string[][] = [];
  const summary: Record<string, unknown>[] = [];
  for (const name of names) {
    const wl = WORKLOADS.get(name)!;
    const impls = [...new Set(runs.filter((r) => r.workload === name).map((r) => r.impl))];
    const stats = impls.map((impl) => {
      const rs = runs.filter((r) => r.workload === name && r.impl === impl);
      const ms = median(rs.flatMap((r) => r.stepsMs));
      const last = rs[rs.length - 1]!;
      return { impl, ms, samplesPerS: (wl.batch * 1000) / ms, peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)), tensors: last.tensorsAfter, leak: last.tensorsAfter !== undefined ? last.tensorsAfter - last.tensorsBefore! : undefined, steps: rs.flatMap((r) => r.stepsMs).length };
    });
    const torch = stats.filter((s) => s.impl.startsWith('torch'));
    const best = torch.length ? torch.reduce((a, b) => (a.ms < b.ms ? a : b)) : null;
    for (const s of stats) {
      const ratio = best && s.impl.startsWith('snnts') ? (s.ms / best.ms).toFixed(2) : '';
      const rss = best && s.impl.startsWith('snnts') ? ` (${(s.peakRssMB / best.peakRssMB).toFixed(2)}x)` : '';
      rows.push([name, s.impl, s.ms.toFixed(1), s.samplesPerS.toFixed(0), s.peakRssMB.toFixed(0) + rss, s.tensors === undefined ? '' : `${s.tensors} (${s.leak! >= 0 ? '+' : ''}${s.leak})`, String(s.steps), ratio]);
    }
    const def = stats.find((s) => s.impl === `snnts-${defaultBackend}`);
    summary.push({ workload: name, title: wl.title, batch: wl.batch, stats, fastestBaseline: best?.impl ?? null, ratio: def && best ? def.ms / best.ms : null });
  }
  console.log('\n' + table(['workload', 'impl', 'median ms/step', 'samples/s', 'peak RSS MB', 'tensors (leak)', 'steps', 'ratio'], rows));
  console.log(`\nratio = snnts median / fastest PyTorch median in this session; default backend: ${defaultBackend}. The machine is shared: compare ratios, not absolute times.`);
  for (const e of errors) console.log(`error: ${e}`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), defaultBackend, node: process.version, summary, runs, errors }, null, 2));
  console.log(`wrote ${out}`);
}

main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
