/**
 * The golden spikingjelly models (examples/convert-onnx/models, see its PROVENANCE.md) through the importer:
 * decoding (opset, inputs with symbolic batch, initializers, nodes, attributes) and the imported
 * ANN against onnxruntime-node on the same random input.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { annFromOnnx, decodeOnnx, loadOnnx } from '@snnts/convert';
import { maxAbsDiff, randomValues, runOrt, runSnnts } from './helpers/ort.js';
import { MODELS } from './helpers/paths.js';

const fixture = (name: 'mlp.onnx' | 'cnn.onnx') => (name === 'mlp.onnx' ? MODELS.mlp : MODELS.cnn);
const MLP = fixture('mlp.onnx');
const CNN = fixture('cnn.onnx');

beforeAll(async () => {
  await setBackend('cpu');
});

describe('onnxruntime-node', () => {
  it('imports and runs a model (its CPU binary ships in the npm package; no install script needed)', async () => {
    const session = await ort.InferenceSession.create(MLP);
    expect(session.inputNames).toEqual(['input']);
    await session.release();
  });
});

describe('decode the golden models', () => {
  it('mlp.onnx', async () => {
    const m = await loadOnnx(MLP);
    expect(m.opset).toBe(13);
    expect(m.producerName).toBe('pytorch');
    expect(m.inputs).toEqual([{ name: 'input', elemType: 'FLOAT', shape: ['batch', 1, 28, 28] }]);
    expect(m.outputs).toEqual([{ name: 'output', elemType: 'FLOAT', shape: ['batch', 10] }]);
    expect(m.nodes.map((n) => n.opType)).toEqual(['Flatten', 'Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm']);
    expect(m.nodes[0]!.attributes['axis']).toEqual({ type: 'INT', value: 1 });
    expect(m.nodes[1]!.attributes['transB']).toEqual({ type: 'INT', value: 1 });
    expect(m.nodes[1]!.attributes['alpha']).toEqual({ type: 'FLOAT', value: 1 });
    const w = m.initializers['1.weight']!;
    expect(w.dims).toEqual([256, 784]);
    expect(w.dataType).toBe('FLOAT');
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.data.length).toBe(256 * 784);
    expect(Object.keys(m.initializers).sort()).toEqual(['1.bias', '1.weight', '3.bias', '3.weight', '5.bias', '5.weight']);
  });

  it('cnn.onnx (Constant + Pad + AveragePool from AvgPool2d, BN folded into the first Conv)', () => {
    const m = decodeOnnx(new Uint8Array(readFileSync(CNN)));
    expect(m.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'Constant', 'Pad', 'AveragePool', 'Flatten', 'Gemm']);
    const conv = m.nodes[0]!;
    expect(conv.attributes['kernel_shape']).toEqual({ type: 'INTS', value: [3, 3] });
    expect(conv.attributes['pads']).toEqual({ type: 'INTS', value: [0, 0, 0, 0] });
    const constant = m.nodes[5]!.attributes['value'];
    expect(constant?.type).toBe('TENSOR');
    if (constant?.type === 'TENSOR') {
      expect(constant.value.dataType).toBe('INT64');
      expect(constant.value.ints!.every((v) => v === 0)).toBe(true);
    }
    expect(m.nodes[6]!.attributes['mode']).toEqual({ type: 'STRING', value: 'constant' });
    expect(m.initializers[conv.inputs[1]!]!.dims).toEqual([8, 1, 3, 3]);
  });
});

describe('annFromOnnx vs onnxruntime-node', () => {
  it('MLP: Sequential(Flatten, Linear, ReLU, Linear, ReLU, Linear) within 1e-4', async () => {
    const net = annFromOnnx(await loadOnnx(MLP));
    expect(net.children().map((c) => c.className)).toEqual(['Flatten', 'Linear', 'ReLU', 'Linear', 'ReLU', 'Linear']);
    expect(net.training).toBe(false);
    const dims = [5, 1, 28, 28];
    const x = randomValues(5 * 784, 7, 0, 1);
    const expected = await runOrt(MLP, { input: { data: x, dims } });
    const actual = runSnnts(net, x, dims);
    expect(actual.dims).toEqual(expected.dims);
    expect(maxAbsDiff(actual.data, expected.data)).toBeLessThan(1e-4);
    net.dispose();
  });

  it('CNN: Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, AvgPool2d (Pad folded), Flatten, Linear within 1e-4', async () => {
    const net = annFromOnnx(await loadOnnx(CNN));
    expect(net.children().map((c) => c.className)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d', 'Conv2d', 'ReLU', 'AvgPool2d', 'Flatten', 'Linear']);
    const dims = [3, 1, 28, 28];
    const x = randomValues(3 * 784, 11, 0, 1);
    const expected = await runOrt(CNN, { input: { data: x, dims } });
    const actual = runSnnts(net, x, dims);
    expect(actual.dims).toEqual(expected.dims);
    expect(maxAbsDiff(actual.data, expected.data)).toBeLessThan(1e-4);
    net.dispose();
  });
});
