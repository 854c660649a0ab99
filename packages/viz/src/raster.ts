/**
 * Spike raster: one tick mark per spike at (time step, neuron index), the standard picture of a
 * spiking layer's activity over time.
 */
import { checkBinary, checkPositiveInt, toMatrix, type MatrixLike } from './input.js';
import { checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, INTEGER_AXIS, renderSvg, specHeader, type PlotOptions, type VegaLiteSpec } from './render.js';

/** Options of {@link spikeRaster} and {@link spikeRasterSpec}. */
export interface SpikeRasterOptions extends PlotOptions {
  /** Plot only the first `maxNeurons` neurons (columns). Default: all of them. */
  maxNeurons?: number;
}

/**
 * Builds the Vega-Lite spec of a spike raster from spikes `[T, nNeurons]` of 0/1 (a plain 2-D
 * array or a rank-2 tensor): one vertical tick per spike at `(t, neuron)`. Change the returned
 * spec and render it with {@link renderSvg} to customise the plot.
 *
 * @example
 * ```ts
 * import { spikeRasterSpec, renderSvg } from '@snnts/viz';
 * const spec = spikeRasterSpec([[1, 0], [0, 1], [1, 1]], { title: 'Hidden layer' });
 * const svg = await renderSvg({ ...spec, background: '#fafafa' });
 * ```
 */
export function spikeRasterSpec(spikes: MatrixLike, options: SpikeRasterOptions = {}): VegaLiteSpec {
  const fn = 'spikeRaster';
  const m = toMatrix(spikes, fn, 'spikes');
  checkBinary(m, fn, 'spikes');
  checkPositiveInt(options.maxNeurons, fn, 'options.maxNeurons');
  checkSize(options.width, fn, 'options.width');
  checkSize(options.height, fn, 'options.height');
  const shown = Math.min(m.cols, options.maxNeurons ?? m.cols);
  const values: { t: number; neuron: number }[] = [];
  for (let t = 0; t < m.rows; t++) {
    for (let n = 0; n < shown; n++) if (m.data[t * m.cols + n] === 1) values.push({ t, neuron: n });
  }
  const width = options.width ?? DEFAULT_WIDTH;
  // Many neurons get a taller plot (up to 480 px) so each keeps about 2 px.
  const height = options.height ?? Math.min(480, Math.max(DEFAULT_HEIGHT, 2 * shown));
  const of = shown < m.cols ? ` (first ${shown} of ${m.cols})` : '';
  return {
    ...specHeader(options.title ?? 'Spike raster'),
    width,
    height,
    data: { values },
    mark: {
      type: 'tick',
      orient: 'vertical',
      thickness: Math.max(1, Math.min(2, (0.5 * width) / m.rows)),
      size: Math.max(1, Math.min(12, (0.8 * height) / shown)),
      color: '#222',
      opacity: 1,
      // No per-tick aria-label: it would triple the size of a raster of thousands of spikes.
      aria: false,
    },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'time step t', scale: { domain: [-0.5, m.rows - 0.5], nice: false }, axis: INTEGER_AXIS },
      y: { field: 'neuron', type: 'quantitative', title: `neuron${of}`, scale: { domain: [-0.5, shown - 0.5], nice: false }, axis: INTEGER_AXIS },
    },
  };
}

/**
 * Renders a spike raster of spikes `[T, nNeurons]` (0/1, plain 2-D array or rank-2 tensor) to an
 * SVG string: one tick per spike at `(t, neuron)`. Throws a ShapeError for input that is not a
 * non-empty 2-D matrix and a ConfigError for values other than 0 and 1.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { spikeRaster } from '@snnts/viz';
 * const spikes = tf.tidy(() => tf.randomUniform([50, 20]).less(0.1).toFloat());
 * const svg = await spikeRaster(spikes, { title: 'LIF layer', maxNeurons: 10 });
 * spikes.dispose();
 * ```
 */
export async function spikeRaster(spikes: MatrixLike, options: SpikeRasterOptions = {}): Promise<string> {
  return renderSvg(spikeRasterSpec(spikes, options));
}
