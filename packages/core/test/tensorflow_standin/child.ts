// Child process of tensorflow_standin.test.ts: loads @snnts/core from source with the stand-in
// hooks active, runs one scenario (argv[2]) through the real registry and its real dynamic import,
// and prints one JSON line with what happened.
import * as tf from '@tensorflow/tfjs';
import { BackendError, getBackend, listBackends, setBackend } from '../../src/index.js';

interface Report {
  scenario: string;
  result?: string;
  error?: { name: string; message: string };
  after: { snnts: string; tf: string };
  imports: string[];
  matmul?: number[];
  tensorflowRow?: unknown;
}

async function main(): Promise<void> {
  const scenario = process.argv[2] ?? 'named';
  await setBackend('cpu');
  const report: Report = { scenario, after: { snnts: '', tf: '' }, imports: [] };
  try {
    report.result = await (scenario === 'auto' ? setBackend() : setBackend('tensorflow'));
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]));
    report.matmul = Array.from(await y.data());
  } catch (e) {
    report.error = { name: e instanceof BackendError ? 'BackendError' : (e as Error).name, message: (e as Error).message };
  }
  report.after = { snnts: getBackend(), tf: tf.getBackend() };
  report.imports = (globalThis as { __standinImports?: string[] }).__standinImports ?? [];
  report.tensorflowRow = (await listBackends()).find((b) => b.name === 'tensorflow');
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
