/**
 * Node loaders for IDX files on disk (gzip or not) and the Fashion-MNIST / MNIST file layout
 * (`train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`, `t10k-...`). Node modules are
 * imported lazily, so importing the package stays browser-safe.
 */
import { ConfigError, ShapeError } from '@snnts/core';
import { parseIdx, type IdxArray } from './idx.js';
import { ImageSet } from './image_set.js';

/**
 * Where Debian's `dataset-fashion-mnist` package puts the files.
 *
 * @example
 * ```ts
 * import { DEBIAN_FASHION_MNIST_DIR } from '@snnts/datasets';
 * console.log(DEBIAN_FASHION_MNIST_DIR); // '/usr/share/datasets/fashion-mnist'
 * ```
 */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

async function nodeImport<T>(spec: string): Promise<T> {
  return (await import(/* @vite-ignore */ spec)) as T;
}

/** Options of {@link readIdxFile}. */
export interface ReadIdxOptions {
  /**
   * Read only the first `limit` items (along the first dimension): the file is streamed and
   * decompressed only that far, so taking 256 images of a 60,000-image file costs 256 images of
   * memory. Default: all.
   */
  limit?: number;
}

/** Bytes per element of each IDX type code. */
const IDX_ELEMENT_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

interface NodeStreams {
  fs: { createReadStream(p: string): AsyncIterable<Uint8Array> & { destroy(): void } };
  zlib: { createGunzip(): AsyncIterable<Uint8Array> & { destroy(): void; write(b: Uint8Array): boolean; end(): void } };
}

/** The IDX bytes wanted for `limit` items once the header is in, or `null` while it is not. */
function wantedBytes(head: Uint8Array, limit: number): number | null {
  if (head.length < 4) return null;
  const rank = head[3]!;
  const headerBytes = 4 + 4 * rank;
  if (head.length < headerBytes) return null;
  const view = new DataView(head.buffer, head.byteOffset, headerBytes);
  let item = IDX_ELEMENT_BYTES[head[2]!] ?? 1;
  for (let d = 1; d < rank; d++) item *= view.getUint32(4 + 4 * d);
  return headerBytes + Math.min(limit, view.getUint32(4)) * item;
}

/** Streams `path` (gunzipping when `gzip`) until `limit` items are in; the header's count is set to what was read. */
async function readIdxPrefix(path: string, limit: number, gzip: boolean): Promise<Uint8Array> {
  const fs = await nodeImport<NodeStreams['fs']>('node:fs');
  const raw = fs.createReadStream(path);
  const chunks: Uint8Array[] = [];
  let have = 0;
  let want: number | null = null;
  let source: AsyncIterable<Uint8Array> & { destroy(): void } = raw;
  let gunzip: ReturnType<NodeStreams['zlib']['createGunzip']> | null = null;
  if (gzip) {
    const zlib = await nodeImport<NodeStreams['zlib']>('node:zlib');
    gunzip = zlib.createGunzip();
    (raw as unknown as { pipe(d: unknown): void }).pipe(gunzip);
    source = gunzip;
  }
  try {
    for await (const c of source) {
      chunks.push(c);
      have += c.length;
      if (want === null) want = wantedBytes(concat(chunks, have), limit);
      if (want !== null && have >= want) break;
    }
  } finally {
    gunzip?.destroy();
    raw.destroy();
  }
  const bytes = concat(chunks, have);
  const end = want ?? bytes.length;
  const out = bytes.slice(0, Math.min(end, bytes.length));
  if (want !== null && out.length >= 8) {
    const view = new DataView(out.buffer, out.byteOffset, 8);
    view.setUint32(4, Math.min(limit, view.getUint32(4)));
  }
  return out;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  chunks.splice(0, chunks.length, out);
  return out;
}

/**
 * Reads an IDX file, gunzipping it when it starts with the gzip magic (Node.js only); with
 * `{ limit }`, only the first `limit` items.
 *
 * @example
 * ```ts
 * import { readIdxFile } from '@snnts/datasets';
 * const labels = await readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz').catch(() => null);
 * const first = await readIdxFile('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz', { limit: 256 }).catch(() => null); // shape [256, 28, 28]
 * ```
 */
