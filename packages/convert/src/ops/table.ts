/**
 * The op table: ONNX operator type -> handler. The list of supported operators that errors and
 * docs show is derived from this table, never typed by hand.
 */
import { clip, leakyRelu, relu, sigmoid, softmax, tanh } from './activation.js';
import { add } from './add.js';
import { batchNormalization } from './batch_norm.js';
import { conv } from './conv.js';
import { gemm, matMul } from './gemm.js';
import { constant, dropout, identity } from './identity.js';
import { pad } from './pad.js';
import { averagePool, globalAveragePool, maxPool } from './pool.js';
import { flatten, reshape } from './reshape.js';
import { MERGE_TABLE } from './merge.js';
import { concat, gather, shape, unsqueeze } from './shape_ops.js';
import type { OpHandler } from './types.js';

/** `Sum` of one run-time tensor (and nothing else) is the tensor itself; with several it is a merge. */
const sum: OpHandler = (ctx) => {
  if (ctx.node.inputs.length !== 1) ctx.unsupported('a Sum of a run-time tensor and constants');
  ctx.passThrough();
};

/** Handlers by ONNX op type (default domain), for nodes with at most one run-time input. @internal */
export const OP_TABLE: ReadonlyMap<string, OpHandler> = new Map<string, OpHandler>([
  ['Gemm', gemm],
  ['MatMul', matMul],
  ['Add', add],
  ['Relu', relu],
  ['Sigmoid', sigmoid],
  ['Tanh', tanh],
  ['LeakyRelu', leakyRelu],
  ['Clip', clip],
  ['Softmax', softmax],
  ['Flatten', flatten],
  ['Reshape', reshape],
  ['Identity', identity],
  ['Dropout', dropout],
  ['Constant', constant],
  ['Conv', conv],
  ['BatchNormalization', batchNormalization],
  ['MaxPool', maxPool],
  ['AveragePool', averagePool],
  ['GlobalAveragePool', globalAveragePool],
  ['Pad', pad],
  ['Shape', shape],
  ['Gather', gather],
  ['Unsqueeze', unsqueeze],
  ['Concat', concat],
  ['Sum', sum],
]);

/** Ops that may run with no activation input: they compute constants or shape lists at import time. @internal */
export const IMPORT_TIME_OPS: ReadonlySet<string> = new Set(['Constant', 'Gather', 'Unsqueeze', 'Concat']);

/**
 * The ONNX operator types `annFromOnnx` can import (each within the configurations its handler
 * documents: constant weights, 2-D windows, symmetric pads, flatten-like reshapes; `Shape`,
 * `Gather` and `Unsqueeze` only as the shape arithmetic of `x.view(x.size(0), -1)`; `Add`, `Sum`
 * and `Concat` also join run-time branches). `Sigmoid`, `Tanh`, `LeakyRelu`, `Clip` and `Softmax`
 * import (the ANN runs) but cannot be converted to spikes.
 *
 * @example
 * ```ts
 * import { supportedOnnxOps } from '@snnts/convert';
 * console.log(supportedOnnxOps().includes('Gemm')); // true
 * ```
 */
export function supportedOnnxOps(): string[] {
  return [...new Set([...OP_TABLE.keys(), ...MERGE_TABLE.keys()])];
}
