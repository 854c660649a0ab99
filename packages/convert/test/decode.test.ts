/**
 * Decoding: every numeric element type from raw_data and from the typed fields (dtypes.onnx, made
 * by scripts/make_onnx_fixtures.py with onnx.helper, expected values in dtypes.json), attribute
 * kinds, the encode/decode round trip, and the typed errors for bytes that are not a usable model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SnnError } from '@snnts/core';
import { MODELS } from './helpers/paths.js';
import { OnnxError, decodeOnnx, encodeOnnx, loadOnnx, onnxTensorToTf, type OnnxModelSpec } from '@snnts/convert';

const small = (name: string) => fileURLToPath(new URL(`./fixtures/small/${name}`, import.meta.url));
const MLP = MODELS.mlp;

interface Expected {
  dims: number[];
  dataType: string;
  values: number[];
  ints?: number[];
}
const expected = JSON.parse(readFileSync(small('dtypes.json'), 'utf8')) as Record<string, Expected>;

describe('element types', async () => {
  const model = await loadOnnx(small('dtypes.onnx'));
  it.each(Object.keys(expected))('%s', (name) => {
    const t = model.initializers[name]!;
    const e = expected[name]!;
    expect(t.dims).toEqual(e.dims);
    expect(t.dataType).toBe(e.dataType);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual(e.values);
    if (e.ints) expect(t.ints).toEqual(e.ints);
    else expect(t.ints).toBeUndefined();
  });

  it('initializers are not listed as graph inputs', () => {
    expect(model.inputs.map((v) => v.name)).toEqual(['input']);
  });

  it('onnxTensorToTf gives a float32 tensor of the dims', () => {
    const t = onnxTensorToTf(model.initializers['f64_raw']!);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    t.dispose();
  });
});

const RELU: OnnxModelSpec = {
  inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
  outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', null] }],
  nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
};

describe('encodeOnnx / decodeOnnx round trip', () => {
  it('keeps value infos (numeric, symbolic and unknown dims), attributes and tensors', () => {
    const spec: OnnxModelSpec = {
      ...RELU,
      opset: 17,
      initializers: { s: { name: 's', dataType: 'INT64', dims: [2], data: Float32Array.of(0, -1), ints: [0, -1] } },
      nodes: [
        {
          name: 'n',
          opType: 'Relu',
          inputs: ['x'],
          outputs: ['y'],
          attributes: {
            f: { type: 'FLOAT', value: 0.5 },
            i: { type: 'INT', value: -3 },
            s: { type: 'STRING', value: 'héllo' },
            fs: { type: 'FLOATS', value: [1.5, 2] },
            is: { type: 'INTS', value: [1, 2, 3] },
            ss: { type: 'STRINGS', value: ['a', 'b'] },
            t: { type: 'TENSOR', value: { name: 'c', dataType: 'FLOAT', dims: [1], data: Float32Array.of(4) } },
          },
        },
      ],
    };
    const m = decodeOnnx(encodeOnnx(spec));
    expect(m.opset).toBe(17);
    expect(m.opsetImports).toEqual([{ domain: '', version: 17 }]);
    expect(m.inputs).toEqual([{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }]);
    expect(m.outputs).toEqual([{ name: 'y', elemType: 'FLOAT', shape: ['N', null] }]);
    expect(m.initializers['s']!.ints).toEqual([0, -1]);
    const a = m.nodes[0]!.attributes;
    expect(a['f']).toEqual({ type: 'FLOAT', value: 0.5 });
    expect(a['i']).toEqual({ type: 'INT', value: -3 });
    expect(a['s']).toEqual({ type: 'STRING', value: 'héllo' });
    expect(a['fs']).toEqual({ type: 'FLOATS', value: [1.5, 2] });
    expect(a['is']).toEqual({ type: 'INTS', value: [1, 2, 3] });
    expect(a['ss']).toEqual({ type: 'STRINGS', value: ['a', 'b'] });
    expect(a['t']).toMatchObject({ type: 'TENSOR', value: { name: 'c', dataType: 'FLOAT', dims: [1] } });
  });

  it('loadOnnx takes an ArrayBuffer', async () => {
    const bytes = encodeOnnx(RELU);
    const m = await loadOnnx(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(m.nodes[0]!.opType).toBe('Relu');
  });
});

describe('errors', () => {
  const mlp = new Uint8Array(readFileSync(MLP));

  it.each([
    ['truncated in the middle', mlp.subarray(0, Math.floor(mlp.length / 2))],
    ['truncated near the end', mlp.subarray(0, mlp.length - 3)],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['a text file', new TextEncoder().encode('this is not an onnx model\n')],
    ['empty', new Uint8Array(0)],
  ])('%s -> OnnxError naming loadOnnx and pathOrBytes', async (_what, bytes) => {
    const err = await loadOnnx(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxError);
    expect(err).toBeInstanceOf(SnnError);
    expect((err as OnnxError).fn).toBe('loadOnnx');
    expect((err as OnnxError).arg).toBe('pathOrBytes');
    expect((err as Error).message).toMatch(/^loadOnnx: 'pathOrBytes' expected .*ONNX ModelProto.*, but got \d+ bytes/);
  });

  it('a model without a graph', () => {
    const noGraph = encodeOnnx(RELU).subarray(0, 2); // just ir_version
    expect(() => decodeOnnx(noGraph)).toThrow(/decodeOnnx: 'bytes' expected an ONNX ModelProto with ir_version and a graph, but got 2 bytes that decode to a message with no graph/);
  });

  it('a model without a default-domain opset', () => {
    const bytes = encodeOnnx({ ...RELU, opsetImports: [{ domain: 'com.example', version: 1 }] });
    expect(() => decodeOnnx(bytes)).toThrow(/opset_import entry for the default domain/);
  });

  it('a missing file', async () => {
    await expect(loadOnnx('/nonexistent/model.onnx')).rejects.toThrow(/loadOnnx: 'pathOrBytes' expected a readable .onnx file, but got '\/nonexistent\/model.onnx'/);
  });

  it('a wrong argument type', async () => {
    await expect(loadOnnx(42 as unknown as string)).rejects.toThrow(OnnxError);
    expect(() => decodeOnnx('x' as unknown as Uint8Array)).toThrow(/decodeOnnx: 'bytes' expected a Uint8Array/);
  });

  it('raw_data of the wrong length', () => {
    const bad = encodeOnnx({ ...RELU, initializers: { w: { name: 'w', dataType: 'FLOAT', dims: [2], data: Float32Array.of(1, 2, 3) } } });
    expect(() => decodeOnnx(bad)).toThrow(/graph.initializer\[0\] 'w'' expected 2 values for dims \[2\], but got 3 values/);
  });
});
