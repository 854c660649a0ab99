/**
 * Decoding ONNX bytes: protobufjs (`protobufjs/light`, loaded from the JSON descriptor generated
 * from the official `onnx.proto`) parses the `ModelProto`, and this file turns it into the plain
 * {@link OnnxModel}: value infos, initializers, nodes and their attributes. Anything that is not a
 * usable model (not protobuf, truncated, no graph, no default-domain opset) throws `OnnxError`.
 */
import protobuf from 'protobufjs/light.js';
import { OnnxError } from '../errors.js';
import { ONNX_SCHEMA } from '../proto/onnx_schema.js';
import { int64, tensorFromProto, type Int64, type TensorProtoFields } from './tensor.js';
import type { OnnxAttribute, OnnxAttributeType, OnnxDim, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './types.js';
import { ONNX_DATA_TYPES } from './types.js';

/** Decoded protobuf shapes the importer reads. protobufjs puts the defaults of unset fields on the
 * prototype, so a oneof member (`dim_value` vs `dim_param`) is tested with `Object.hasOwn`. */
interface DimProto { dim_value?: Int64 | null; dim_param?: string | null }
interface TypeProtoFields {
  tensor_type?: { elem_type?: number; shape?: { dim?: DimProto[] } | null } | null;
}
interface ValueInfoProtoFields { name?: string; type?: TypeProtoFields | null }
interface AttributeProtoFields {
  name?: string; type?: number; f?: number; i?: Int64; s?: Uint8Array; t?: TensorProtoFields | null;
  floats?: number[]; ints?: Int64[]; strings?: Uint8Array[]; tensors?: TensorProtoFields[];
}
interface NodeProtoFields {
  name?: string; op_type?: string; domain?: string; input?: string[]; output?: string[]; attribute?: AttributeProtoFields[];
}
interface GraphProtoFields {
  name?: string; node?: NodeProtoFields[]; initializer?: TensorProtoFields[];
  input?: ValueInfoProtoFields[]; output?: ValueInfoProtoFields[]; value_info?: ValueInfoProtoFields[];
}
interface ModelProtoFields {
  ir_version?: Int64; producer_name?: string; producer_version?: string;
  opset_import?: { domain?: string; version?: Int64 }[]; graph?: GraphProtoFields | null;
}

let root: protobuf.Root | null = null;
/** The `onnx.ModelProto` type, from the JSON schema loaded once. */
function modelProto(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SCHEMA);
  return root.lookupType('onnx.ModelProto');
}
/** The `onnx.TensorProto` type. */
function tensorProto(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_SCHEMA);
  return root.lookupType('onnx.TensorProto');
}

const ATTRIBUTE_TYPES: Record<number, OnnxAttributeType> = {
  1: 'FLOAT', 2: 'INT', 3: 'STRING', 4: 'TENSOR', 5: 'GRAPH', 6: 'FLOATS', 7: 'INTS', 8: 'STRINGS',
  9: 'TENSORS', 10: 'GRAPHS', 11: 'SPARSE_TENSOR', 12: 'SPARSE_TENSORS', 13: 'TYPE_PROTO', 14: 'TYPE_PROTOS',
};
const utf8 = new TextDecoder();

function valueInfo(v: ValueInfoProtoFields): OnnxValueInfo {
  const tt = v.type?.tensor_type;
  const elemType = tt ? (ONNX_DATA_TYPES[tt.elem_type ?? 0] ?? null) : null;
  const dims = tt?.shape?.dim;
  const shape: OnnxDim[] | null = tt?.shape
    ? (dims ?? []).map((d) => (Object.hasOwn(d, 'dim_value') ? int64(d.dim_value!) : Object.hasOwn(d, 'dim_param') ? d.dim_param! : null))
    : null;
  return { name: v.name ?? '', elemType: elemType === 'UNDEFINED' ? null : elemType, shape };
}

function attribute(a: AttributeProtoFields, fn: string, where: string): OnnxAttribute {
  const type = ATTRIBUTE_TYPES[a.type ?? 0];
  const at = `${where} attribute '${a.name}'`;
  switch (type) {
    case 'FLOAT': return { type, value: a.f ?? 0 };
    case 'INT': return { type, value: int64(a.i ?? 0) };
    case 'STRING': return { type, value: utf8.decode(a.s ?? new Uint8Array()) };
    case 'TENSOR':
      if (!a.t) throw new OnnxError(fn, at, 'a tensor value (field t)', 'none');
      return { type, value: tensorFromProto(a.t, fn, at) };
    case 'FLOATS': return { type, value: [...(a.floats ?? [])] };
    case 'INTS': return { type, value: (a.ints ?? []).map(int64) };
    case 'STRINGS': return { type, value: (a.strings ?? []).map((s) => utf8.decode(s)) };
    case 'TENSORS': return { type, value: (a.tensors ?? []).map((t) => tensorFromProto(t, fn, at)) };
    case undefined:
      throw new OnnxError(fn, at, 'an attribute type (ONNX IR >= 2 sets AttributeProto.type)', `type ${a.type ?? 0}`);
    default: return { type, value: null };
  }
}

