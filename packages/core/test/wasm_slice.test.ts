// The wasm Slice/SplitV/Unpack replacements (kernels/wasm_slice.ts): every case gives the cpu
// backend's values (contiguous or strided, float32/int32/bool, negative axes, gradients), the
// contiguous ones never copy the whole input out of the heap (no readSync), and the stock kernel
// still runs the strided ones.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installWasmSliceKernels, setBackend, wasmSliceKernelsInstalled } from '../src/index.js';

/** Runs `f` on cpu and on wasm with the same input; returns both results as nested arrays. */
async function onBoth<T>(f: () => T | T[]): Promise<{ cpu: unknown; wasm: unknown }> {
  const run = async (b: string) => {
    await setBackend(b);
    return tf.tidy(() => {
      const r = f();
      const list = (Array.isArray(r) ? r : [r]) as unknown as tf.Tensor[];
      return list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.arraySync() }));
    });
  };
  return { cpu: await run('cpu'), wasm: await run('wasm') };
}

const seq = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.reshape(tf.range(0, shape.reduce((a, b) => a * b), 1, dtype), shape);

describe('wasm slice kernels', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are installed by the wasm provider, idempotently', async () => {
    expect(wasmSliceKernelsInstalled()).toBe(true);
    installWasmSliceKernels();
    expect(wasmSliceKernelsInstalled()).toBe(true);
  });

  it.each([
    ['slice along time', () => tf.slice(seq([6, 3, 4]), 2, 3)],
    ['slice of one step', () => tf.slice(seq([6, 3, 4]), [5, 0, 0], [1, 3, 4])],
    ['strided slice (stock kernel)', () => tf.slice(seq([6, 3, 4]), [1, 1, 0], [2, 2, 3])],
    ['slice with leading unit axes', () => tf.slice(seq([1, 1, 5, 4]), [0, 0, 1, 0], [1, 1, 3, 4])],
    ['int32 slice', () => tf.slice(seq([5, 2], 'int32'), 1, 3)],
    ['bool slice', () => tf.slice(tf.greater(seq([5, 2]), 4), 1, 2)],
    ['split in sizes', () => tf.split(seq([7, 2, 3]), [2, 4, 1], 0)],
    ['split in equal parts, negative axis', () => tf.split(seq([3, 4]), 2, -1)],
    ['split along an inner axis (stock kernel)', () => tf.split(seq([2, 6, 3]), 3, 1)],
    ['unstack along time', () => tf.unstack(seq([4, 2, 3]))],
    ['unstack along an inner axis (stock kernel)', () => tf.unstack(seq([2, 3, 2]), 1)],
    ['unstack with a leading unit axis', () => tf.unstack(seq([1, 3, 2]), 1)],
  ])('%s: same values as the cpu backend', async (_name, f) => {
    const { cpu, wasm } = await onBoth(f as () => tf.Tensor | tf.Tensor[]);
    expect(wasm).toEqual(cpu);
  });

  it('gradients through split and slice are unchanged', async () => {
    const { cpu, wasm } = await onBoth(() => {
      const x = seq([6, 2, 3]);
      const g1 = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.split(a, [2, 4], 0)[1]!, 3)))(x);
      const g2 = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.slice(a, 1, 2))))(x);
      const g3 = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.unstack(a)[4]!, 2)))(x);
      return [g1, g2, g3];
    });
    expect(wasm).toEqual(cpu);
  });

  it('contiguous pieces never copy the input out of the heap; strided ones take the stock kernel', async () => {
    await setBackend('wasm');
    const x = seq([32, 4, 8]);
    const spy = vi.spyOn(tf.backend() as unknown as { readSync(id: unknown): unknown }, 'readSync');
    tf.dispose([...tf.split(x, 8, 0), tf.slice(x, 3, 5), ...tf.unstack(x)]);
    expect(spy).not.toHaveBeenCalled();
    tf.dispose(tf.slice(x, [0, 1, 0], [2, 2, 8]));
    expect(spy).toHaveBeenCalled();
    x.dispose();
  });

  it('do not leak tensors', async () => {
    await setBackend('wasm');
    const x = seq([8, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose([...tf.split(x, 4), ...tf.unstack(x), tf.slice(x, 2, 3)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
