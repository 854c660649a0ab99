/**
 * Output beyond the SVG string: PNG rasterisation through the optional peer `@resvg/resvg-js`, and
 * writing SVG / PNG files (Node.js). Both are imported lazily through a computed specifier, so
 * importing `@snnts/viz` stays browser-safe and works without resvg installed.
 */
import { ConfigError } from '@snnts/core';

/** Options of {@link svgToPng} and {@link savePng}. */
export interface PngOptions {
  /** Zoom factor from SVG pixels to PNG pixels. Default 2 (crisp on high-DPI screens). */
  scale?: number;
}

/** The part of `@resvg/resvg-js` used here. */
interface ResvgModule {
  Resvg: new (
    svg: string,
    options?: { fitTo?: { mode: 'zoom'; value: number }; font?: { loadSystemFonts?: boolean; defaultFontFamily?: string } },
  ) => { render(): { asPng(): Uint8Array } };
}

/** The part of `node:fs/promises` used here. */
interface FsPromises {
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

/** Imports `spec` at run time (the specifier is computed so bundlers leave it alone). */
async function lazyImport<T>(spec: string, fn: string, needs: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ spec)) as T;
  } catch (e) {
    throw new ConfigError(fn, 'environment', needs, `'${spec}' could not be imported (${(e as Error).message.split('\n')[0]})`);
  }
}

/** The specifiers, kept in variables so no bundler tries to include them. */
const RESVG = '@resvg/resvg-js';
const FS = 'node:fs/promises';

/**
 * Rasterises an SVG string (e.g. from {@link spikeRaster}) to PNG bytes with `@resvg/resvg-js`,
 * an optional peer dependency (Node.js; install it with `npm install @resvg/resvg-js`). Throws a
 * ConfigError saying so when it is not installed.
 *
 * @example
 * ```ts
 * import { firingRateBars, svgToPng } from '@snnts/viz';
 * const svg = await firingRateBars({ lif1: 0.1, lif2: 0.04 });
 * const png = await svgToPng(svg, { scale: 1 }).catch(() => null); // null without @resvg/resvg-js
 * console.log(png?.subarray(1, 4)); // the bytes of 'PNG'
 * ```
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const fn = 'svgToPng';
  if (typeof svg !== 'string' || !svg.trimStart().startsWith('<svg')) {
    throw new ConfigError(fn, 'svg', "an SVG string starting with '<svg'", typeof svg === 'string' ? `'${svg.slice(0, 20)}...'` : typeof svg);
  }
  const scale = options.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0)) throw new ConfigError(fn, 'options.scale', 'a positive number', String(scale));
  const { Resvg } = await lazyImport<ResvgModule>(RESVG, fn, "the optional peer dependency '@resvg/resvg-js' (npm install @resvg/resvg-js; Node.js only)");
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** Writes `data` to `path` with node:fs, turning a failure into a ConfigError. */
async function writeFile(fn: string, path: string, data: string | Uint8Array): Promise<void> {
  const fs = await lazyImport<FsPromises>(FS, fn, 'Node.js (node:fs/promises) to write files');
  try {
    await fs.writeFile(path, data);
  } catch (e) {
    throw new ConfigError(fn, 'path', 'a writable file path', `'${path}' (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * Writes an SVG string to a file (Node.js only; `node:fs` is imported lazily).
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { saveSvg, spikeRaster } from '@snnts/viz';
 * await saveSvg(join(tmpdir(), 'raster.svg'), await spikeRaster([[1, 0], [0, 1]]));
 * ```
 */
export async function saveSvg(path: string, svg: string): Promise<void> {
  if (typeof svg !== 'string') throw new ConfigError('saveSvg', 'svg', 'an SVG string', typeof svg);
  await writeFile('saveSvg', path, svg);
}

/**
 * Rasterises an SVG string with {@link svgToPng} and writes the PNG to a file (Node.js only;
 * needs the optional peer `@resvg/resvg-js`, else throws a ConfigError that says so).
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { savePng, trainingCurves } from '@snnts/viz';
 * const svg = await trainingCurves([{ step: 0, loss: 2.3 }, { step: 100, loss: 0.4 }]);
 * await savePng(join(tmpdir(), 'loss.png'), svg).catch((e) => console.log(e.message));
 * ```
 */
export async function savePng(path: string, svg: string, options: PngOptions = {}): Promise<void> {
  await writeFile('savePng', path, await svgToPng(svg, options));
}
