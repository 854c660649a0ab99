/**
 * `Add` of the activation and a constant. When the constant is a per-channel vector and the
 * layer before is a `Linear` or `Conv2d` (e.g. PyTorch's `MatMul` + `Add` export of
 * `nn.Linear`), it folds into that layer's bias; otherwise it becomes a `ConstantAdd` module.
 * The sum of two run-time tensors (a residual connection) is rejected by the chain builder.
 */
import { ConstantAdd } from '../modules/constant_add.js';
import { broadcastShape, channelVector } from './broadcast.js';
import { BiasedSpec, ModuleSpec } from './specs.js';
import type { OpHandler } from './types.js';

/** `C = A + B`, one of them constant. @internal */
export const add: OpHandler = (ctx) => {
  const constant = ctx.constant(1 - ctx.activationIndex, 'the added constant');
  const shape = broadcastShape(ctx.shape, constant.dims);
  if (ctx.shape && !shape) ctx.unsupported(`the constant of dims [${constant.dims.join(', ')}] does not broadcast with the activation [${ctx.shape.join(', ')}]`);
  const last = ctx.last;
  if (last instanceof BiasedSpec && constant.dims.length <= (ctx.shape?.length ?? -last.axisFromEnd)) {
    const v = channelVector(constant, last.channels, last.axisFromEnd);
    if (v) {
      last.bias = last.bias ? last.bias.map((b, i) => b + v[i]!) : v;
      ctx.replaceLast(last, shape);
      return;
    }
  }
  ctx.push(new ModuleSpec('ConstantAdd', ctx.node, () => new ConstantAdd(constant.dims), { value: constant }), shape);
};
