/**
 * The plain, typed view of an ONNX model that `decodeOnnx` / `loadOnnx` return and `encodeOnnx`
 * writes: graph inputs and outputs with their element types and (possibly symbolic) shapes,
 * initializers as `Float32Array`s with dims, and nodes with decoded attributes. Only plain data:
 * no protobuf objects, no tensors to dispose.
 */

/**
 * The ONNX element types (`TensorProto.DataType`), by their ONNX names, indexed by their enum value.
 *
 * @example
 * ```ts
 * import { ONNX_DATA_TYPES } from '@snnts/convert';
 * console.log(ONNX_DATA_TYPES[1], ONNX_DATA_TYPES[7]); // 'FLOAT' 'INT64'
 * ```
 */
export const ONNX_DATA_TYPES = [
  'UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL',
  'FLOAT16', 'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16',
  'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ', 'FLOAT8E5M2', 'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1',
  'FLOAT8E8M0', 'UINT2', 'INT2',
] as const;

/** An ONNX element type name, e.g. `'FLOAT'`, `'INT64'` (see {@link ONNX_DATA_TYPES}). */
export type OnnxDataType = (typeof ONNX_DATA_TYPES)[number];

/**
 * One dimension of a value's shape: a number (`dim_value`), a string for a symbolic dimension
 * (`dim_param`, e.g. `'batch'`), or `null` when the model leaves it unknown.
 */
export type OnnxDim = number | string | null;

/** A graph input, output or intermediate value: its name, element type and shape. */
export interface OnnxValueInfo {
  /** The value's name, as nodes refer to it. */
  name: string;
  /** The tensor's element type, or `null` when it is not a tensor or the model does not say. */
  elemType: OnnxDataType | null;
  /** The shape, or `null` when even the rank is unknown. */
  shape: OnnxDim[] | null;
}

/**
 * A constant tensor (an initializer, a `Constant` node's value or a tensor attribute).
 * `data` holds the values as float32 for every numeric element type; integer tensors also keep
 * their exact values in `ints` (INT64 values beyond ±2^53 lose precision as JS numbers).
 */
export interface OnnxTensor {
  /** The tensor's name (empty for an anonymous attribute tensor). */
  name: string;
  /** The element type the model stores. */
  dataType: OnnxDataType;
  /** The shape; `[]` is a scalar. */
  dims: number[];
  /** The values in row-major order, converted to float32. */
  data: Float32Array;
  /** For integer and BOOL tensors: the exact values as JS numbers. */
  ints?: number[];
}

/** The kinds of ONNX attribute values (`AttributeProto.AttributeType`). */
export type OnnxAttributeType =
  | 'FLOAT' | 'INT' | 'STRING' | 'TENSOR' | 'GRAPH' | 'SPARSE_TENSOR' | 'TYPE_PROTO'
  | 'FLOATS' | 'INTS' | 'STRINGS' | 'TENSORS' | 'GRAPHS' | 'SPARSE_TENSORS' | 'TYPE_PROTOS';

/**
 * A decoded node attribute. Graph, sparse-tensor and type attributes are recorded by kind only
 * (`value: null`): no supported operator uses them.
 */
export type OnnxAttribute =
  | { type: 'FLOAT'; value: number }
  | { type: 'INT'; value: number }
  | { type: 'STRING'; value: string }
  | { type: 'TENSOR'; value: OnnxTensor }
  | { type: 'FLOATS'; value: number[] }
  | { type: 'INTS'; value: number[] }
  | { type: 'STRINGS'; value: string[] }
  | { type: 'TENSORS'; value: OnnxTensor[] }
  | { type: 'GRAPH' | 'SPARSE_TENSOR' | 'TYPE_PROTO' | 'GRAPHS' | 'SPARSE_TENSORS' | 'TYPE_PROTOS'; value: null };

/** One operator node of the graph. */
export interface OnnxNode {
  /** The node's name (may be empty: ONNX makes it optional). */
  name: string;
  /** The operator, e.g. `'Gemm'`. */
  opType: string;
  /** The operator set domain; `''` is the default `ai.onnx` domain. */
  domain: string;
  /** Input value names; `''` marks an omitted optional input. */
  inputs: string[];
  /** Output value names; `''` marks an omitted optional output. */
  outputs: string[];
  /** Attributes by name. */
  attributes: Record<string, OnnxAttribute>;
}

/** An `opset_import` entry: the operator set version a domain is used at. */
export interface OnnxOpsetImport {
  /** `''` (or `'ai.onnx'`) for the default domain. */
  domain: string;
  /** The operator set version. */
  version: number;
}

/** A decoded ONNX model (its main graph). */
export interface OnnxModel {
  /** The IR version (`ir_version`). */
  irVersion: number;
  /** The default-domain (`ai.onnx`) operator set version, e.g. 13. */
  opset: number;
  /** Every `opset_import` entry, including other domains. */
  opsetImports: OnnxOpsetImport[];
  /** `producer_name`, e.g. `'pytorch'`. */
  producerName: string;
  /** `producer_version`. */
  producerVersion: string;
  /** The graph's name. */
  graphName: string;
  /** The graph inputs that are not initializers (what a caller feeds). */
  inputs: OnnxValueInfo[];
  /** The graph outputs. */
  outputs: OnnxValueInfo[];
  /** Shapes the model records for intermediate values (`value_info`), possibly empty. */
  valueInfo: OnnxValueInfo[];
  /** The initializers (weights) by name. */
  initializers: Record<string, OnnxTensor>;
  /** The nodes, in the graph's (topological) order. */
  nodes: OnnxNode[];
}
