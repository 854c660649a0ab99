/**
 * The `snnts convert` command line, run in-process with tiny IDX files written by the test (so it
 * needs no dataset): the files it writes load back with loadConverted and behave like an in-memory
 * conversion; failures (unsupported model, wrong calibration shape, bad options, a non-empty
 * --out) exit non-zero and leave --out untouched. The bin script is checked by running it once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { Converter, loadConverted, loadOnnx, runCli } from '@snnts/convert';
import { maxAbsDiff } from './helpers/ort.js';
import { small } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'snnts-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An IDX file: magic 0x0008<rank>, big-endian dims, uint8 data. */
function idx(dims: number[], data: Uint8Array): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(head.buffer);
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

const N = 40;
const pixels = Uint8Array.from({ length: N * 6 }, (_, i) => (i * 97) % 256);
const IMAGES = join(dir, 'images-idx3-ubyte');
const LABELS = join(dir, 'labels-idx1-ubyte');
writeFileSync(IMAGES, idx([N, 2, 3], pixels));
writeFileSync(LABELS, idx([N], Uint8Array.from({ length: N }, (_, i) => i % 3)));

function run(args: string[]): { code: Promise<number>; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { code: runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }), out, err };
}

beforeAll(async () => {
  await setBackend('cpu');
});

describe('snnts convert', () => {
  it('writes model.safetensors, config.json, report.md and report.json; the SNN loads back and matches', async () => {
    const out = join(dir, 'ok');
    const r = run(['convert', small('gemm_transb.onnx'), '--calib', IMAGES, '--calib-count', '32', '--batch-size', '16', '--mode', '99.9%', '--T', '4,8', '--eval', IMAGES, '--labels', LABELS, '--firing-rates', '--out', out, '--backend', 'cpu']);
    expect(await r.code, r.err.join('\n')).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors', 'report.json', 'report.md']);
    expect(r.out.join('\n')).toMatch(/\| T \| 4 \| 8 \| ANN \|/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.conversion.mode).toBe('99.9%');
    expect(report.conversion.calibration).toEqual({ batches: 2, samples: 32 });
    expect(report.evaluation.T).toEqual([4, 8]);
    expect(report.evaluation.samples).toBe(N);
    expect(Object.keys(report.evaluation.firingRates)).toEqual(['1.1']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Accuracy vs T');
    // the same conversion in memory
    const x = tf.tidy(() => tf.div(tf.tensor2d(pixels.subarray(0, 32 * 6), [32, 6], 'float32'), 255));
    const batches = [tf.slice(x, 0, 16), tf.slice(x, 16, 16)];
    const mine = await new Converter({ mode: '99.9%' }).convert(await loadOnnx(small('gemm_transb.onnx')), batches);
    const loaded = await loadConverted(out);
    for (let t = 0; t < 3; t++) {
      const [a, b] = [mine.call(x), loaded.call(x)];
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
      tf.dispose([a, b]);
    }
    tf.dispose([x, ...batches]);
    mine.dispose();
    loaded.dispose();
  });

  it.each([
    ['a non-ReLU activation', [small('sigmoid.onnx'), '--calib', IMAGES], /ConversionError: Converter.convert: 'layer '1' \(ONNX node '[^']+'\)' expected ReLU activations only/],
    ['an unsupported op', [small('float16_weights.onnx'), '--calib', IMAGES], /UnsupportedOpError: .*op 'Cast' is not supported/],
    ['calibration images of the wrong shape', [small('flatten.onnx'), '--calib', IMAGES], /ShapeError: Converter.convert: 'calibration batch 0' expected \[N, 2, 3, 4\]/],
    ['a truncated model file', [join(dir, 'truncated.onnx'), '--calib', IMAGES], /OnnxError: loadOnnx: 'pathOrBytes' expected the bytes of an ONNX ModelProto/],
    ['an unknown option', [small('gemm_transb.onnx'), '--calib', IMAGES, '--colour'], /'--colour' expected one of --calib/],
    ['a bad --T', [small('gemm_transb.onnx'), '--calib', IMAGES, '--T', '4,x'], /'--T' expected a comma-separated list of positive integers/],
    ['--eval without --labels', [small('gemm_transb.onnx'), '--calib', IMAGES, '--eval', IMAGES], /'--labels' expected --eval and --labels together/],
  ])('%s: exit code 1, a typed error, nothing written to --out', async (_name, args, message) => {
    writeFileSync(join(dir, 'truncated.onnx'), readFileSync(small('gemm_transb.onnx')).subarray(0, 100));
    const out = join(dir, `fail-${Math.random().toString(36).slice(2)}`);
    const r = run(['convert', ...(args as string[]), '--out', out]);
    expect(await r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(message as RegExp);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('refuses a non-empty --out and leaves it alone', async () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const r = run(['convert', small('gemm_transb.onnx'), '--calib', IMAGES, '--out', out]);
    expect(await r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/'--out' expected a folder that does not exist or is empty/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('usage', async () => {
    const r = run(['--help']);
    expect(await r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/Usage: snnts convert <model.onnx> --calib <images> --out <dir>/);
    const bad = run(['frobnicate']);
    expect(await bad.code).toBe(2);
  });

  it('bin/snnts.js runs the built CLI (when built)', () => {
    const bin = fileURLToPath(new URL('../bin/snnts.js', import.meta.url));
    const built = existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)));
    if (!built) return;
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toMatch(/Usage: snnts convert/);
  });
});