function node(n: NodeProtoFields, i: number, fn: string): OnnxNode {
  const where = `graph.node[${i}]${n.name ? ` '${n.name}'` : ''}`;
  const attributes: Record<string, OnnxAttribute> = {};
  for (const a of n.attribute ?? []) attributes[a.name ?? ''] = attribute(a, fn, where);
  return {
    name: n.name ?? '',
    opType: n.op_type ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes,
  };
}

/**
 * Decodes the bytes of an `.onnx` file (a serialized `ModelProto`) into an {@link OnnxModel}.
 * Synchronous and browser-safe; {@link loadOnnx} also reads paths.
 *
 * @example
 * ```ts
 * import { decodeOnnx, encodeOnnx } from '@snnts/convert';
 * const bytes = encodeOnnx({
 *   inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
 *   outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
 *   nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
 * });
 * const model = decodeOnnx(bytes);
 * console.log(model.opset, model.inputs[0]!.shape, model.nodes[0]!.opType); // 13 ['N', 3] 'Relu'
 * ```
 */
export function decodeOnnx(bytes: Uint8Array): OnnxModel {
  return decodeModel(bytes, 'decodeOnnx', 'bytes');
}

/** {@link decodeOnnx} with the function and argument names its errors should carry. @internal */
export function decodeModel(bytes: Uint8Array, fn: string, arg: string): OnnxModel {
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxError(fn, arg, 'a Uint8Array with the bytes of an .onnx file', typeof bytes);
  }
  let m: ModelProtoFields;
  try {
    m = modelProto().decode(bytes) as unknown as ModelProtoFields;
  } catch (e) {
    throw new OnnxError(fn, arg, 'the bytes of an ONNX ModelProto (protobuf)', `${bytes.length} bytes that do not decode (${(e as Error).message})`, 'Is the file truncated, or not an .onnx file?');
  }
  const g = m.graph;
  const irVersion = int64(m.ir_version ?? 0);
  if (!g || irVersion <= 0) {
    const what = !g ? 'no graph' : 'no ir_version';
    throw new OnnxError(fn, arg, 'an ONNX ModelProto with ir_version and a graph', `${bytes.length} bytes that decode to a message with ${what}`, 'Is the file truncated, or not an .onnx file?');
  }
  const opsetImports = (m.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: int64(o.version ?? 0) }));
  const main = opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!main) {
    throw new OnnxError(fn, arg, "an opset_import entry for the default domain ''", `domains [${opsetImports.map((o) => `'${o.domain}'`).join(', ')}]`, 'Is the file truncated?');
  }
  const initializers: OnnxModel['initializers'] = {};
  (g.initializer ?? []).forEach((t, i) => {
    const tensor = tensorFromProto(t, fn, `graph.initializer[${i}]`);
    initializers[tensor.name] = tensor;
  });
  const isInit = (v: ValueInfoProtoFields) => Object.hasOwn(initializers, v.name ?? '');
  return {
    irVersion,
    opset: main.version,
    opsetImports,
    producerName: m.producer_name ?? '',
    producerVersion: m.producer_version ?? '',
    graphName: g.name ?? '',
    inputs: (g.input ?? []).filter((v) => !isInit(v)).map(valueInfo),
    outputs: (g.output ?? []).map(valueInfo),
    valueInfo: (g.value_info ?? []).map(valueInfo),
    initializers,
    nodes: (g.node ?? []).map((n, i) => node(n, i, fn)),
  };
}

/**
 * Decodes one serialized `TensorProto` (e.g. the `input_0.pb` / `output_0.pb` files of ONNX's own
 * operator tests) into an {@link OnnxTensor}.
 *
 * @example
 * ```ts
 * import { decodeOnnxTensor } from '@snnts/convert';
 * // TensorProto { dims: [2], data_type: FLOAT, float_data: [1.5, -2] }, written out by hand:
 * const bytes = new Uint8Array([0x08, 0x02, 0x10, 0x01, 0x22, 0x08, 0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]);
 * const t = decodeOnnxTensor(bytes);
 * console.log(t.dims, Array.from(t.data)); // [2] [1.5, -2]
 * ```
 */
export function decodeOnnxTensor(bytes: Uint8Array): OnnxTensor {
  const fn = 'decodeOnnxTensor';
  if (!(bytes instanceof Uint8Array)) throw new OnnxError(fn, 'bytes', 'a Uint8Array with a serialized TensorProto', typeof bytes);
  let t: TensorProtoFields;
  try {
    t = tensorProto().decode(bytes) as unknown as TensorProtoFields;
  } catch (e) {
    throw new OnnxError(fn, 'bytes', 'the bytes of an ONNX TensorProto (protobuf)', `${bytes.length} bytes that do not decode (${(e as Error).message})`);
  }
  return tensorFromProto(t, fn, 'bytes');
}

/** The protobufjs type, for `encodeOnnx`. @internal */
export function modelProtoType(): protobuf.Type {
  return modelProto();
}
