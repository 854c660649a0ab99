/**
 * Window geometry shared by `Conv`, `MaxPool` and `AveragePool`: ONNX's `kernel_shape`,
 * `strides`, `dilations`, `pads` / `auto_pad` turned into PyTorch's symmetric `padding`, and the
 * output size, so the importer can track shapes and reject what PyTorch-style layers cannot do.
 */
import { intAttr, intsAttr, stringAttr } from './attributes.js';
import type { KnownShape, OpContext } from './types.js';

/** A 2-D window in PyTorch terms. @internal */
export interface Window2d {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: [number, number];
  ceilMode: boolean;
}

function pair(ctx: OpContext, name: string, v: number[]): [number, number] {
  if (v.length !== 2) ctx.unsupported(`'${name}' [${v.join(', ')}] is not 2-D (only 2-D windows on [N, C, H, W] are supported)`);
  return [v[0]!, v[1]!];
}

/** Reads the window attributes; `kernel` comes from the weight for Conv. @internal */
export function window2d(ctx: OpContext, kernelFromWeight?: [number, number]): Window2d {
  const ks = intsAttr(ctx, 'kernel_shape', null);
  if (!ks && !kernelFromWeight) ctx.unsupported("a pooling node without 'kernel_shape'");
  const kernel = ks ? pair(ctx, 'kernel_shape', ks) : kernelFromWeight!;
  if (ctx.shape && ctx.shape.length !== 4) ctx.unsupported(`an input of rank ${ctx.shape.length}; only 2-D windows on [N, C, H, W] are supported`);
  const stride = pair(ctx, 'strides', intsAttr(ctx, 'strides', [1, 1]));
  const dilation = pair(ctx, 'dilations', intsAttr(ctx, 'dilations', [1, 1]));
  const ceilMode = intAttr(ctx, 'ceil_mode', 0) !== 0;
  const autoPad = stringAttr(ctx, 'auto_pad', 'NOTSET');
  let padding: [number, number];
  if (autoPad === 'NOTSET') {
    const p = intsAttr(ctx, 'pads', [0, 0, 0, 0]);
    if (p.length !== 4) ctx.unsupported(`pads [${p.join(', ')}] (expected 4 values for 2-D)`);
    if (p[0] !== p[2] || p[1] !== p[3]) ctx.unsupported(`asymmetric pads [${p.join(', ')}] (begin and end must match for a PyTorch-style layer)`);
    padding = [p[0]!, p[1]!];
  } else if (autoPad === 'VALID') {
    padding = [0, 0];
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    padding = [0, 1].map((a) => {
      const size = ctx.shape?.[2 + a] ?? null;
      const k = (kernel[a]! - 1) * dilation[a]! + 1;
      let total: number | null;
      if (size !== null) total = Math.max((Math.ceil(size / stride[a]!) - 1) * stride[a]! + k - size, 0);
      else total = stride[a] === 1 ? k - 1 : null;
      if (total === null) ctx.unsupported(`auto_pad ${autoPad} with stride ${stride[a]} on an axis of unknown size`);
      if (total % 2 !== 0) ctx.unsupported(`auto_pad ${autoPad} needs asymmetric padding (${total} cells on axis ${2 + a})`);
      return total / 2;
    }) as [number, number];
  } else {
    ctx.unsupported(`auto_pad '${autoPad}'`);
  }
  return { kernel, stride, dilation, padding, ceilMode };
}

/** Rejects padding larger than half the effective kernel (PyTorch's limit for pooling). @internal */
export function checkPoolPadding(ctx: OpContext, w: Window2d): void {
  for (const a of [0, 1]) {
    if (w.padding[a]! > w.kernel[a]! / 2) ctx.unsupported(`padding ${w.padding[a]} is more than half the kernel ${w.kernel[a]} (PyTorch pooling layers allow at most half)`);
  }
}

/** The output `[N, channels, H', W']` of a window over the activation. @internal */
export function windowShape(shape: KnownShape | null, channels: number | null, w: Window2d): KnownShape | null {
  if (!shape) return null;
  const size = (a: number): number | null => {
    const n = shape[2 + a];
    if (n === null || n === undefined) return null;
    const span = n + 2 * w.padding[a]! - w.dilation[a]! * (w.kernel[a]! - 1) - 1;
    let out = (w.ceilMode ? Math.ceil(span / w.stride[a]!) : Math.floor(span / w.stride[a]!)) + 1;
    if (w.ceilMode && (out - 1) * w.stride[a]! >= n + w.padding[a]!) out -= 1; // PyTorch: the last window starts inside
    return out;
  };
  return [shape[0] ?? null, channels ?? shape[1] ?? null, size(0), size(1)];
}
