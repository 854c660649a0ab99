/**
 * Converts the bundled Fashion-MNIST MLP and CNN to spiking networks and prints accuracy against
 * T beside the ANN's accuracy. Run from the repository root:
 *
 *     pnpm build && pnpm --filter @snnts/example-convert-onnx convert [--count 2000] [--backend wasm]
 *
 * Needs Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
 */
import { setBackend } from '@snnts/core';
import { formatTable, loadData, runModel, type ModelResult } from './src/run.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
};
const count = Number(arg('count', '2000'));
const T = [8, 16, 32, 64, 128];
console.log(`backend: ${await setBackend(arg('backend', 'wasm'))}`);
const data = await loadData(512, count);
const results: ModelResult[] = [];
for (const name of ['mlp', 'cnn'] as const) {
  const t0 = performance.now();
  results.push(await runModel(name, data, ['max', '99.9%'], T, console.log));
  console.log(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.log(`\nAccuracy (%) on the first ${count} Fashion-MNIST test images:\n`);
console.log(formatTable(results, T));
