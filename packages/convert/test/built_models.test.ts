/**
 * Models the test builds in memory with encodeOnnx (random weights from a fixed seed), run in
 * onnxruntime-node and through annFromOnnx on the same input: a convolutional graph with a
 * residual Add, a channel Concat, BatchNormalization, GlobalAveragePool, Gemm and Softmax, and
 * the chain of PyTorch's AvgPool2d export (zero Pad + AveragePool) with ceil mode. Within 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { Converter, OnnxGraph, annFromOnnx, decodeOnnx, encodeOnnx, type OnnxModelSpec, type OnnxTensor } from '@snnts/convert';
import { maxAbsDiff, randomValues, runOrt, runSnnts } from './helpers/ort.js';

beforeAll(async () => {
  await setBackend('cpu');
});

let seed = 100;
function weight(name: string, dims: number[], lo = -0.5, hi = 0.5): OnnxTensor {
  return { name, dataType: 'FLOAT', dims, data: randomValues(dims.reduce((a, b) => a * b, 1), seed++, lo, hi) };
}
const ints = (v: number[]) => ({ type: 'INTS' as const, value: v });
const int = (v: number) => ({ type: 'INT' as const, value: v });

const RESIDUAL: OnnxModelSpec = {
  inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3, 8, 8] }],
  outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 5] }],
  initializers: Object.fromEntries(
    [
      weight('w1', [4, 3, 3, 3]), weight('b1', [4]),
      weight('g', [4], 0.5, 1.5), weight('beta', [4]), weight('mean', [4]), weight('var', [4], 0.5, 2),
      weight('w2', [4, 4, 3, 3]), weight('w3', [2, 4, 1, 1]),
      weight('fc', [5, 6]), weight('fcb', [5]),
    ].map((t) => [t.name, t]),
  ),
  nodes: [
    { name: 'conv1', opType: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attributes: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) } },
    { name: 'bn', opType: 'BatchNormalization', inputs: ['c1', 'g', 'beta', 'mean', 'var'], outputs: ['n1'] },
    { name: 'relu1', opType: 'Relu', inputs: ['n1'], outputs: ['r1'] },
    { name: 'conv2', opType: 'Conv', inputs: ['r1', 'w2'], outputs: ['c2'], attributes: { kernel_shape: ints([3, 3]), pads: ints([1, 1, 1, 1]) } },
    { name: 'res', opType: 'Add', inputs: ['c2', 'r1'], outputs: ['s'] },
    { name: 'relu2', opType: 'Relu', inputs: ['s'], outputs: ['r2'] },
    { name: 'conv3', opType: 'Conv', inputs: ['r2', 'w3'], outputs: ['c3'], attributes: { kernel_shape: ints([1, 1]) } },
    { name: 'cat', opType: 'Concat', inputs: ['r2', 'c3'], outputs: ['k'], attributes: { axis: int(1) } },
    { name: 'gap', opType: 'GlobalAveragePool', inputs: ['k'], outputs: ['p'] },
    { name: 'flat', opType: 'Flatten', inputs: ['p'], outputs: ['f'] },
    { name: 'fc', opType: 'Gemm', inputs: ['f', 'fc', 'fcb'], outputs: ['z'], attributes: { transB: int(1) } },
    { name: 'softmax', opType: 'Softmax', inputs: ['z'], outputs: ['y'] },
  ],
};

const PAD_POOL: OnnxModelSpec = {
  inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 2, 7, 7] }],
  outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 2, 4, 4] }],
  initializers: { pads: { name: 'pads', dataType: 'INT64', dims: [8], data: Float32Array.of(0, 0, 1, 1, 0, 0, 1, 1), ints: [0, 0, 1, 1, 0, 0, 1, 1] } },
  nodes: [
    { name: 'pad', opType: 'Pad', inputs: ['x', 'pads'], outputs: ['xp'], attributes: { mode: { type: 'STRING', value: 'constant' } } },
    { name: 'pool', opType: 'AveragePool', inputs: ['xp'], outputs: ['y'], attributes: { kernel_shape: ints([3, 3]), strides: ints([2, 2]) } },
  ],
};

describe('models built in memory vs onnxruntime-node', () => {
  it.each([
    ['residual + concat CNN', RESIDUAL, [3, 3, 8, 8]],
    ['zero Pad + AveragePool', PAD_POOL, [2, 2, 7, 7]],
  ] as const)('%s', async (_name, spec, dims) => {
    const bytes = encodeOnnx(spec);
    const before = tf.memory().numTensors;
    const net = annFromOnnx(decodeOnnx(bytes));
    const x = randomValues(dims.reduce((a, b) => a * b, 1), 7, -1, 1);
    const expected = await runOrt(bytes, { x: { data: x, dims: [...dims] } });
    const actual = runSnnts(net, x, [...dims]);
    expect(actual.dims).toEqual(expected.dims);
    expect(maxAbsDiff(actual.data, expected.data)).toBeLessThan(1e-4);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the residual CNN is an OnnxGraph; without its Softmax it converts (BN folded into conv1)', async () => {
    const net = annFromOnnx(decodeOnnx(encodeOnnx(RESIDUAL)));
    expect(net).toBeInstanceOf(OnnxGraph);
    net.dispose();
    const noSoftmax: OnnxModelSpec = { ...RESIDUAL, nodes: RESIDUAL.nodes.slice(0, -1).map((n) => (n.name === 'fc' ? { ...n, outputs: ['y'] } : n)) };
    const x = tf.randomUniform([4, 3, 8, 8]);
    const converter = new Converter();
    const snn = await converter.convert(decodeOnnx(encodeOnnx(noSoftmax)), x);
    expect(converter.report!.folded).toEqual([{ batchNorm: '1', into: '0' }]);
    expect(converter.report!.layers.length).toBe(2);
    expect(snn.call(x).shape).toEqual([4, 5]);
    snn.dispose();
    x.dispose();
  });
});
