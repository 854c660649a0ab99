/**
 * Measures what the NCHW public layout costs Conv2d: tfjs's cpu and wasm convolutions only take
 * NHWC (`dataFormat: 'NCHW'` is rejected), so `conv2d` transposes its input to NHWC and its output
 * back, and the gradient transposes again. This times, per backend, forward + backward of
 * (a) the public NCHW conv2d, (b) the four activation transposes alone, on the shapes of the
 * Fashion-MNIST CSNN's two convolutions at T*N = 256, and prints the share of (b) in (a).
 *
 * Run: `pnpm build && tsx packages/nn/bench/conv_layout.ts` (add `--json FILE` to save the table).
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '@snnts/core';
import { conv2d } from '@snnts/functional';

const CASES = [
  { name: 'conv1 1->16 @28x28', x: [256, 1, 28, 28], w: [16, 1, 3, 3] },
  { name: 'conv2 16->32 @14x14', x: [256, 16, 14, 14], w: [32, 16, 3, 3] },
] as const;

/** Median wall time in ms of `f` over `reps` runs after `warm` warm-ups (each run reads back). */
function median(f: () => tf.Tensor[], reps = 9, warm = 2): number {
  const times: number[] = [];
  for (let i = 0; i < warm + reps; i++) {
    const t0 = performance.now();
    const outs = f();
    for (const o of outs) o.dataSync();
    tf.dispose(outs);
    if (i >= warm) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: Record<string, string | number>[] = [];
for (const backend of ['wasm', 'cpu']) {
  await setBackend(backend);
  const nchwSupported = (() => {
    try {
      tf.tidy(() => tf.conv2d(tf.zeros([1, 1, 4, 4]) as tf.Tensor4D, tf.zeros([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same', 'NCHW').dataSync());
      return true;
    } catch {
      return false;
    }
  })();
  for (const c of CASES) {
    const x = tf.randomNormal([...c.x]);
    const w = tf.randomNormal([...c.w]);
    const gy = tf.onesLike(tf.tidy(() => conv2d(x, w, null, { padding: 1 })));
    // (a) public NCHW conv: forward + input and weight gradients.
    const convMs = median(() => {
      const g = tf.grads((xi: tf.Tensor, wi: tf.Tensor) => conv2d(xi, wi, null, { padding: 1 }));
      return g([x, w], gy);
    });
    // (b) the layout conversion alone: NCHW -> NHWC of x and NHWC -> NCHW of y, forward + backward.
    const yNhwc = tf.transpose(gy, [0, 2, 3, 1]);
    const gxNhwc = tf.transpose(x, [0, 2, 3, 1]);
    const layoutMs = median(() => [
      ...tf.grads((xi: tf.Tensor) => tf.transpose(xi, [0, 2, 3, 1]))([x], gxNhwc),
      ...tf.grads((yi: tf.Tensor) => tf.transpose(yi, [0, 3, 1, 2]))([yNhwc], gy),
    ]);
    rows.push({ backend, case: c.name, nchwSupported: String(nchwSupported), convMs: +convMs.toFixed(2), layoutMs: +layoutMs.toFixed(2), layoutShare: +(layoutMs / convMs).toFixed(3) });
    tf.dispose([x, w, gy, yNhwc, gxNhwc]);
  }
}
console.table(rows);
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1]!, `${JSON.stringify(rows, null, 2)}\n`);