export async function readIdxFile(path: string, options: ReadIdxOptions = {}): Promise<IdxArray> {
  const fs = await nodeImport<{ readFile(p: string): Promise<Uint8Array>; open(p: string): Promise<{ read(b: Uint8Array, o: number, n: number, p: number): Promise<{ bytesRead: number }>; close(): Promise<void> }> }>('node:fs/promises');
  const { limit } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new ConfigError('readIdxFile', 'options.limit', 'a positive integer (items to read)', String(limit));
  }
  let bytes: Uint8Array;
  try {
    if (limit === undefined) {
      bytes = new Uint8Array(await fs.readFile(path));
    } else {
      const fh = await fs.open(path);
      const magic = new Uint8Array(2);
      try {
        await fh.read(magic, 0, 2, 0);
      } finally {
        await fh.close();
      }
      bytes = await readIdxPrefix(path, limit, magic[0] === 0x1f && magic[1] === 0x8b);
    }
  } catch (e) {
    throw new ConfigError('readIdxFile', 'path', 'a readable IDX file', `'${path}' (${(e as Error).message.split('\n')[0]})`);
  }
  if (limit === undefined && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const zlib = await nodeImport<{ gunzipSync(b: Uint8Array): Uint8Array }>('node:zlib');
    bytes = new Uint8Array(zlib.gunzipSync(bytes));
  }
  return parseIdx(bytes);
}

/**
 * Builds an {@link ImageSet} from an IDX image array `[N, H, W]` (uint8, scaled by 1/255) and an
 * IDX label array `[N]`.
 *
 * @example
 * ```ts
 * import { imageSetFromIdx, parseIdx } from '@snnts/datasets';
 * const images = parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 255]));
 * const labels = parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]));
 * const set = imageSetFromIdx(images, labels); // one 1x1 image with value 1, label 7
 * ```
 */
export function imageSetFromIdx(images: IdxArray, labels: IdxArray): ImageSet {
  const fn = 'imageSetFromIdx';
  if (images.shape.length !== 3) throw new ShapeError(fn, 'images', 'an IDX array of rank 3 [N, H, W]', `rank ${images.shape.length}`);
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new ShapeError(fn, 'labels', `an IDX array of shape [${images.shape[0]}]`, `shape [${labels.shape.join(', ')}]`);
  }
  const [, h, w] = images.shape as [number, number, number];
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
  return new ImageSet(x, Int32Array.from(labels.data as ArrayLike<number>), [1, h, w]);
}

/** The train and test splits of an MNIST-format dataset. */
export interface MnistFormatSplits {
  train: ImageSet;
  test: ImageSet;
}

/**
 * Loads the four MNIST-format IDX files of `dir` (Fashion-MNIST by default, from Debian's
 * `dataset-fashion-mnist`). Throws a `ConfigError` saying how to install the files when they are
 * missing.
 *
 * @example
 * ```ts
 * import { loadMnistFormat } from '@snnts/datasets';
 * const data = await loadMnistFormat().catch((e) => { console.log(e.message); return null; });
 * ```
 */
export async function loadMnistFormat(dir: string = DEBIAN_FASHION_MNIST_DIR): Promise<MnistFormatSplits> {
  const fs = await nodeImport<{ existsSync(p: string): boolean }>('node:fs');
  const file = (name: string) => `${dir}/${name}`;
  const names = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
  const missing = names.filter((n) => !fs.existsSync(file(n)));
  if (missing.length) {
    throw new ConfigError(
      'loadMnistFormat',
      'dir',
      `a directory with ${names.join(', ')}`,
      `'${dir}' without ${missing.join(', ')}`,
      dir === DEBIAN_FASHION_MNIST_DIR ? 'Install Fashion-MNIST with: sudo apt-get install -y dataset-fashion-mnist' : undefined,
    );
  }
  const [trImg, trLab, teImg, teLab] = await Promise.all(names.map((n) => readIdxFile(file(n))));
  return { train: imageSetFromIdx(trImg!, trLab!), test: imageSetFromIdx(teImg!, teLab!) };
}
