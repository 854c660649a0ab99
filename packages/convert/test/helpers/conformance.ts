/**
 * Runs ONNX's own operator tests (Debian's libonnx-testdata, `data/node/test_<op>*`) through
 * annFromOnnx: graph input 0 is the run-time input, the other inputs are bound as constants (the
 * tests feed weights as inputs), and output 0 is compared with the stored one.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { SnnError } from '@snnts/core';
import { annFromOnnx, decodeOnnx, decodeOnnxTensor, supportedOnnxOps, type OnnxTensor } from '@snnts/convert';

/** Where Debian's libonnx-testdata puts the node tests. */
export const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';
/** Whether libonnx-testdata is installed (CI installs it; see .ci/run). */
export const HAVE_ONNX_TESTDATA = existsSync(NODE_TESTS);

/** The test-folder prefix of each op (lower case, as ONNX names its tests). */
function prefix(op: string): string {
  return op === 'BatchNormalization' ? 'batchnorm' : op.toLowerCase();
}

/** The node tests of every supported op, sorted. */
export function conformanceTests(): string[] {
  if (!HAVE_ONNX_TESTDATA) return [];
  const all = readdirSync(NODE_TESTS);
  const re = new RegExp(`^test_(${supportedOnnxOps().map(prefix).join('|')})(_|$)`);
  return all.filter((d) => re.test(d) && !d.endsWith('_expanded')).sort();
}

/** The outcome of one test: passed, mismatched (wrong numbers) or rejected with a typed error. */
export type Outcome = { kind: 'pass'; maxError: number } | { kind: 'mismatch'; maxError: number } | { kind: 'rejected'; error: string } | { kind: 'crash'; error: string };

const read = (p: string): OnnxTensor => decodeOnnxTensor(new Uint8Array(readFileSync(p)));

/** Runs one node test (data set 0). */
export function runConformance(name: string): Outcome {
  const dir = join(NODE_TESTS, name);
  const data = join(dir, 'test_data_set_0');
  let net;
  let inputs: OnnxTensor[];
  try {
    const model = decodeOnnx(new Uint8Array(readFileSync(join(dir, 'model.onnx'))));
    // inputs that are not tensors (sequences, optionals) do not decode as a TensorProto: a typed error
    inputs = model.inputs.map((_, i) => read(join(data, `input_${i}.pb`)));
    const constants = Object.fromEntries(model.inputs.slice(1).map((v, i) => [v.name, { ...inputs[i + 1]!, name: v.name }]));
    net = annFromOnnx(model, { constants });
  } catch (e) {
    return e instanceof SnnError ? { kind: 'rejected', error: `${e.name}: ${e.message}` } : { kind: 'crash', error: String((e as Error).stack ?? e) };
  }
  try {
    const expected = read(join(data, 'output_0.pb'));
    const x = inputs[0];
    if (!x) return { kind: 'rejected', error: 'no graph input' };
    const y = tf.tidy(() => net.call(tf.tensor(x.data, x.dims)));
    const got = y.dataSync();
    const sameShape = y.shape.length === expected.dims.length && y.shape.every((d, i) => d === expected.dims[i]);
    y.dispose();
    let worst = sameShape ? 0 : Infinity;
    for (let i = 0; sameShape && i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected.data[i]!) / Math.max(1, Math.abs(expected.data[i]!)));
    return worst <= 1e-4 ? { kind: 'pass', maxError: worst } : { kind: 'mismatch', maxError: worst };
  } catch (e) {
    return e instanceof SnnError ? { kind: 'rejected', error: `${e.name}: ${e.message}` } : { kind: 'crash', error: String((e as Error).stack ?? e) };
  } finally {
    net.dispose();
  }
}
