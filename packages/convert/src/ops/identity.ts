/**
 * Ops that vanish at inference: `Identity`, `Dropout` (identity in evaluation; its mask output
 * must be unused) and `Constant` (its value becomes a constant other nodes read as a weight).
 */
import type { OnnxTensor } from '../onnx/types.js';
import type { OpHandler } from './types.js';

/** `Y = X`. @internal */
export const identity: OpHandler = (ctx) => {
  ctx.passThrough();
};

/** `Dropout` at inference: `Y = X`; a constant `training_mode` of true is rejected. @internal */
export const dropout: OpHandler = (ctx) => {
  if (ctx.activationIndex !== 0) ctx.unsupported('the activation must be the data input');
  const training = ctx.optionalConstant(2, 'training_mode');
  if (training && training.data.some((v) => v !== 0)) ctx.unsupported('training_mode=true (a random mask); the importer builds an inference model');
  ctx.passThrough();
};

/** `Constant`: records its value (value, value_float(s), value_int(s)). @internal */
export const constant: OpHandler = (ctx) => {
  const a = Object.entries(ctx.node.attributes)[0];
  const name = ctx.node.outputs[0] ?? '';
  let t: OnnxTensor | null = null;
  if (a) {
    const [key, attr] = a;
    if (key === 'value' && attr.type === 'TENSOR') t = { ...attr.value, name };
    else if (key === 'value_float' && attr.type === 'FLOAT') t = { name, dataType: 'FLOAT', dims: [], data: Float32Array.of(attr.value) };
    else if (key === 'value_floats' && attr.type === 'FLOATS') t = { name, dataType: 'FLOAT', dims: [attr.value.length], data: Float32Array.from(attr.value) };
    else if (key === 'value_int' && attr.type === 'INT') t = { name, dataType: 'INT64', dims: [], data: Float32Array.of(attr.value), ints: [attr.value] };
    else if (key === 'value_ints' && attr.type === 'INTS') t = { name, dataType: 'INT64', dims: [attr.value.length], data: Float32Array.from(attr.value), ints: [...attr.value] };
  }
  if (!t) return ctx.unsupported(`a Constant with attribute '${a?.[0] ?? '(none)'}'; supported: value (a numeric tensor), value_float(s), value_int(s)`);
  ctx.defineConstant(name, t);
};
