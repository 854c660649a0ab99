/**
 * `Flatten` (axis 1) and `Reshape` to `[N, -1]`: both become snnts `Flatten`, which keeps the
 * batch axis (and the time axis in multi-step mode). Other reshapes would mix the batch axis with
 * features or split features into new axes, which a per-sample layer cannot express: they are
 * rejected with the target shape in the message.
 */
import { Flatten } from '@snnts/nn';
import { intAttr, intsAttr } from './attributes.js';
import { ModuleSpec } from './specs.js';
import type { KnownShape, OpContext, OpHandler, SymDim } from './types.js';

/** The product of the known dims after the first, or null when one is unknown. */
function featureSize(shape: KnownShape): number | null {
  let n = 1;
  for (const d of shape.slice(1)) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

function pushFlatten(ctx: OpContext): void {
  const shape = ctx.shape;
  const out: KnownShape | null = shape ? [shape[0] ?? null, featureSize(shape)] : null;
  ctx.push(new ModuleSpec('Flatten', ctx.node, () => new Flatten()), out);
}

/** `Flatten(axis)`: supported for axis 1 (or its negative equivalent). @internal */
export const flatten: OpHandler = (ctx) => {
  let axis = intAttr(ctx, 'axis', 1);
  if (axis < 0 && ctx.shape) axis += ctx.shape.length;
  if (axis !== 1) {
    const rank = ctx.shape ? `rank ${ctx.shape.length}` : 'unknown rank';
    ctx.unsupported(`axis=${intAttr(ctx, 'axis', 1)} on an input of ${rank}; only axis 1 (keep the batch axis, flatten the rest) maps to Flatten`);
  }
  pushFlatten(ctx);
};

/** `Reshape(data, shape)`: supported when it flattens to `[N, features]`. @internal */
export const reshape: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the reshaped data must be the activation');
  const attrShape = intsAttr(ctx, 'shape', null); // opset < 5 keeps the shape in an attribute
  const target: SymDim[] = attrShape ?? ctx.intList(1, 'the target shape').values;
  const allowZero = intAttr(ctx, 'allowzero', 0) !== 0;
  const shape = ctx.shape;
  const n = shape?.[0] ?? null;
  const features = shape ? featureSize(shape) : null;
  const [t0, t1] = target;
  const isBatchAxis = typeof t0 === 'object' && t0.axis === 0;
  const keepsBatch = isBatchAxis || (t0 === 0 && !allowZero) || (n !== null && t0 === n) || (t0 === -1 && features !== null && t1 === features);
  const takesRest = t1 === -1 || (features !== null && t1 === features);
  if (target.length === 2 && keepsBatch && takesRest) {
    pushFlatten(ctx);
    return;
  }
  const from = shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : 'an input of unknown shape';
  const to = target.map((d) => (typeof d === 'number' ? d : `dim${d.axis}`)).join(', ');
  ctx.unsupported(`Reshape of ${from} to [${to}] is not a flatten to [N, -1]; only [0, -1], [N, -1] and [-1, features] are supported`);
};
