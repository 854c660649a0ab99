/**
 * Activations: `Relu` becomes `ReLU`, the activation that ANN-to-SNN conversion later replaces by
 * IF neurons. `Sigmoid`, `Tanh`, `LeakyRelu`, `Clip` and `Softmax` become `Activation`, so the
 * imported ANN still runs; the converter rejects them (no rate-coded equivalent).
 */
import { ReLU } from '@snnts/nn';
import { Activation, type ActivationKind } from '../modules/activation.js';
import { floatAttr, intAttr } from './attributes.js';
import { ModuleSpec } from './specs.js';
import type { OpContext, OpHandler } from './types.js';

/** `max(x, 0)`. @internal */
export const relu: OpHandler = (ctx) => {
  ctx.push(new ModuleSpec('ReLU', ctx.node, () => new ReLU()), ctx.shape);
};

function activation(ctx: OpContext, kind: ActivationKind, options: Record<string, number> = {}): void {
  ctx.push(new ModuleSpec('Activation', ctx.node, () => new Activation(kind, options)), ctx.shape);
}

/** `1 / (1 + exp(-x))`. @internal */
export const sigmoid: OpHandler = (ctx) => activation(ctx, 'Sigmoid');
/** `tanh(x)`. @internal */
export const tanh: OpHandler = (ctx) => activation(ctx, 'Tanh');
/** `x < 0 ? alpha x : x`. @internal */
export const leakyRelu: OpHandler = (ctx) => activation(ctx, 'LeakyRelu', { alpha: floatAttr(ctx, 'alpha', 0.01) });

/** `min(max(x, min), max)` with constant bounds (attributes before opset 11, inputs after). @internal */
export const clip: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the clipped data must be the activation');
  const min = ctx.node.attributes['min'] ? floatAttr(ctx, 'min', -Infinity) : ctx.optionalConstant(1, 'min')?.data[0];
  const max = ctx.node.attributes['max'] ? floatAttr(ctx, 'max', Infinity) : ctx.optionalConstant(2, 'max')?.data[0];
  const options: Record<string, number> = {};
  if (min !== undefined) options['min'] = min;
  if (max !== undefined) options['max'] = max;
  activation(ctx, 'Clip', options);
};

/**
 * `Softmax` along one non-batch axis (opset >= 13: that axis; older opsets flatten from `axis`,
 * which is the same only for the last axis). @internal
 */
export const softmax: OpHandler = (ctx) => {
  const rank = ctx.shape?.length;
  const raw = intAttr(ctx, 'axis', ctx.opset >= 13 ? -1 : 1);
  const axis = raw < 0 && rank !== undefined ? raw + rank : raw;
  const last = raw === -1 || (rank !== undefined && axis === rank - 1);
  if (ctx.opset < 13 && !last) ctx.unsupported(`axis ${raw} at opset ${ctx.opset} (flattens the trailing axes); only the last axis is supported`);
  if (axis === 0) ctx.unsupported('axis 0, the batch axis');
  if (raw < 0 && rank === undefined && raw !== -1) ctx.unsupported(`axis ${raw} on an input of unknown rank`);
  activation(ctx, 'Softmax', { axis: last ? -1 : axis });
};
