/**
 * `encodeOnnx`: writes a small {@link OnnxModel} (or a spec with defaults filled in) as ONNX bytes.
 * It exists so that examples and tests can build models in memory; it stores float tensors as
 * `float_data` and integer tensors as `int64_data` / `int32_data`.
 */
import { OnnxError } from '../errors.js';
import { modelProtoType } from './decode.js';
import { tensorToProto } from './tensor.js';
import type { OnnxAttribute, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './types.js';
import { ONNX_DATA_TYPES } from './types.js';

/** A node for {@link encodeOnnx}: `name`, `domain` and `attributes` may be left out. */
export type OnnxNodeSpec = Pick<OnnxNode, 'opType' | 'inputs' | 'outputs'> & Partial<OnnxNode>;

/** A model for {@link encodeOnnx}: inputs, outputs and nodes; everything else has defaults (opset 13, IR 7). */
export type OnnxModelSpec = Pick<OnnxModel, 'inputs' | 'outputs'> &
  Partial<Omit<OnnxModel, 'inputs' | 'outputs' | 'nodes'>> & { nodes: OnnxNodeSpec[] };

const ATTRIBUTE_CODES: Record<string, number> = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9 };
const utf8 = new TextEncoder();

function attributeProto(name: string, a: OnnxAttribute): Record<string, unknown> {
  const type = ATTRIBUTE_CODES[a.type];
  switch (a.type) {
    case 'FLOAT': return { name, type, f: a.value };
    case 'INT': return { name, type, i: a.value };
    case 'STRING': return { name, type, s: utf8.encode(a.value) };
    case 'TENSOR': return { name, type, t: tensorToProto(a.value) };
    case 'FLOATS': return { name, type, floats: a.value };
    case 'INTS': return { name, type, ints: a.value };
    case 'STRINGS': return { name, type, strings: a.value.map((s) => utf8.encode(s)) };
    case 'TENSORS': return { name, type, tensors: a.value.map(tensorToProto) };
    default:
      throw new OnnxError('encodeOnnx', `attribute '${name}'`, 'a FLOAT(S), INT(S), STRING(S) or TENSOR(S) attribute', a.type);
  }
}

function valueInfoProto(v: OnnxValueInfo): Record<string, unknown> {
  const elem_type = v.elemType ? ONNX_DATA_TYPES.indexOf(v.elemType) : 0;
  const dim = v.shape?.map((d) => (typeof d === 'number' ? { dim_value: d } : typeof d === 'string' ? { dim_param: d } : {}));
  return { name: v.name, type: { tensor_type: { elem_type, ...(dim ? { shape: { dim } } : {}) } } };
}

/**
 * Serializes a model to ONNX bytes (a `ModelProto`), the inverse of {@link decodeOnnx}.
 *
 * @example
 * ```ts
 * import { decodeOnnx, encodeOnnx } from '@snnts/convert';
 * const bytes = encodeOnnx({
 *   inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 4] }],
 *   outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 2] }],
 *   initializers: { W: { name: 'W', dataType: 'FLOAT', dims: [2, 4], data: new Float32Array(8).fill(0.5) } },
 *   nodes: [{ opType: 'Gemm', inputs: ['x', 'W'], outputs: ['y'], attributes: { transB: { type: 'INT', value: 1 } } }],
 * });
 * console.log(decodeOnnx(bytes).initializers['W']!.dims); // [2, 4]
 * ```
 */
export function encodeOnnx(model: OnnxModelSpec): Uint8Array {
  const initializers: OnnxTensor[] = Object.values(model.initializers ?? {});
  const message = {
    ir_version: model.irVersion ?? 7,
    producer_name: model.producerName ?? 'snnts',
    producer_version: model.producerVersion ?? '',
    opset_import: model.opsetImports ?? [{ domain: '', version: model.opset ?? 13 }],
    graph: {
      name: model.graphName ?? 'graph',
      node: model.nodes.map((n, i) => ({
        name: n.name ?? `node_${i}`,
        op_type: n.opType,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([k, a]) => attributeProto(k, a)),
      })),
      initializer: initializers.map(tensorToProto),
      input: model.inputs.map(valueInfoProto),
      output: model.outputs.map(valueInfoProto),
      value_info: (model.valueInfo ?? []).map(valueInfoProto),
    },
  };
  const type = modelProtoType();
  return type.encode(type.fromObject(message)).finish();
}
