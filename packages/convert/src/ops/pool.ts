/**
 * Pooling: `MaxPool` -> `MaxPool2d`, `AveragePool` -> `AvgPool2d` (absorbing a zero `Pad` right
 * before it, PyTorch's export of `AvgPool2d(padding=p)`), `GlobalAveragePool` ->
 * `AdaptiveAvgPool2d(1)`. ONNX's stride defaults to 1 (PyTorch's to the kernel), so the stride is
 * always passed explicitly.
 */
import { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from '@snnts/nn';
import { intAttr } from './attributes.js';
import { ModuleSpec, PadSpec } from './specs.js';
import type { OpHandler } from './types.js';
import { checkPoolPadding, window2d, windowShape } from './window.js';

/** `MaxPool` without the Indices output and without dilation. @internal */
export const maxPool: OpHandler = (ctx) => {
  if (ctx.node.outputs[1]) ctx.unsupported(`the Indices output '${ctx.node.outputs[1]}' (argmax)`);
  const w = window2d(ctx);
  if (w.dilation[0] !== 1 || w.dilation[1] !== 1) ctx.unsupported(`dilations [${w.dilation.join(', ')}]`);
  checkPoolPadding(ctx, w);
  const make = () => new MaxPool2d(w.kernel, { stride: w.stride, padding: w.padding, ceilMode: w.ceilMode });
  ctx.push(new ModuleSpec('MaxPool2d', ctx.node, make), windowShape(ctx.shape, null, w));
};

/** `AveragePool`, folding a preceding zero `Pad` into its padding. @internal */
export const averagePool: OpHandler = (ctx) => {
  const w = window2d(ctx);
  if (w.dilation[0] !== 1 || w.dilation[1] !== 1) ctx.unsupported(`dilations [${w.dilation.join(', ')}]`);
  let countIncludePad = intAttr(ctx, 'count_include_pad', 0) !== 0;
  const pad = ctx.last instanceof PadSpec ? ctx.last : null;
  const outShape = windowShape(ctx.shape, null, w);
  if (pad) {
    if (w.padding[0] !== 0 || w.padding[1] !== 0) ctx.unsupported(`pads [${w.padding.join(', ')}] after a Pad node (two paddings)`);
    w.padding = pad.padding;
    countIncludePad = true; // the padded zeros are real input cells for this AveragePool
  }
  checkPoolPadding(ctx, w);
  const make = () => new AvgPool2d(w.kernel, { stride: w.stride, padding: w.padding, ceilMode: w.ceilMode, countIncludePad });
  const spec = new ModuleSpec('AvgPool2d', ctx.node, make);
  if (pad) ctx.replaceLast(spec, outShape);
  else ctx.push(spec, outShape);
};

/** `GlobalAveragePool` over `[N, C, H, W]`. @internal */
export const globalAveragePool: OpHandler = (ctx) => {
  if (ctx.shape && ctx.shape.length !== 4) ctx.unsupported(`an input of rank ${ctx.shape.length}; only [N, C, H, W] is supported`);
  const shape = ctx.shape ? [ctx.shape[0] ?? null, ctx.shape[1] ?? null, 1, 1] : null;
  ctx.push(new ModuleSpec('AdaptiveAvgPool2d', ctx.node, () => new AdaptiveAvgPool2d(1)), shape);
};
