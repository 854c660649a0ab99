/**
 * `Conv` (2-D, constant weight) becomes `Conv2d` from `@snnts/nn`. ONNX and PyTorch share the
 * weight layout `[out, in / groups, kH, kW]`; ONNX's pads must be symmetric (or an `auto_pad`
 * that works out symmetric) to map onto PyTorch's `padding`.
 */
import { Conv2d } from '@snnts/nn';
import { OnnxError } from '../errors.js';
import { intAttr } from './attributes.js';
import { BiasedSpec } from './specs.js';
import type { OpHandler } from './types.js';
import { window2d, windowShape } from './window.js';

/** `Y = conv(X, W) + B`. @internal */
export const conv: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the activation must be input X; a run-time weight is not a Conv2d layer');
  const W = ctx.constant(1, 'the weight W');
  if (W.dims.length !== 4) ctx.unsupported(`a weight of dims [${W.dims.join(', ')}]; only 2-D convolution (a 4-D weight) is supported`);
  const [outC, inPerGroup, kh, kw] = W.dims as [number, number, number, number];
  const groups = intAttr(ctx, 'group', 1);
  const inC = inPerGroup * groups;
  const w = window2d(ctx, [kh, kw]);
  if (w.kernel[0] !== kh || w.kernel[1] !== kw) ctx.unsupported(`kernel_shape [${w.kernel.join(', ')}] differs from the weight's [${kh}, ${kw}]`);
  const channels = ctx.shape?.[1];
  if (channels !== undefined && channels !== null && channels !== inC) {
    throw new OnnxError(ctx.fn, `${ctx.where} input '${ctx.node.inputs[0]}'`, `${inC} channels (the weight's in/groups x groups)`, `shape [${ctx.shape!.join(', ')}]`);
  }
  const B = ctx.optionalConstant(2, 'the bias B');
  const make = (bias: boolean) => new Conv2d(inC, outC, w.kernel, { stride: w.stride, padding: w.padding, dilation: w.dilation, groups, bias });
  const spec = new BiasedSpec('Conv2d', ctx.node, outC, -3, { data: W.data, dims: W.dims }, B ? Float32Array.from(B.data) : null, make);
  ctx.push(spec, windowShape(ctx.shape, outC, { ...w, ceilMode: false }));
};
