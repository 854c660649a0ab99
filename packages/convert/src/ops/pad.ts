/**
 * `Pad`: all-zero pads vanish; a constant-zero, symmetric, spatial-only pad is kept as a marker
 * that the next `AveragePool` absorbs (PyTorch 1.13 exports `AvgPool2d` as `Pad` + `AveragePool`).
 * Any other padding is rejected.
 */
import { intsAttr, floatAttr, stringAttr } from './attributes.js';
import { PadSpec } from './specs.js';
import type { OpHandler } from './types.js';

/** `Pad(data, pads, constant_value)`. @internal */
export const pad: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the padded data must be the activation');
  const mode = stringAttr(ctx, 'mode', 'constant');
  if (mode !== 'constant') ctx.unsupported(`mode '${mode}'`);
  const pads = intsAttr(ctx, 'pads', null) ?? ctx.constant(1, 'pads').ints ?? []; // opset < 11: attributes
  const value = ctx.node.attributes['value'] ? floatAttr(ctx, 'value', 0) : (ctx.optionalConstant(2, 'constant_value')?.data[0] ?? 0);
  if (ctx.optionalConstant(3, 'axes')) ctx.unsupported("the 'axes' input");
  if (pads.every((p) => p === 0)) {
    ctx.passThrough();
    return;
  }
  const [n0, c0, h0, w0, n1, c1, h1, w1] = pads;
  const spatialSymmetric = pads.length === 8 && n0 === 0 && c0 === 0 && n1 === 0 && c1 === 0 && h0 === h1 && w0 === w1 && h0! >= 0 && w0! >= 0;
  if (value !== 0 || !spatialSymmetric) {
    ctx.unsupported(`pads [${pads.join(', ')}] with value ${value}; only a zero, symmetric H/W padding right before an AveragePool is supported`);
  }
  const shape = ctx.shape ? ctx.shape.map((d, i) => (d === null || i < 2 ? d : d + 2 * (i === 2 ? h0! : w0!))) : null;
  ctx.push(new PadSpec(ctx.node, [h0!, w0!]), shape);
};
