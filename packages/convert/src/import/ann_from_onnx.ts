/**
 * `annFromOnnx`: an ONNX model (decoded by `loadOnnx` / `decodeOnnx`) as an snnts module of
 * `@snnts/nn` layers with the model's weights, in evaluation mode: the ANN that ANN-to-SNN
 * conversion starts from. A chain graph becomes a `Sequential`, any other DAG an `OnnxGraph`.
 */
import type { Module } from '@snnts/core';
import { OnnxError } from '../errors.js';
import type { OnnxModel, OnnxTensor } from '../onnx/types.js';
import { GraphBuilder } from './graph_builder.js';

/** Options of {@link annFromOnnx}. */
export interface AnnFromOnnxOptions {
  /**
   * Values for graph inputs that are really weights (e.g. ONNX's own operator tests feed a
   * convolution's `W` as a graph input): each named input becomes a constant.
   */
  constants?: Record<string, OnnxTensor>;
}

/**
 * Builds the snnts ANN of an ONNX graph: `Gemm` / `MatMul` (+ `Add`) -> `Linear`, `Relu` ->
 * `ReLU`, `Flatten` / flatten-like `Reshape` -> `Flatten`, `Conv` -> `Conv2d`,
 * `BatchNormalization` -> `BatchNorm2d` / `BatchNorm1d`, `MaxPool` -> `MaxPool2d`, `AveragePool`
 * (with PyTorch's zero `Pad` before it) -> `AvgPool2d`, `GlobalAveragePool` ->
 * `AdaptiveAvgPool2d(1)`; `Identity`, `Dropout` and `Constant` vanish; `Add` / `Sum` / `Concat`
 * of run-time tensors join branches. A chain is returned as a `Sequential` (children `0`, `1`,
 * ...), anything else as an {@link OnnxGraph}. The result is in `eval()` mode and takes the
 * graph's input layout (`[N, C, H, W]` for images).
 *
 * @throws UnsupportedOpError for an op outside {@link supportedOnnxOps} or a configuration its
 * handler cannot map (the message names the node, its op type and the supported ops).
 * @throws OnnxError for a graph with more than one input or output, or an undefined value.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { annFromOnnx, decodeOnnx, encodeOnnx } from '@snnts/convert';
 * const bytes = encodeOnnx({
 *   inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 4] }],
 *   outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 2] }],
 *   initializers: {
 *     W: { name: 'W', dataType: 'FLOAT', dims: [2, 4], data: new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]) },
 *     b: { name: 'b', dataType: 'FLOAT', dims: [2], data: new Float32Array([0.5, -5]) },
 *   },
 *   nodes: [
 *     { opType: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['h'], attributes: { transB: { type: 'INT', value: 1 } } },
 *     { opType: 'Relu', inputs: ['h'], outputs: ['y'] },
 *   ],
 * });
 * const net = annFromOnnx(decodeOnnx(bytes)); // Sequential(Linear(4, 2), ReLU)
 * net.call(tf.tensor2d([[1, 2, 3, 4]])).print(); // [[1.5, 0]]
 * ```
 */
export function annFromOnnx(model: OnnxModel, options: AnnFromOnnxOptions = {}): Module {
  const fn = 'annFromOnnx';
  if (typeof model !== 'object' || model === null || !Array.isArray(model.nodes) || !Array.isArray(model.inputs)) {
    throw new OnnxError(fn, 'model', 'an OnnxModel from loadOnnx() or decodeOnnx()', model === null ? 'null' : typeof model);
  }
  const builder = new GraphBuilder(model, fn, options.constants);
  for (const node of model.nodes) builder.add(node);
  const net = builder.finish();
  net.eval();
  return net;
}
