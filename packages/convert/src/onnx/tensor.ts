/**
 * ONNX `TensorProto` <-> {@link OnnxTensor}: reads the values of every numeric element type from
 * `raw_data` (little-endian) or from the typed repeated fields (`float_data`, `int32_data`,
 * `int64_data`, `double_data`, `uint64_data`), converting FLOAT16 and BFLOAT16 bit patterns, and
 * turns an `OnnxTensor` into a tfjs tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { OnnxError } from '../errors.js';
import { ONNX_DATA_TYPES, type OnnxDataType, type OnnxTensor } from './types.js';

/** A protobufjs int64: a JS number, or a `Long` when the `long` package is loaded. */
export type Int64 = number | { toNumber(): number };

/** The fields of a decoded `TensorProto` that the importer reads. @internal */
export interface TensorProtoFields {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  uint64_data?: Int64[];
  raw_data?: Uint8Array;
  data_location?: number;
}

/** A protobufjs int64 as a JS number. @internal */
export function int64(v: Int64): number {
  return typeof v === 'number' ? v : v.toNumber();
}

/** Bytes per element in `raw_data`, per supported element type. */
const RAW_BYTES: Partial<Record<OnnxDataType, number>> = {
  FLOAT: 4, UINT8: 1, INT8: 1, UINT16: 2, INT16: 2, INT32: 4, INT64: 8, BOOL: 1,
  FLOAT16: 2, DOUBLE: 8, UINT32: 4, UINT64: 8, BFLOAT16: 2,
};
const INTEGER_TYPES: ReadonlySet<OnnxDataType> = new Set(['UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'BOOL', 'UINT32', 'UINT64']);

/** The element types the decoder converts. */
export const SUPPORTED_DATA_TYPES = Object.keys(RAW_BYTES) as OnnxDataType[];

/** IEEE half-precision bits to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits (the high half of a float32) to a number. */
function bfloat16ToFloat(b: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (b & 0xffff) << 16);
  return view.getFloat32(0);
}

/** Reads element `i` of a raw little-endian buffer. */
function rawValue(view: DataView, type: OnnxDataType, i: number): number {
  switch (type) {
    case 'FLOAT': return view.getFloat32(i * 4, true);
    case 'DOUBLE': return view.getFloat64(i * 8, true);
    case 'FLOAT16': return halfToFloat(view.getUint16(i * 2, true));
    case 'BFLOAT16': return bfloat16ToFloat(view.getUint16(i * 2, true));
    case 'UINT8': case 'BOOL': return view.getUint8(i);
    case 'INT8': return view.getInt8(i);
    case 'UINT16': return view.getUint16(i * 2, true);
    case 'INT16': return view.getInt16(i * 2, true);
    case 'INT32': return view.getInt32(i * 4, true);
    case 'UINT32': return view.getUint32(i * 4, true);
    case 'INT64': return Number(view.getBigInt64(i * 8, true));
    case 'UINT64': return Number(view.getBigUint64(i * 8, true));
    default: return NaN;
  }
}

/** The values of the typed repeated field that holds `type`, converted to numbers. */
function typedValues(t: TensorProtoFields, type: OnnxDataType): number[] {
  switch (type) {
    case 'FLOAT': return t.float_data ?? [];
    case 'DOUBLE': return t.double_data ?? [];
    case 'INT64': return (t.int64_data ?? []).map(int64);
    case 'UINT32': case 'UINT64': return (t.uint64_data ?? []).map(int64);
    case 'FLOAT16': return (t.int32_data ?? []).map(halfToFloat);
    case 'BFLOAT16': return (t.int32_data ?? []).map(bfloat16ToFloat);
    default: return t.int32_data ?? []; // INT32, INT16, INT8, UINT16, UINT8, BOOL
  }
}

/**
 * Converts a decoded `TensorProto` to an {@link OnnxTensor}; `where` names it in errors.
 *
 * @internal
 */
export function tensorFromProto(t: TensorProtoFields, fn: string, where: string): OnnxTensor {
  const dataType = ONNX_DATA_TYPES[t.data_type ?? 0] ?? 'UNDEFINED';
  const dims = (t.dims ?? []).map(int64);
  const name = t.name ?? '';
  const arg = `${where}${name ? ` '${name}'` : ''}`;
  const bytes = RAW_BYTES[dataType];
  if (bytes === undefined) {
    throw new OnnxError(fn, arg, `a tensor of a numeric element type (${SUPPORTED_DATA_TYPES.join(', ')})`, `element type ${dataType} (${t.data_type ?? 0})`);
  }
  if (t.data_location === 1) {
    throw new OnnxError(fn, arg, 'tensor data stored inside the model', 'data_location EXTERNAL', 'Re-export the model without external data (e.g. onnx.save_model(..., save_as_external_data=False)).');
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new OnnxError(fn, `${arg}.dims`, 'non-negative integers', `[${dims.join(', ')}]`);
  let values: ArrayLike<number>;
  const raw = t.raw_data;
  if (raw && raw.length > 0) {
    if (raw.length !== size * bytes) {
      throw new OnnxError(fn, `${arg}.raw_data`, `${size * bytes} bytes (${size} x ${dataType} for dims [${dims.join(', ')}])`, `${raw.length} bytes`);
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) out[i] = rawValue(view, dataType, i);
    values = out;
  } else {
    values = typedValues(t, dataType);
    if (values.length !== size) {
      throw new OnnxError(fn, arg, `${size} values for dims [${dims.join(', ')}]`, `${values.length} values in the typed data field and no raw_data`);
    }
  }
  const tensor: OnnxTensor = { name, dataType, dims, data: Float32Array.from(values) };
  if (INTEGER_TYPES.has(dataType)) tensor.ints = Array.from(values);
  return tensor;
}

/**
 * An {@link OnnxTensor} as `TensorProto` fields: FLOAT (and the float types) as `float_data`,
 * integers as `int64_data` / `int32_data`. Used by `encodeOnnx`.
 *
 * @internal
 */
export function tensorToProto(t: OnnxTensor): TensorProtoFields {
  const data_type = ONNX_DATA_TYPES.indexOf(t.dataType);
  const values = t.ints ?? Array.from(t.data);
  const base = { name: t.name, dims: t.dims, data_type };
  switch (t.dataType) {
    case 'INT64': return { ...base, int64_data: values };
    case 'UINT32': case 'UINT64': return { ...base, uint64_data: values };
    case 'DOUBLE': return { ...base, double_data: values };
    case 'FLOAT': return { ...base, float_data: values };
    case 'INT32': case 'INT16': case 'INT8': case 'UINT16': case 'UINT8': case 'BOOL': return { ...base, int32_data: values };
    default:
      throw new OnnxError('encodeOnnx', `tensor '${t.name}'`, 'FLOAT, DOUBLE or an integer element type', t.dataType);
  }
}

/**
 * An {@link OnnxTensor} as a float32 `tf.Tensor` of its dims (the caller disposes it).
 *
 * @example
 * ```ts
 * import { onnxTensorToTf } from '@snnts/convert';
 * const t = onnxTensorToTf({ name: 'w', dataType: 'FLOAT', dims: [2, 2], data: new Float32Array([1, 2, 3, 4]) });
 * t.print(); // [[1, 2], [3, 4]]
 * t.dispose();
 * ```
 */
export function onnxTensorToTf(t: OnnxTensor): tf.Tensor {
  return tf.tensor(t.data, t.dims, 'float32');
}
