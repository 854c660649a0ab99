/**
 * `Gemm` and `MatMul` with a constant weight: both become `Linear` (PyTorch layout, weight
 * `[out, in]`). Gemm's `alpha` scales the weight and `beta * C` becomes the bias when C is a
 * per-output vector; a following constant `Add` folds into MatMul's bias (see `add.ts`).
 */
import { Linear } from '@snnts/nn';
import { OnnxError } from '../errors.js';
import { floatAttr, intAttr } from './attributes.js';
import { channelVector, scaled, transpose2d } from './broadcast.js';
import { BiasedSpec } from './specs.js';
import type { KnownShape, OpContext, OpHandler } from './types.js';

/** Checks that the activation's last axis (if known) is `inFeatures`. */
function checkInFeatures(ctx: OpContext, inFeatures: number): void {
  const last = ctx.shape?.at(-1);
  if (last !== undefined && last !== null && last !== inFeatures) {
    throw new OnnxError(ctx.fn, `${ctx.where} input '${ctx.node.inputs[ctx.activationIndex]}'`, `last dimension ${inFeatures} (the weight's input size)`, `shape [${ctx.shape!.join(', ')}]`);
  }
}

function linearSpec(ctx: OpContext, inF: number, outF: number, weight: Float32Array, bias: Float32Array | null): BiasedSpec {
  return new BiasedSpec('Linear', ctx.node, outF, -1, { data: weight, dims: [outF, inF] }, bias, (b) => new Linear(inF, outF, { bias: b }));
}

/** `Y = alpha * A B' + beta * C` with A the activation (transA = 0) and B, C constants. @internal */
export const gemm: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the activation must be input A; a run-time B is not a Linear layer');
  if (intAttr(ctx, 'transA', 0) !== 0) ctx.unsupported('transA=1 (a transposed activation) is not a Linear layer');
  const alpha = floatAttr(ctx, 'alpha', 1);
  const beta = floatAttr(ctx, 'beta', 1);
  const transB = intAttr(ctx, 'transB', 0) !== 0;
  const B = ctx.constant(1, 'the weight B');
  if (B.dims.length !== 2) ctx.unsupported(`B must be a matrix, got dims [${B.dims.join(', ')}]`);
  const [r, c] = B.dims as [number, number];
  const [outF, inF] = transB ? [r, c] : [c, r];
  const weight = transB ? scaled(B.data, alpha) : transpose2d(B.data, r, c, alpha);
  const C = ctx.optionalConstant(2, 'the bias C');
  let bias: Float32Array | null = null;
  if (C) {
    bias = channelVector(C, outF, -1, beta);
    if (!bias) ctx.unsupported(`C of dims [${C.dims.join(', ')}] is not a per-output bias ([${outF}], [1, ${outF}] or a scalar)`);
  }
  checkInFeatures(ctx, inF);
  ctx.push(linearSpec(ctx, inF, outF, weight, bias), [ctx.shape?.[0] ?? null, outF]);
};

/** `Y = A B` with A the activation and B a constant matrix. @internal */
export const matMul: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the activation must be input A; a constant times a run-time tensor is not a Linear layer');
  const B = ctx.constant(1, 'the weight B');
  if (B.dims.length !== 2) ctx.unsupported(`B must be a matrix, got dims [${B.dims.join(', ')}] (batched MatMul)`);
  if (ctx.shape && ctx.shape.length < 2) ctx.unsupported(`the activation must have rank >= 2, got [${ctx.shape.join(', ')}]`);
  const [inF, outF] = B.dims as [number, number];
  checkInFeatures(ctx, inF);
  const shape: KnownShape | null = ctx.shape ? [...ctx.shape.slice(0, -1), outF] : null;
  ctx.push(linearSpec(ctx, inF, outF, transpose2d(B.data, inF, outF), null), shape);
};
