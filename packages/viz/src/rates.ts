/**
 * Firing-rate bars: the mean firing rate of each layer (spikes per neuron per time step) as a bar
 * chart, in the order the layers were given, to spot silent or saturated layers.
 */
import { ConfigError } from '@snnts/core';
import { checkFinite } from './input.js';
import { checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, renderSvg, specHeader, type PlotOptions, type VegaLiteSpec } from './render.js';

/** One bar of {@link firingRateBars}: a layer's name and its firing rate. */
export interface LayerRate {
  /** The layer's name, shown on the x axis. */
  layer: string;
  /** Its firing rate, usually in [0, 1] (spikes per neuron per step). */
  rate: number;
}

/** Options of {@link firingRateBars} and {@link firingRateBarsSpec}. */
export type FiringRateBarsOptions = PlotOptions;

/** The rates as checked `{layer, rate}` rows, in the given order. */
function toRows(rates: LayerRate[] | Record<string, number>, fn: string): LayerRate[] {
  if (rates === null || typeof rates !== 'object') {
    throw new ConfigError(fn, 'rates', 'an array of {layer, rate} or a record of layer -> rate', rates === null ? 'null' : typeof rates);
  }
  const rows = Array.isArray(rates) ? rates : Object.entries(rates).map(([layer, rate]) => ({ layer, rate }));
  if (rows.length === 0) throw new ConfigError(fn, 'rates', 'at least one layer', Array.isArray(rates) ? 'an empty array' : 'an empty record');
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || typeof r.layer !== 'string') {
      throw new ConfigError(fn, `rates[${i}].layer`, 'a string', r === null || typeof r !== 'object' ? String(r) : typeof r.layer);
    }
    checkFinite(r.rate, fn, `rates[${i}].rate`);
    if (seen.has(r.layer)) throw new ConfigError(fn, `rates[${i}].layer`, 'a layer name not used before', `'${r.layer}' twice`);
    seen.add(r.layer);
  });
  return rows.map(({ layer, rate }) => ({ layer, rate }));
}

/**
 * Builds the Vega-Lite spec of a firing-rate bar chart from `[{layer, rate}]` or
 * `{layerName: rate}`: one bar per layer in the given order, with its value printed above it.
 *
 * @example
 * ```ts
 * import { firingRateBarsSpec, renderSvg } from '@snnts/viz';
 * const spec = firingRateBarsSpec({ 'lif1': 0.12, 'lif2': 0.05 }, { title: 'Rates' });
 * const svg = await renderSvg(spec);
 * ```
 */
export function firingRateBarsSpec(rates: LayerRate[] | Record<string, number>, options: FiringRateBarsOptions = {}): VegaLiteSpec {
  const fn = 'firingRateBars';
  const values = toRows(rates, fn);
  checkSize(options.width, fn, 'options.width');
  checkSize(options.height, fn, 'options.height');
  const x = { field: 'layer', type: 'nominal', sort: null, title: 'layer', axis: { labelAngle: 0 } } as const;
  const y = { field: 'rate', type: 'quantitative', title: 'firing rate (spikes / neuron / step)' } as const;
  return {
    ...specHeader(options.title ?? 'Firing rate per layer'),
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values },
    encoding: { x, y },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: 11 }, encoding: { text: { field: 'rate', type: 'quantitative', format: '.3~g' } } },
    ],
  };
}

/**
 * Renders the firing rate of each layer as a bar chart (SVG string). Takes `[{layer, rate}]` or a
 * record `{layerName: rate}` (kept in insertion order). Throws a ConfigError for no layers, a
 * non-finite rate or a repeated layer name.
 *
 * @example
 * ```ts
 * import { firingRateBars } from '@snnts/viz';
 * const svg = await firingRateBars([
 *   { layer: 'conv1.lif', rate: 0.21 },
 *   { layer: 'conv2.lif', rate: 0.08 },
 *   { layer: 'fc.lif', rate: 0.03 },
 * ]);
 * ```
 */
export async function firingRateBars(rates: LayerRate[] | Record<string, number>, options: FiringRateBarsOptions = {}): Promise<string> {
  return renderSvg(firingRateBarsSpec(rates, options));
}
