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

/**
 * Reads an IDX file, gunzipping it when it starts with the gzip magic (Node.js only).
 *
 * @example
 * ```ts
 * import { readIdxFile } from '@snnts/datasets';
 * const labels = await readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz').catch(() => null);
 * ```
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  const fs = await nodeImport<{ readFile(p: string): Promise<Uint8Array> }>('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (e) {
    throw new ConfigError('readIdxFile', 'path', 'a readable IDX file', `'${path}' (${(e as Error).message.split('\n')[0]})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
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
