// Multi-threaded wasm in Node (src/kernels/wasm_threads.ts): with more than one CPU the wasm
// backend runs the threaded binary with the requested XNNPACK thread count, computes the same
// matmul as the cpu backend, and reports its state; a failure would say why.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setBackend, wasmThreadsStatus } from '../src/index.js';

describe('wasm threads in Node', () => {
  it('loads the threaded binary when more than one thread is requested, with the same results', async () => {
    await setBackend('cpu');
    const a = tf.randomNormal([64, 48], 0, 1, 'float32', 1);
    const b = tf.randomNormal([48, 32], 0, 1, 'float32', 2);
    const ref = tf.matMul(a, b).dataSync();
    const [av, bv] = [a.dataSync(), b.dataSync()];
    await setBackend('wasm');
    const s = wasmThreadsStatus();
    if (s.requested > 1) {
      expect(s).toEqual({ requested: s.requested, threaded: true });
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      expect(wasm.getThreadsCount()).toBe(Math.min(s.requested, 8));
    } else {
      expect(s.threaded).toBe(false);
      expect(s.reason).toMatch(/one thread/);
    }
    const c = tf.matMul(tf.tensor(av, [64, 48]), tf.tensor(bv, [48, 32])).dataSync();
    let worst = 0;
    for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-4);
  });
});
