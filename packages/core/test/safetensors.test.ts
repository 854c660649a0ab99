// safetensors (src/safetensors.ts) checked byte by byte against the format
// (https://github.com/huggingface/safetensors, README "Format", and the reference serializer
// safetensors/src/tensor.rs): 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
// `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}` padded with
// spaces so that 8 + N is a multiple of 8, then the row-major little-endian tensor bytes, with
// offsets relative to the start of the data.
//
// PyTorch interop: Debian bookworm has python3-torch but no python3-safetensors package, so
// instead of a fixture written by `safetensors.torch.save_file` the "PyTorch file" below is built
// by hand exactly as the reference serializer lays it out (`__metadata__` first, tensors sorted by
// dtype alignment descending then by name, compact serde_json, space padding).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, Module, ShapeError, decodeSafetensors, encodeSafetensors, setBackend, type SafetensorsDtype } from '../src/index.js';

interface RawEntry {
  name: string;
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** Builds a safetensors file from raw entries, independently of the code under test. */
function buildFile(entries: RawEntry[], metadata?: Record<string, string>, pad = true): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.bytes.length] };
    offset += e.bytes.length;
  }
  let json = JSON.stringify(header);
  if (pad) while ((8 + json.length) % 8 !== 0) json += ' ';
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, h.length, true); // low word of the u64
  dv.setUint32(4, 0, true);
  out.set(h, 8);
  let pos = 8 + h.length;
  for (const e of entries) {
    out.set(e.bytes, pos);
    pos += e.bytes.length;
  }
  return out;
}

/** Little-endian bytes of `values` written with DataView setter `set` of `size` bytes. */
function le(values: (number | bigint)[], size: number, set: (dv: DataView, off: number, v: never) => void): Uint8Array {
  const b = new Uint8Array(values.length * size);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => set(dv, i * size, v as never));
  return b;
}
const f32 = (v: number[]) => le(v, 4, (d, o, x: number) => d.setFloat32(o, x, true));
const f64 = (v: number[]) => le(v, 8, (d, o, x: number) => d.setFloat64(o, x, true));
const u16 = (v: number[]) => le(v, 2, (d, o, x: number) => d.setUint16(o, x, true));
const i16 = (v: number[]) => le(v, 2, (d, o, x: number) => d.setInt16(o, x, true));
const i32 = (v: number[]) => le(v, 4, (d, o, x: number) => d.setInt32(o, x, true));
const i64 = (v: bigint[]) => le(v, 8, (d, o, x: bigint) => d.setBigInt64(o, x, true));

function parseHeader(bytes: Uint8Array): { n: number; json: string; header: Record<string, any> } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const json = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { n, json, header: JSON.parse(json) };
}

const vals = (t: tf.Tensor) => Array.from(t.dataSync());

