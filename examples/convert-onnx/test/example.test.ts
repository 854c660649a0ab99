/**
 * The convert-onnx example on a small slice (200 test images, T = 8 and 32, mode 'max'): the MLP
 * converts, its table has the expected rows, the ANN accuracy on these images is high, and the
 * SNN at T = 32 is within a few points of it (the full run is `pnpm ... convert`).
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { formatTable, loadData, runModel } from '../src/run.js';

const HAVE = existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');

beforeAll(async () => {
  await setBackend('wasm');
});

describe.skipIf(!HAVE)('convert-onnx example', () => {
  it('converts the MLP and prints accuracy vs T beside the ANN', async () => {
    const data = await loadData(256, 200);
    const r = await runModel('mlp', data, ['max'], [8, 32]);
    expect(r.modes[0]!.thresholds.length).toBe(2);
    expect(r.annAccuracy).toBeGreaterThan(0.8);
    const [a8, a32] = r.modes[0]!.report.accuracy as [number, number];
    expect(a32).toBeGreaterThan(a8 - 0.01);
    expect(Math.abs(a32 - r.annAccuracy)).toBeLessThan(0.05);
    expect(formatTable([r], [8, 32])).toMatch(/\| mlp \| max \| \d+\.\d\d \| \d+\.\d\d \| (8|32) \| \d+\.\d\d \|/);
  });
});
