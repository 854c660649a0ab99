/**
 * The IDX file format of MNIST and Fashion-MNIST (`train-images-idx3-ubyte`, ...): a 4-byte magic
 * (two zero bytes, a type code, the number of dimensions), big-endian uint32 sizes, then the data.
 * Pure byte parsing, browser-safe; gzip is handled by the Node loaders.
 */
import { ConfigError } from '@snnts/core';

/** IDX element types (the magic's third byte) and their byte sizes. */
const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

/** A decoded IDX array: its shape and its values in row-major order. */
export interface IdxArray {
  shape: number[];
  /** The element type name (`'uint8'` for MNIST images and labels). */
  dtype: string;
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Parses an uncompressed IDX file.
 *
 * @throws ConfigError for a bad magic, an unknown type, or a size that does not match the bytes.
 * @example
 * ```ts
 * import { parseIdx } from '@snnts/datasets';
 * // a 2x2 uint8 array: magic 0x00000802, sizes 2 and 2, then 4 values
 * const idx = parseIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4]));
 * console.log(idx.shape, Array.from(idx.data)); // [2, 2] [1, 2, 3, 4]
 * ```
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  const fn = 'parseIdx';
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new ConfigError(fn, 'bytes', 'an IDX file starting with two zero bytes', bytes.length < 4 ? `${bytes.length} bytes` : `magic bytes ${bytes[0]}, ${bytes[1]}`, 'Is the file still gzip-compressed?');
  }
  const type = TYPES[bytes[2]!];
  if (!type) throw new ConfigError(fn, 'bytes', `an IDX type code in {${Object.keys(TYPES).join(', ')}}`, `${bytes[2]}`);
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new ConfigError(fn, 'bytes', `a header of ${header} bytes`, `${bytes.length} bytes`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * type.bytes;
  if (bytes.length !== expected) {
    throw new ConfigError(fn, 'bytes', `${expected} bytes for shape [${shape.join(', ')}]`, `${bytes.length} bytes`);
  }
  const body = bytes.slice(header);
  const read = (f: (o: number) => number) => Array.from({ length: count }, (_, i) => f(header + i * type.bytes));
  let data: IdxArray['data'];
  switch (type.name) {
    case 'uint8':
      data = body;
      break;
    case 'int8':
      data = new Int8Array(body.buffer);
      break;
    case 'int16':
      data = Int16Array.from(read((o) => view.getInt16(o, false)));
      break;
    case 'int32':
      data = Int32Array.from(read((o) => view.getInt32(o, false)));
      break;
    case 'float32':
      data = Float32Array.from(read((o) => view.getFloat32(o, false)));
      break;
    default:
      data = Float64Array.from(read((o) => view.getFloat64(o, false)));
  }
  return { shape, dtype: type.name, data };
}
