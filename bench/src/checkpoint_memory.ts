/**
 * Peak memory (and time) of one BPTT gradient vs T, plain vs `checkpointOverTime`: the W2 network
 * (784-256-10 LIF, τ 2, hard reset), batch 32, static input, loss Σ output spikes. Each (T, mode)
 * runs in a fresh process and reports its peak RSS minus that of a T=1 plain run (tfjs's
 * `numBytes` counts every clone of shared data again, so it cannot measure this).
 *
 *   tsx --tsconfig bench/tsconfig.json bench/src/checkpoint_memory.ts [--backend wasm] [--T 16,64,256] [--chunk 8]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { manualSeed, setBackend } from '@snnts/core';
import { checkpointOverTime, resetNet, setStepMode } from '@snnts/functional';
import { LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';

/** One (T, mode) in this process: 2 gradient steps; prints `ms maxRssMB`. */
async function child(backendName: string, T: number, chunk: number): Promise<void> {
  await setBackend(backendName);
  manualSeed(0);
  const net = new Sequential(new SeqToANNContainer(new Linear(784, 256)), new LIFNode({ tau: 2 }), new SeqToANNContainer(new Linear(256, 10)), new LIFNode({ tau: 2 }));
  setStepMode(net, 'm');
  const x = tf.randomUniform([32, 784], 0, 1, 'float32', 1);
  const step = () => {
    const xs = tf.tidy(() => tf.stack(new Array<tf.Tensor>(T).fill(x)));
    const { value, grads } = tf.variableGrads(() => tf.sum(chunk > 0 ? checkpointOverTime(net, xs, chunk) : net.forward(xs)) as tf.Scalar);
    tf.dispose([xs, value, ...Object.values(grads)]);
    resetNet(net);
  };
  step();
  const t0 = performance.now();
  step();
  console.log(`${performance.now() - t0} ${process.resourceUsage().maxRSS / 1024}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, T: { type: 'string', default: '16,64,256' }, chunk: { type: 'string', default: '8' }, child: { type: 'string' } } });
  if (values.child !== undefined) return child(values.backend!, Number(values.T), Number(values.child));
  const run = (T: number, chunk: number) => {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--backend', values.backend!, '--T', String(T), `--child=${chunk}`], { encoding: 'utf8' });
    const [ms, rss] = r.stdout.trim().split('\n').at(-1)!.split(' ').map(Number);
    if (!Number.isFinite(rss)) throw new Error(`child failed: ${r.stderr}`);
    return { ms: ms!, rss: rss! };
  };
  const chunk = Number(values.chunk);
  const base = run(1, 0).rss;
  console.log(`backend ${values.backend}, batch 32, chunk ${chunk}, RSS above a T=1 run (${base.toFixed(0)} MB)`);
  console.log('| T | plain MB | checkpointed MB | plain ms | checkpointed ms |\n|---|---|---|---|---|');
  for (const T of values.T!.split(',').map(Number)) {
    const p = run(T, 0);
    const c = run(T, chunk);
    console.log(`| ${T} | ${(p.rss - base).toFixed(0)} | ${(c.rss - base).toFixed(0)} | ${p.ms.toFixed(0)} | ${c.ms.toFixed(0)} |`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
