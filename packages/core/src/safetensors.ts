/**
 * The safetensors file format (8-byte little-endian header length, a JSON header of
 * `{name: {dtype, shape, data_offsets}}`, then the raw little-endian bytes), so weights move
 * between snnts and PyTorch (`safetensors.torch.load_file`) unchanged. Pure byte handling: no
 * Node APIs here, so it works in browsers too.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from './errors.js';

/**
 * dtypes of the safetensors spec that snnts reads.
 *
 * @example
 * ```ts
 * import { SAFETENSORS_DTYPES } from '@snnts/core';
 * console.log(SAFETENSORS_DTYPES.includes('BF16')); // true
 * ```
 */
export const SAFETENSORS_DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL'] as const;
/** One safetensors dtype. */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Encodes named tensors (float32 as `F32`, int32 as `I32`, bool as `BOOL`) into safetensors bytes.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { encodeSafetensors, decodeSafetensors } from '@snnts/core';
 * const bytes = await encodeSafetensors({ 'fc.weight': tf.ones([2, 3]) }, { format: 'pt' });
 * const back = decodeSafetensors(bytes).tensors['fc.weight'];
 * ```
 */
export async function encodeSafetensors(tensors: Record<string, tf.Tensor>, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  const names = Object.keys(tensors).sort();
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length) header['__metadata__'] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const data = await t.data();
    let bytes: Uint8Array;
    let dtype: SafetensorsDtype;
    if (t.dtype === 'float32') {
      dtype = 'F32';
      bytes = littleEndianBytes(new Float32Array(data as Float32Array));
    } else if (t.dtype === 'int32') {
      dtype = 'I32';
      bytes = littleEndianBytes(new Int32Array(data as Int32Array));
    } else if (t.dtype === 'bool') {
      dtype = 'BOOL';
      bytes = Uint8Array.from(data as Uint8Array);
    } else {
      throw new ShapeError('encodeSafetensors', `tensors['${name}']`, 'dtype float32, int32 or bool', `dtype ${t.dtype}`);
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** The platform is little-endian on every target tfjs supports; copy the bytes of a typed array. */
function littleEndianBytes(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** What {@link decodeSafetensors} returns. */
export interface DecodedSafetensors {
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
}

/**
 * Decodes safetensors bytes. Floats become float32 tensors; integers and bools become int32.
 *
 * @throws ConfigError on a truncated or malformed file, naming what is wrong.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { decodeSafetensors, encodeSafetensors } from '@snnts/core';
 * const bytes = await encodeSafetensors({ w: tf.ones([2]) }, { format: 'pt' }); // or a file's bytes
 * const { tensors, metadata } = decodeSafetensors(bytes); // tensors.w: [1, 1]; metadata.format: 'pt'
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const fn = 'decodeSafetensors';
  if (bytes.length < 8) throw new ConfigError(fn, 'bytes', 'at least 8 bytes (header length)', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) {
    throw new ConfigError(fn, 'bytes', `a header of at most ${bytes.length - 8} bytes`, `a header length of ${n}`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(fn, 'bytes', 'a JSON header', 'unparsable JSON', (e as Error).message);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new ConfigError(fn, 'bytes', 'a JSON object header', JSON.stringify(header));
  }
  const tensors: Record<string, tf.Tensor> = {};
  const metadata = (header['__metadata__'] ?? {}) as Record<string, string>;
  try {
    decodeEntries(header, bytes, 8 + n, tensors);
  } catch (e) {
    tf.dispose(Object.values(tensors)); // nothing decoded so far leaks on a bad later entry
    throw e;
  }
  return { tensors, metadata };
}

function decodeEntries(header: Record<string, unknown>, bytes: Uint8Array, base: number, tensors: Record<string, tf.Tensor>): void {
  const fn = 'decodeSafetensors';
  const isIndex = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as HeaderEntry;
    if (e === null || typeof e !== 'object') {
      throw new ConfigError(fn, `header['${name}']`, 'an object {dtype, shape, data_offsets}', JSON.stringify(raw));
    }
    if (!SAFETENSORS_DTYPES.includes(e.dtype)) {
      throw new ConfigError(fn, `header['${name}'].dtype`, `one of ${SAFETENSORS_DTYPES.join(', ')}`, `'${e.dtype}'`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every(isIndex)) {
      throw new ConfigError(fn, `header['${name}'].shape`, 'an array of non-negative integers', JSON.stringify(e.shape));
    }
    const offs = e.data_offsets as unknown;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every(isIndex) || offs[0] > offs[1]) {
      throw new ConfigError(fn, `header['${name}'].data_offsets`, '[begin, end] with 0 <= begin <= end', JSON.stringify(offs));
    }
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[e.dtype] || base + end > bytes.length) {
      throw new ConfigError(fn, `header['${name}'].data_offsets`, `${count * BYTES[e.dtype]} bytes inside the file`, `[${begin}, ${end}] in a file of ${bytes.length - base} data bytes`);
    }
    const chunk = bytes.slice(base + begin, base + end);
    tensors[name] = toTfTensor(chunk, e.dtype, e.shape, name);
  }
}

function toTfTensor(chunk: Uint8Array, dtype: SafetensorsDtype, shape: number[], name: string): tf.Tensor {
  const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const count = chunk.byteLength / BYTES[dtype];
  switch (dtype) {
    case 'F32':
      return tf.tensor(new Float32Array(chunk.buffer, chunk.byteOffset, count), shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(new Float64Array(chunk.buffer, chunk.byteOffset, count)), shape, 'float32');
    case 'F16':
      return tf.tensor(Float32Array.from({ length: count }, (_, i) => halfToFloat(dv.getUint16(2 * i, true))), shape, 'float32');
    case 'BF16':
      return tf.tensor(Float32Array.from({ length: count }, (_, i) => bf16ToFloat(dv.getUint16(2 * i, true))), shape, 'float32');
    case 'I64': {
      // tfjs has no int64: values must fit int32 (Int32Array.from would silently wrap them).
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = dv.getBigInt64(8 * i, true);
        if (v < -2147483648n || v > 2147483647n) {
          throw new ConfigError('decodeSafetensors', `header['${name}']`, 'I64 values within the int32 range (tfjs has no int64)', `${v} at index ${i}`);
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, shape, 'int32');
    }
    case 'I32':
      return tf.tensor(new Int32Array(chunk.buffer, chunk.byteOffset, count), shape, 'int32');
    case 'I16':
      return tf.tensor(Int32Array.from({ length: count }, (_, i) => dv.getInt16(2 * i, true)), shape, 'int32');
    case 'I8':
      return tf.tensor(Int32Array.from({ length: count }, (_, i) => dv.getInt8(i)), shape, 'int32');
    case 'U8':
    case 'BOOL':
      return tf.tensor(Int32Array.from(chunk), shape, 'int32');
    default:
      return dtype satisfies never;
  }
}

/** IEEE 754 half precision to float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** bfloat16 (the top 16 bits of a float32) to float. */
function bf16ToFloat(b: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, b << 16, false);
  return buf.getFloat32(0, false);
}
