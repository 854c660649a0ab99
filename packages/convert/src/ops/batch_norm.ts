/**
 * `BatchNormalization` in inference mode becomes `BatchNorm2d` (or `BatchNorm1d` for `[N, C]` /
 * `[N, C, L]` inputs) with the running statistics loaded as buffers. ONNX's momentum weighs the
 * old statistics, PyTorch's the new batch: `momentum_torch = 1 - momentum_onnx`.
 */
import { BatchNorm1d, BatchNorm2d } from '@snnts/nn';
import { floatAttr, intAttr } from './attributes.js';
import { ModuleSpec } from './specs.js';
import type { OpHandler } from './types.js';

/** `Y = scale * (X - mean) / sqrt(var + epsilon) + B`. @internal */
export const batchNormalization: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the activation must be input X');
  if (intAttr(ctx, 'training_mode', 0) !== 0) ctx.unsupported('training_mode=1 (batch statistics); the importer builds an inference model');
  if (intAttr(ctx, 'spatial', 1) !== 1) ctx.unsupported('spatial=0 (per-position statistics)');
  const eps = floatAttr(ctx, 'epsilon', 1e-5);
  const momentum = 1 - floatAttr(ctx, 'momentum', 0.9);
  const [scale, bias, mean, variance] = ['scale', 'B', 'input_mean', 'input_var'].map((what, i) => ctx.constant(i + 1, what)) as [
    ReturnType<typeof ctx.constant>, ReturnType<typeof ctx.constant>, ReturnType<typeof ctx.constant>, ReturnType<typeof ctx.constant>,
  ];
  const C = scale.data.length;
  for (const t of [bias, mean, variance]) {
    if (t.data.length !== C) ctx.unsupported(`'${t.name}' has ${t.data.length} values but scale has ${C} (per-channel statistics expected)`);
  }
  const rank = ctx.shape?.length ?? 4;
  if (rank < 2 || rank > 4) ctx.unsupported(`an input of rank ${rank}; BatchNorm1d takes [N, C] or [N, C, L], BatchNorm2d [N, C, H, W]`);
  const Layer = rank === 4 ? BatchNorm2d : BatchNorm1d;
  const vec = (t: typeof scale) => ({ data: t.data, dims: [C] });
  const weights = { weight: vec(scale), bias: vec(bias), running_mean: vec(mean), running_var: vec(variance) };
  ctx.push(new ModuleSpec(rank === 4 ? 'BatchNorm2d' : 'BatchNorm1d', ctx.node, () => new Layer(C, { eps, momentum }), weights), ctx.shape);
};