function decodeOne(dtype: SafetensorsDtype, shape: number[], bytes: Uint8Array): tf.Tensor {
  const { tensors } = decodeSafetensors(buildFile([{ name: 't', dtype, shape, bytes }]));
  return tensors['t']!;
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe.each(['cpu', 'wasm'])('safetensors on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('encode: header length, JSON header, 8-byte alignment and raw little-endian bytes follow the spec', async () => {
    const w = tf.tensor([[1.5, -2], [0.25, 3]]);
    const idx = tf.tensor([1, -2, 65536], [3], 'int32');
    const mask = tf.tensor([true, false, true], [3], 'bool');
    const bytes = await encodeSafetensors({ 'fc.weight': w, 'a.idx': idx, mask }, { format: 'pt' });
    const { n, json, header } = parseHeader(bytes);
    expect((8 + n) % 8).toBe(0);
    expect(json.startsWith('{')).toBe(true);
    expect(json.trimEnd().endsWith('}')).toBe(true);
    expect(json.length - json.trimEnd().length).toBeLessThan(8); // only the padding
    expect(header['__metadata__']).toEqual({ format: 'pt' });
    // Tensors in name order, contiguous from 0 to the end of the file.
    expect(header['a.idx']).toEqual({ dtype: 'I32', shape: [3], data_offsets: [0, 12] });
    expect(header['fc.weight']).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [12, 28] });
    expect(header['mask']).toEqual({ dtype: 'BOOL', shape: [3], data_offsets: [28, 31] });
    expect(bytes.length).toBe(8 + n + 31);
    const data = Array.from(bytes.subarray(8 + n));
    // int32 1, -2, 65536 little-endian.
    expect(data.slice(0, 12)).toEqual([1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0, 0, 1, 0]);
    // float32 1.5 = 0x3FC00000, -2 = 0xC0000000, 0.25 = 0x3E800000, 3 = 0x40400000, row-major.
    expect(data.slice(12, 28)).toEqual([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0x80, 0x3e, 0, 0, 0x40, 0x40]);
    expect(data.slice(28)).toEqual([1, 0, 1]);
    tf.dispose([w, idx, mask]);
  });

  it('encode: no metadata, empty dict, scalars and empty tensors', async () => {
    const s = tf.scalar(-0.5);
    const e = tf.zeros([0, 3]);
    const bytes = await encodeSafetensors({ s, e });
    const { n, header } = parseHeader(bytes);
    expect((8 + n) % 8).toBe(0);
    expect('__metadata__' in header).toBe(false);
    expect(header['e']).toEqual({ dtype: 'F32', shape: [0, 3], data_offsets: [0, 0] });
    expect(header['s']).toEqual({ dtype: 'F32', shape: [], data_offsets: [0, 4] });
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0, 0, 0, 0xbf]);
    const empty = await encodeSafetensors({});
    expect(parseHeader(empty).header).toEqual({});
    expect(empty.length).toBe(16); // '{}' + 6 spaces
    const back = decodeSafetensors(bytes).tensors;
    expect(back['s']!.shape).toEqual([]);
    expect(vals(back['s']!)).toEqual([-0.5]);
    expect(back['e']!.shape).toEqual([0, 3]);
    tf.dispose([s, e, ...Object.values(back)]);
  });

  it('encode rejects dtypes outside the spec mapping with a ShapeError', async () => {
    const c = tf.tensor(['a', 'b']);
    await expect(encodeSafetensors({ c })).rejects.toThrowError(ShapeError);
    await expect(encodeSafetensors({ c })).rejects.toThrowError(/encodeSafetensors: 'tensors\['c'\]' expected dtype float32, int32 or bool, but got dtype string\./);
    c.dispose();
  });

  it('decode(encode(x)) round-trips F32 and I32 (and BOOL as int32) with metadata', async () => {
    const a = tf.tensor([[Math.PI, -1e-30, 3.4e38], [0, -0, 1 / 3]]);
    const b = tf.tensor([[2147483647, -2147483648, 0]], [1, 3], 'int32');
    const m = tf.tensor([false, true], [2], 'bool');
    const before = tf.memory().numTensors;
    const { tensors, metadata } = decodeSafetensors(await encodeSafetensors({ a, b, m }, { format: 'pt', note: 'é ✓' }));
    expect(metadata).toEqual({ format: 'pt', note: 'é ✓' });
    expect(Object.keys(tensors).sort()).toEqual(['a', 'b', 'm']);
    expect(tensors['a']!.dtype).toBe('float32');
    expect(tensors['a']!.shape).toEqual([2, 3]);
    expect(vals(tensors['a']!)).toEqual(vals(a));
    expect(Object.is(tensors['a']!.dataSync()[4], -0)).toBe(true);
    expect(tensors['b']!.dtype).toBe('int32');
    expect(tensors['b']!.shape).toEqual([1, 3]);
    expect(vals(tensors['b']!)).toEqual([2147483647, -2147483648, 0]);
    expect(tensors['m']!.dtype).toBe('int32');
    expect(vals(tensors['m']!)).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([a, b, m, ...Object.values(tensors)]);
  });

  it('decodes F64 to float32', () => {
    const t = decodeOne('F64', [2, 2], f64([1 / 3, -1e10, 2.5, 1e-300]));
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([2, 2]);
    expect(vals(t)).toEqual([Math.fround(1 / 3), Math.fround(-1e10), 2.5, 0]);
    t.dispose();
  });

  it('decodes F16 including subnormals, infinities, NaN and signed zero', () => {
    const bits = [0x3c00, 0xc000, 0x3555, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x3800];
    const expected = [
      1, -2, 0.333251953125,
      2 ** -24, // smallest subnormal 5.960464477539063e-8
      1023 * 2 ** -24, // largest subnormal 6.097555160522461e-5
      2 ** -14, // smallest normal
      65504, Infinity, -Infinity, NaN, -0, 0.5,
    ];
    const t = decodeOne('F16', [12], u16(bits));
    expect(t.dtype).toBe('float32');
    const got = vals(t);
    expected.forEach((e, i) => expect(Object.is(got[i], e) || got[i] === e, `F16 0x${bits[i]!.toString(16)}: ${got[i]} vs ${e}`).toBe(true));
    t.dispose();
  });

  it('decodes BF16 (the top half of a float32)', () => {
    const bits = [0x3f80, 0xc040, 0x4049, 0x3e20, 0x7f80, 0xff80, 0x0001, 0x8000, 0x7f7f];
    const expected = [1, -3, 3.140625, 0.15625, Infinity, -Infinity, 2 ** -133, -0, 3.3895313892515355e38];
    const t = decodeOne('BF16', [3, 3], u16(bits));
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([3, 3]);
    const got = vals(t);
    expected.forEach((e, i) => expect(Object.is(got[i], e), `BF16 0x${bits[i]!.toString(16)}: ${got[i]} vs ${e}`).toBe(true));
    t.dispose();
  });

  it('decodes I64, I16, I8, U8 and BOOL to int32', () => {
    const cases: [SafetensorsDtype, number[], Uint8Array, number[]][] = [
      ['I64', [5], i64([-1n, 0n, 2147483647n, -2147483648n, 42n]), [-1, 0, 2147483647, -2147483648, 42]],
      ['I16', [2, 2], i16([-32768, 32767, -1, 5]), [-32768, 32767, -1, 5]],
      ['I8', [4], Uint8Array.from([0x80, 0x7f, 0xff, 0x00]), [-128, 127, -1, 0]],
      ['U8', [3], Uint8Array.from([0, 255, 128]), [0, 255, 128]],
      ['BOOL', [3], Uint8Array.from([1, 0, 1]), [1, 0, 1]],
    ];
    for (const [dtype, shape, bytes, expected] of cases) {
      const t = decodeOne(dtype, shape, bytes);
      expect(t.dtype, dtype).toBe('int32');
      expect(t.shape, dtype).toEqual(shape);
      expect(vals(t), dtype).toEqual(expected);
      t.dispose();
    }
  });

  it('I64 values outside the int32 range are an error, not silently wrapped', () => {
    const e = configError(() => decodeOne('I64', [2], i64([1n, 2n ** 40n])));
    expect(e.message).toMatch(/^decodeSafetensors: 'header\['t'\]' expected I64 values within the int32 range/);
  });

  it('decodes a file laid out like safetensors.torch.save_file output (nested dotted names)', () => {
    // torch: {'1.0.weight': float32 [2,3], '0.bias': float32 [2], '2.weight': float16 [2],
    //         '1.1.num_batches_tracked': int64 scalar}; metadata {'format': 'pt'}.
    // Reference layout: sorted by dtype alignment (I64 > F32 > F16), then by name.
    const file = buildFile(
      [
        { name: '1.1.num_batches_tracked', dtype: 'I64', shape: [], bytes: i64([7n]) },
        { name: '0.bias', dtype: 'F32', shape: [2], bytes: f32([0.5, -0.5]) },
        { name: '1.0.weight', dtype: 'F32', shape: [2, 3], bytes: f32([1, 2, 3, 4, 5, 6]) },
        { name: '2.weight', dtype: 'F16', shape: [2], bytes: u16([0x3c00, 0xbc00]) },
      ],
      { format: 'pt' },
    );
    expect(file.length % 8).toBe(4); // header block aligned; 8 + 8 + 24 + 4 data bytes
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.keys(tensors).sort()).toEqual(['0.bias', '1.0.weight', '1.1.num_batches_tracked', '2.weight']);
    expect(vals(tensors['1.0.weight']!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensors['1.0.weight']!.shape).toEqual([2, 3]);
    expect(vals(tensors['0.bias']!)).toEqual([0.5, -0.5]);
    expect(vals(tensors['2.weight']!)).toEqual([1, -1]);
    expect(tensors['1.1.num_batches_tracked']!.shape).toEqual([]);
    expect(vals(tensors['1.1.num_batches_tracked']!)).toEqual([7]);

    // And it loads into a module with the same dotted names.
    class Lin extends Module {
      readonly weight = this.registerParameter('weight', tf.zeros([2, 3]));
      forward(x: tf.Tensor) {
        return tf.matMul(x, this.weight, false, true);
      }
    }
    class Bias extends Module {
      readonly bias = this.registerParameter('bias', tf.zeros([2]));
      forward(x: tf.Tensor) {
        return tf.add(x, this.bias);
      }
    }
    class BN extends Module {
      constructor() {
        super();
        this.registerBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
      }
      forward(x: tf.Tensor) {
        return x;
      }
    }
    class Pair extends Module {
      constructor() {
        super();
        this.registerModule('0', new Lin());
        this.registerModule('1', new BN());
      }
      forward(x: tf.Tensor) {
        return x;
      }
    }
    class Half extends Module {
      readonly weight = this.registerParameter('weight', tf.zeros([2]));
      forward(x: tf.Tensor) {
        return x;
      }
    }
    class Root extends Module {
      constructor() {
        super();
        this.registerModule('0', new Bias());
        this.registerModule('1', new Pair());
        this.registerModule('2', new Half());
      }
      forward(x: tf.Tensor) {
        return x;
      }
    }
    const root = new Root();
    root.loadStateDict(tensors);
    const sd = root.stateDict();
    expect(Object.keys(sd)).toEqual(['0.bias', '1.0.weight', '1.1.num_batches_tracked', '2.weight']);
    expect(vals(sd['1.0.weight']!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(vals(sd['1.1.num_batches_tracked']!)).toEqual([7]);
    tf.dispose(Object.values(tensors));
    root.dispose();
  });

  it('an unpadded header and tensors stored out of name order are read too', () => {
    // Older writers did not pad; the spec does not require it.
    const file = buildFile(
      [
        { name: 'z', dtype: 'I32', shape: [1], bytes: i32([9]) },
        { name: 'a', dtype: 'F32', shape: [1], bytes: f32([0.75]) },
      ],
      undefined,
      false,
    );
    const { tensors } = decodeSafetensors(file);
    expect(vals(tensors['z']!)).toEqual([9]);
    expect(vals(tensors['a']!)).toEqual([0.75]);
    tf.dispose(Object.values(tensors));
  });

  it('a bad entry after good ones throws without leaking the tensors already decoded', () => {
    const file = buildFile([
      { name: 'a', dtype: 'F32', shape: [2], bytes: f32([1, 2]) },
      { name: 'b', dtype: 'I64', shape: [1], bytes: i64([2n ** 33n]) },
    ]);
    const before = tf.memory().numTensors;
    configError(() => decodeSafetensors(file));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('truncated or garbage input is a ConfigError, never a crash or a wrong tensor', async () => {
    const w = tf.tensor([1, 2, 3, 4]);
    const good = await encodeSafetensors({ w });
    w.dispose();
    const { n } = parseHeader(good);
    expect(configError(() => decodeSafetensors(new Uint8Array(0))).message).toBe(
      "decodeSafetensors: 'bytes' expected at least 8 bytes (header length), but got 0 bytes.",
    );
    configError(() => decodeSafetensors(good.slice(0, 5)));
    configError(() => decodeSafetensors(good.slice(0, 8 + n - 1))); // header cut
    expect(configError(() => decodeSafetensors(good.slice(0, good.length - 1))).message).toMatch(
      /^decodeSafetensors: 'header\['w'\]\.data_offsets' expected 16 bytes inside the file/,
    );
    // Header length larger than the file, or zero.
    const huge = good.slice();
    new DataView(huge.buffer).setUint32(0, 1 << 30, true);
    configError(() => decodeSafetensors(huge));
    const zero = good.slice();
    new DataView(zero.buffer).setUint32(0, 0, true);
    configError(() => decodeSafetensors(zero));
    // Pseudo-random garbage.
    let s = 12345;
    const garbage = Uint8Array.from({ length: 256 }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
    configError(() => decodeSafetensors(garbage));
    // A valid length over invalid JSON.
    const text = (json: string, extra = 0) => {
      const h = new TextEncoder().encode(json);
      const b = new Uint8Array(8 + h.length + extra);
      new DataView(b.buffer).setUint32(0, h.length, true);
      b.set(h, 8);
      return b;
    };
    expect(configError(() => decodeSafetensors(text('{"w": {"dtype": "F32",'))).message).toMatch(/^decodeSafetensors: 'bytes' expected a JSON header, but got unparsable JSON\./);
    // Well-formed JSON that is not a valid header.
    for (const json of [
      'null',
      '[1, 2]',
      '{"w": 5}',
      '{"w": {"dtype": "F32"}}',
      '{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}',
      '{"w": {"dtype": "F32", "shape": "1", "data_offsets": [0, 4]}}',
      '{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}',
      '{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}',
      '{"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}',
      '{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}',
    ]) {
      const e = configError(() => decodeSafetensors(text(json, 8)));
      expect(e.fn, json).toBe('decodeSafetensors');
    }
    expect(configError(() => decodeSafetensors(text('{"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}', 1))).message).toBe(
      "decodeSafetensors: 'header['w'].dtype' expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, but got 'F8_E4M3'.",
    );
  });
});
