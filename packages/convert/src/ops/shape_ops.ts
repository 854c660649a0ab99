/**
 * The shape arithmetic PyTorch emits for `x.view(x.size(0), -1)` with a dynamic batch:
 * `Shape` -> `Gather` -> `Unsqueeze` -> `Concat` -> `Reshape`. These handlers evaluate it at import
 * time on symbolic integer lists (an entry is a number or "axis k of the activation"), so the
 * `Reshape` sees `[axis 0, -1]` and becomes a `Flatten`. Nothing here runs at inference.
 */
import { intAttr, intsAttr } from './attributes.js';
import type { IntList, OpHandler, SymDim } from './types.js';

/** `Shape(activation)`: the activation's dims, symbolic where unknown (with `start` / `end`). @internal */
export const shape: OpHandler = (ctx) => {
  if (!ctx.shape) return ctx.unsupported('the shape of an activation of unknown rank');
  const rank = ctx.shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(intAttr(ctx, 'start', 0));
  const end = clamp(intAttr(ctx, 'end', rank));
  const values: SymDim[] = ctx.shape.map((d, axis) => d ?? { axis }).slice(start, end);
  ctx.defineIntList(ctx.node.outputs[0] ?? '', { values, rank: 1 });
};

/** `Gather(list, indices)` on axis 0 of a 1-D integer list. @internal */
export const gather: OpHandler = (ctx) => {
  if (intAttr(ctx, 'axis', 0) !== 0) ctx.unsupported(`axis ${intAttr(ctx, 'axis', 0)} (only 1-D shape lists, axis 0)`);
  const data = ctx.intList(0, 'the gathered list');
  const indices = ctx.intList(1, 'the indices');
  if (data.rank !== 1) ctx.unsupported('gathering from a scalar');
  const values = indices.values.map((i) => {
    if (typeof i !== 'number' || i < -data.values.length || i >= data.values.length) return ctx.unsupported(`index ${JSON.stringify(i)} into a list of ${data.values.length}`);
    return data.values[i < 0 ? i + data.values.length : i]!;
  });
  ctx.defineIntList(ctx.node.outputs[0] ?? '', { values, rank: indices.rank });
};

/** `Unsqueeze(scalar, axes=[0])`: a scalar to a 1-element list. @internal */
export const unsqueeze: OpHandler = (ctx) => {
  const data = ctx.intList(0, 'the unsqueezed value');
  const axes = intsAttr(ctx, 'axes', null) ?? ctx.intList(1, 'axes').values; // opset < 13: attribute
  if (data.rank !== 0 || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) {
    ctx.unsupported(`Unsqueeze of a rank-${data.rank} value on axes [${axes.map((a) => JSON.stringify(a)).join(', ')}] (only a scalar to a 1-element list)`);
  }
  ctx.defineIntList(ctx.node.outputs[0] ?? '', { values: data.values, rank: 1 });
};

/** `Concat` of 1-D integer lists (axis 0); a Concat of run-time tensors is a non-chain graph. @internal */
export const concat: OpHandler = (ctx) => {
  if (ctx.activationIndex >= 0) ctx.unsupported('a Concat of the activation with a constant');
  const axis = intAttr(ctx, 'axis', 0);
  if (axis !== 0 && axis !== -1) ctx.unsupported(`axis ${axis} (only 1-D shape lists)`);
  const parts: IntList[] = ctx.node.inputs.map((_, i) => ctx.intList(i, `input ${i}`));
  if (parts.some((p) => p.rank !== 1)) ctx.unsupported('a Concat of scalars');
  ctx.defineIntList(ctx.node.outputs[0] ?? '', { values: parts.flatMap((p) => p.values), rank: 1 });
};
