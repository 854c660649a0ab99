/**
 * annFromOnnx on the small models of test/fixtures/small (scripts/make_onnx_fixtures.py): each
 * imported module against onnxruntime-node on the same random input (within 1e-4), the layers it
 * maps to, non-chain graphs (residual Add, Concat) as OnnxGraph, and the typed errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { UnsupportedOpError, fromConfig, serialize, setBackend } from '@snnts/core';
import { Linear, type Sequential } from '@snnts/nn';
import { Activation, ConstantAdd, OnnxGraph, annFromOnnx, decodeOnnx, encodeOnnx, loadOnnx, supportedOnnxOps, type OnnxModelSpec } from '@snnts/convert';
import { maxAbsDiff, randomValues, runOrt, runSnnts } from './helpers/ort.js';
import { small } from './helpers/paths.js';



beforeAll(async () => {
  await setBackend('cpu');
});

const CASES: [file: string, dims: number[], layers: string[]][] = [
  ['gemm_transb.onnx', [3, 6], ['Linear', 'ReLU', 'Linear']],
  ['gemm_alpha_beta.onnx', [3, 6], ['Linear', 'ReLU']],
  ['matmul_add.onnx', [2, 3, 6], ['Linear', 'ReLU']],
  ['flatten.onnx', [2, 2, 3, 4], ['Flatten', 'Linear']],
  ['view_static.onnx', [2, 2, 4, 4], ['Conv2d', 'ReLU', 'Flatten', 'Linear']],
  ['view_dynamic.onnx', [3, 2, 4, 4], ['Conv2d', 'ReLU', 'Flatten', 'Linear']],
  ['identity_dropout.onnx', [4, 6], ['Linear', 'ReLU']],
  ['constant_matmul.onnx', [4, 6], ['Linear']],
  ['cnn_bn_pool.onnx', [2, 2, 8, 8], ['Conv2d', 'ReLU', 'BatchNorm2d', 'MaxPool2d', 'Conv2d', 'ReLU', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Flatten', 'Linear']],
];

describe('annFromOnnx vs onnxruntime-node', () => {
  it.each(CASES)('%s', async (file, dims, layers) => {
    const before = tf.memory().numTensors;
    const net = annFromOnnx(await loadOnnx(small(file)));
    expect(net.children().map((c) => c.className)).toEqual(layers);
    const x = randomValues(dims.reduce((a, b) => a * b, 1), dims.length * 31 + dims[0]!);
    const expected = await runOrt(small(file), { input: { data: x, dims } });
    const actual = runSnnts(net, x, dims);
    expect(actual.dims).toEqual(expected.dims);
    expect(maxAbsDiff(actual.data, expected.data)).toBeLessThan(1e-4);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('MatMul + Add folds the Add into the bias of one Linear', async () => {
    const net = annFromOnnx(await loadOnnx(small('matmul_add.onnx')));
    const fc = (net as Sequential).at(0) as Linear;
    expect(fc.bias).not.toBeNull();
    expect(fc.weight.shape).toEqual([4, 6]);
    net.dispose();
  });

  it('an Add that cannot fold becomes ConstantAdd', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
      initializers: { c: { name: 'c', dataType: 'FLOAT', dims: [3], data: Float32Array.of(1, 2, 3) } },
      nodes: [
        { opType: 'Relu', inputs: ['x'], outputs: ['r'] },
        { opType: 'Add', inputs: ['c', 'r'], outputs: ['y'] },
      ],
    };
    const net = annFromOnnx(decodeOnnx(encodeOnnx(spec)));
    expect((net as Sequential).at(1)).toBeInstanceOf(ConstantAdd);
    expect(Array.from(net.call(tf.tensor2d([[-1, 0, 1]])).dataSync())).toEqual([1, 2, 4]);
    net.dispose();
  });
});

describe('non-ReLU activations import (the ANN runs) and match onnxruntime', () => {
  it.each([
    ['sigmoid.onnx', 'Sigmoid'],
    ['tanh.onnx', 'Tanh'],
  ])('%s -> Activation(%s)', async (file, kind) => {
    const net = annFromOnnx(await loadOnnx(small(file))) as Sequential;
    expect((net.at(1) as Activation).kind).toBe(kind);
    const x = randomValues(3 * 6, 5);
    const expected = await runOrt(small(file), { input: { data: x, dims: [3, 6] } });
    expect(maxAbsDiff(runSnnts(net, x, [3, 6]).data, expected.data)).toBeLessThan(1e-4);
    net.dispose();
  });
});

describe('unsupported ops', () => {
  it('float16_weights.onnx (Cast) -> UnsupportedOpError naming the node, the op and the supported ops', async () => {
    const model = await loadOnnx(small('float16_weights.onnx'));
    const err = (() => {
      try {
        annFromOnnx(model);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedOpError);
    expect((err as UnsupportedOpError).op).toBe('Cast');
    expect((err as Error).message).toContain("node 'cast' (Cast)");
    expect((err as Error).message).toContain(`supported: ${supportedOnnxOps().join(', ')}`);
  });

  it('an unsupported configuration of a supported op says what is not supported', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: [2, 3, 4] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: [4, 2, 3] }],
      initializers: { s: { name: 's', dataType: 'INT64', dims: [3], data: Float32Array.of(4, 2, 3), ints: [4, 2, 3] } },
      nodes: [{ name: 'r', opType: 'Reshape', inputs: ['x', 's'], outputs: ['y'] }],
    };
    expect(() => annFromOnnx(decodeOnnx(encodeOnnx(spec)))).toThrow(/node 'r' \(Reshape\): Reshape of \[2, 3, 4\] to \[4, 2, 3\] is not a flatten to \[N, -1\]/);
  });

  it('a Mul of two run-time tensors is not a merge op', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
      nodes: [{ name: 'sq', opType: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }],
    };
    expect(() => annFromOnnx(decodeOnnx(encodeOnnx(spec)))).toThrow(/node 'sq' \(Mul\): 2 run-time inputs; only Add, Sum and Concat may join branches/);
  });
});

describe('non-chain graphs become OnnxGraph and match onnxruntime', () => {
  it.each([
    ['residual.onnx', ['Linear', 'ReLU', 'ElementwiseAdd']],
    ['concat.onnx', ['Linear', 'Linear', 'ReLU', 'Concat']],
  ])('%s', async (file, classes) => {
    const before = tf.memory().numTensors;
    const net = annFromOnnx(await loadOnnx(small(file)));
    expect(net).toBeInstanceOf(OnnxGraph);
    expect(net.children().map((c) => c.className)).toEqual(classes);
    const x = randomValues(4 * 6, 9);
    const expected = await runOrt(small(file), { input: { data: x, dims: [4, 6] } });
    const actual = runSnnts(net, x, [4, 6]);
    expect(actual.dims).toEqual(expected.dims);
    expect(maxAbsDiff(actual.data, expected.data)).toBeLessThan(1e-4);
    // round trip through the config
    const copy = fromConfig(serialize(net));
    copy.loadStateDict(net.stateDict());
    expect(maxAbsDiff(runSnnts(copy, x, [4, 6]).data, expected.data)).toBeLessThan(1e-4);
    copy.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('x + x is an ElementwiseAdd reading the input twice', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
      nodes: [{ name: 'sum', opType: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
    };
    const net = annFromOnnx(decodeOnnx(encodeOnnx(spec))) as OnnxGraph;
    expect(net.steps.map((s) => s.inputs)).toEqual([[0, 0]]);
    expect(Array.from(net.call(tf.tensor2d([[1, -2, 3]])).dataSync())).toEqual([2, -4, 6]);
    net.dispose();
  });

  it('an unused branch is dropped; a constant Add does not fold into a layer whose output is read twice', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 2] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 2] }],
      initializers: {
        W: { name: 'W', dataType: 'FLOAT', dims: [2, 2], data: Float32Array.of(1, 2, 3, 4) },
        c: { name: 'c', dataType: 'FLOAT', dims: [2], data: Float32Array.of(10, 20) },
      },
      nodes: [
        { name: 'mm', opType: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
        { name: 'dead', opType: 'Relu', inputs: ['x'], outputs: ['unused'] },
        { name: 'add', opType: 'Add', inputs: ['h', 'c'], outputs: ['hc'] },
        { name: 'res', opType: 'Add', inputs: ['hc', 'h'], outputs: ['y'] },
      ],
    };
    const net = annFromOnnx(decodeOnnx(encodeOnnx(spec)));
    expect(net.children().map((c) => c.className)).toEqual(['Linear', 'ConstantAdd', 'ElementwiseAdd']);
    // x W = [1, 1] [[1, 2], [3, 4]] = [4, 6]; y = (xW + c) + xW
    expect(Array.from(net.call(tf.tensor2d([[1, 1]])).dataSync())).toEqual([18, 32]);
    net.dispose();
  });

  it('two graph inputs or outputs', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }, { name: 'z', elemType: 'FLOAT', shape: ['N', 3] }],
      outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
      nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
    };
    expect(() => annFromOnnx(decodeOnnx(encodeOnnx(spec)))).toThrow(/annFromOnnx: 'model.inputs' expected exactly one graph input .*, but got 2 inputs \['x', 'z'\]/);
  });

  it('a used Dropout mask output', () => {
    const spec: OnnxModelSpec = {
      inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
      outputs: [{ name: 'mask', elemType: 'BOOL', shape: ['N', 3] }],
      nodes: [{ name: 'd', opType: 'Dropout', inputs: ['x'], outputs: ['y', 'mask'] }],
    };
    expect(() => annFromOnnx(decodeOnnx(encodeOnnx(spec)))).toThrow(/'model.outputs\[0\]' expected a run-time value computed from the graph input, but got 'mask', output 1 of node 'd' \(Dropout\)/);
  });
});
