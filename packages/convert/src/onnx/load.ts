/**
 * `loadOnnx`: an ONNX model from a file path (Node.js) or from bytes (anywhere). The file system
 * is imported lazily (`node:fs/promises`), so the package stays browser-safe.
 */
import { OnnxError } from '../errors.js';
import { decodeModel } from './decode.js';
import type { OnnxModel } from './types.js';

/** The part of `node:fs/promises` that `loadOnnx` uses (typed here, so no source names it). */
interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  let fs: NodeFs;
  try {
    const spec = 'node:fs/promises'; // a variable, so browser bundlers do not try to resolve it
    fs = (await import(/* @vite-ignore */ spec)) as NodeFs;
  } catch {
    throw new OnnxError('loadOnnx', 'pathOrBytes', 'bytes (Uint8Array / ArrayBuffer) when there is no file system', `the path '${path}' and no node:fs (browser?)`, 'Fetch the file and pass its bytes instead.');
  }
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (e) {
    throw new OnnxError('loadOnnx', 'pathOrBytes', 'a readable .onnx file', `'${path}' (${(e as Error).message})`);
  }
}

/**
 * Reads and decodes an ONNX model: `pathOrBytes` is a file path (Node.js only) or the file's
 * bytes (`Uint8Array` or `ArrayBuffer`, e.g. from `fetch(url).then((r) => r.arrayBuffer())`).
 * Throws `OnnxError` for a missing file, a truncated or non-ONNX file, or a model without a graph.
 *
 * @example
 * ```ts
 * import { encodeOnnx, loadOnnx } from '@snnts/convert';
 * const bytes = encodeOnnx({
 *   inputs: [{ name: 'x', elemType: 'FLOAT', shape: ['N', 3] }],
 *   outputs: [{ name: 'y', elemType: 'FLOAT', shape: ['N', 3] }],
 *   nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
 * });
 * const model = await loadOnnx(bytes); // or: await loadOnnx('model.onnx')
 * console.log(model.nodes.map((n) => n.opType)); // ['Relu']
 * ```
 */
export async function loadOnnx(pathOrBytes: string | Uint8Array | ArrayBuffer): Promise<OnnxModel> {
  let bytes: Uint8Array;
  if (typeof pathOrBytes === 'string') bytes = await readFileBytes(pathOrBytes);
  else if (pathOrBytes instanceof Uint8Array) bytes = pathOrBytes;
  else if (pathOrBytes instanceof ArrayBuffer) bytes = new Uint8Array(pathOrBytes);
  else {
    const actual = pathOrBytes === null ? 'null' : typeof pathOrBytes;
    throw new OnnxError('loadOnnx', 'pathOrBytes', 'a file path, a Uint8Array or an ArrayBuffer', actual);
  }
  return decodeModel(bytes, 'loadOnnx', 'pathOrBytes');
}
