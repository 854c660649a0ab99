// The fast BatchMatMul gradient (src/kernels/matmul_grad.ts): installed as tfjs's gradient on
// import, and for every transposeA/transposeB combination, rank 2 and batched rank 3, the
// gradients of sum(matMul(a, b, ta, tb) * G) equal a float64 reference computed with plain loops.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fastMatMulGradConfig, matMulNoTranspose, registerFastMatMulGrad, setBackend } from '../src/index.js';

/** Deterministic float32-representable test values. */
function fill(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.fround(Math.sin(seed * 12.9898 + i * 78.233) * 2));
}

/** Element [i, j] of a row-major [rows, cols] matrix stored at `off`, optionally transposed. */
function at(x: number[], off: number, cols: number, i: number, j: number, transposed: boolean): number {
  return transposed ? x[off + j * cols + i]! : x[off + i * cols + j]!;
}

/**
 * Reference gradients of L = sum(C * G), C = op(A) op(B), in float64. `a` is stored as [batch,
 * M, K] (or [batch, K, M] when ta), `b` as [batch, K, N] (or [batch, N, K] when tb). Returns dL/da
 * and dL/db in the storage layout of a and b.
 */
function referenceGrads(
  a: number[], b: number[], g: number[], batch: number, M: number, K: number, N: number, ta: boolean, tb: boolean,
): { da: number[]; db: number[]; c: number[] } {
  const da = new Array<number>(a.length).fill(0);
  const db = new Array<number>(b.length).fill(0);
  const c = new Array<number>(batch * M * N).fill(0);
  const aCols = ta ? M : K;
  const bCols = tb ? K : N;
  for (let s = 0; s < batch; s++) {
    const ao = s * M * K, bo = s * K * N, go = s * M * N;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += at(a, ao, aCols, m, k, ta) * at(b, bo, bCols, k, n, tb);
        c[go + m * N + n] = acc;
      }
    }
    // dA[m,k] = sum_n G[m,n] B[k,n];  dB[k,n] = sum_m A[m,k] G[m,n]  (A = op(a), B = op(b)).
    for (let m = 0; m < M; m++) {
      for (let k = 0; k < K; k++) {
        let acc = 0;
        for (let n = 0; n < N; n++) acc += g[go + m * N + n]! * at(b, bo, bCols, k, n, tb);
        da[ao + (ta ? k * M + m : m * K + k)] = acc;
      }
    }
    for (let k = 0; k < K; k++) {
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let m = 0; m < M; m++) acc += at(a, ao, aCols, m, k, ta) * g[go + m * N + n]!;
        db[bo + (tb ? n * K + k : k * N + n)] = acc;
      }
    }
  }
  return { da, db, c };
}

function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

const COMBOS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('BatchMatMul gradient registration', () => {
  it("tf.getGradient('BatchMatMul') is snnts's config after importing core, and re-registering is idempotent", () => {
    expect(tf.BatchMatMul).toBe('BatchMatMul');
    expect(tf.getGradient('BatchMatMul')).toBe(fastMatMulGradConfig);
    registerFastMatMulGrad();
    expect(tf.getGradient('BatchMatMul')).toBe(fastMatMulGradConfig);
    expect(fastMatMulGradConfig.inputsToSave).toEqual(['a', 'b']);
  });
});

describe.each(['cpu', 'wasm'])('fast matmul gradient on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  // Non-square sizes so a swapped operand cannot pass by accident.
  const M = 3, K = 4, N = 5;

  for (const [batch, label] of [[0, 'rank 2'], [2, 'batched rank 3']] as const) {
    it.each(COMBOS)(`${label}: transposeA=%s transposeB=%s matches the float64 reference`, (ta, tb) => {
      const B = Math.max(batch, 1);
      const lead = batch ? [batch] : [];
      const aShape = [...lead, ...(ta ? [K, M] : [M, K])];
      const bShape = [...lead, ...(tb ? [N, K] : [K, N])];
      const av = fill(B * M * K, 1), bv = fill(B * K * N, 2), gv = fill(B * M * N, 3);
      const ref = referenceGrads(av, bv, gv, B, M, K, N, ta, tb);
      const before = tf.memory().numTensors;
      const a = tf.tensor(av, aShape), b = tf.tensor(bv, bShape), G = tf.tensor(gv, [...lead, M, N]);
      const c = tf.matMul(a, b, ta, tb);
      expect(maxAbsDiff(c.dataSync(), ref.c)).toBeLessThan(1e-4);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), G)))([a, b]);
      expect(da!.shape).toEqual(aShape);
      expect(db!.shape).toEqual(bShape);
      expect(maxAbsDiff(da!.dataSync(), ref.da)).toBeLessThan(1e-4);
      expect(maxAbsDiff(db!.dataSync(), ref.db)).toBeLessThan(1e-4);
      tf.dispose([a, b, G, c, da!, db!]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('stays on the fast path: no BatchMatMul in the backward pass has a transposed operand', () => {
    const engine = tf.engine();
    const original = engine.runKernel.bind(engine);
    const seen: { transposeA: boolean; transposeB: boolean }[] = [];
    const spy = vi.spyOn(engine, 'runKernel').mockImplementation((name, inputs, attrs) => {
      if (name === 'BatchMatMul') seen.push(attrs as unknown as { transposeA: boolean; transposeB: boolean });
      return original(name, inputs, attrs);
    });
    const a = tf.tensor(fill(12, 7), [3, 4]), b = tf.tensor(fill(20, 8), [4, 5]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, b]);
    spy.mockRestore();
    expect(seen.length).toBe(3); // forward + two gradients
    expect(seen.every((s) => !s.transposeA && !s.transposeB)).toBe(true);
    tf.dispose([a, b, da!, db!]);
  });

  it('matMulNoTranspose equals matMul with the same flags', () => {
    for (const [ta, tb] of COMBOS) {
      const a = tf.tensor(fill(2 * 12, 4), [2, ...(ta ? [4, 3] : [3, 4])]);
      const b = tf.tensor(fill(2 * 20, 5), [2, ...(tb ? [5, 4] : [4, 5])]);
      const x = matMulNoTranspose(a, b, ta, tb);
      const y = tf.matMul(a, b, ta, tb);
      expect(x.shape).toEqual([2, 3, 5]);
      expect(maxAbsDiff(x.dataSync(), y.dataSync())).toBeLessThan(1e-5);
      tf.dispose([a, b, x, y]);
    }
  });

  it('an operand used on both sides (x x^T) gets both gradient contributions', () => {
    // f(a) = sum(a a^T) for a [2, 3]: df/da[i,k] = 2 * sum_j a[j,k] (the column sum, twice).
    const av = fill(6, 6);
    const a = tf.tensor(av, [2, 3]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x, x, false, true)))(a);
    const colSum = [0, 1, 2].map((k) => av[k]! + av[3 + k]!);
    expect(maxAbsDiff(g.dataSync(), [...colSum, ...colSum].map((v) => 2 * v))).toBeLessThan(1e-5);
    tf.dispose([a, g]);
  });
});
