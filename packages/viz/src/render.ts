/**
 * The one rendering path of the package: a Vega-Lite spec is compiled to Vega and drawn by a
 * headless `vega.View` (`renderer: 'none'`) to an SVG string. It needs no DOM and no canvas, so it
 * runs the same in Node.js, in a worker and in a browser. Also the options every plot shares.
 */
import { ConfigError } from '@snnts/core';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite specification (the JSON grammar of https://vega.github.io/vega-lite/), as every
 * `...Spec` builder of this package returns it and {@link renderSvg} takes it.
 */
export type VegaLiteSpec = TopLevelSpec;

/** Options every plot takes: its title and the size of its plotting area in pixels. */
export interface PlotOptions {
  /** The title drawn above the plot. Each plot has its own default. */
  title?: string;
  /** Width of the plotting area in pixels (axes and legend come on top). Default 480. */
  width?: number;
  /**
   * Height of the plotting area in pixels (per panel for stacked plots). Default 240; the raster
   * grows up to 480 for many neurons, and each training-curve panel is 180.
   */
  height?: number;
}

/** The default width of a plotting area, in pixels. @internal */
export const DEFAULT_WIDTH = 480;
/** The default height of a plotting area, in pixels. @internal */
export const DEFAULT_HEIGHT = 240;

/** Axis options for integer quantities (time steps, neuron indices, epochs): integer ticks only. @internal */
export const INTEGER_AXIS = { tickMinStep: 1, format: 'd' } as const;

/** The parts every spec of this package starts from: schema, white background, title. @internal */
export function specHeader(title: string): { $schema: string; background: string; title: string; config: object } {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    title,
    config: { view: { stroke: '#ddd' }, axis: { gridColor: '#eee' } },
  };
}

/** Throws a ConfigError unless `v` is a positive finite size (or undefined). @internal */
export function checkSize(v: number | undefined, fn: string, arg: string): void {
  if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ConfigError(fn, arg, 'a positive number of pixels', String(v));
}

/**
 * Renders a Vega-Lite spec to an SVG string, headlessly (no DOM, no canvas needed). Every plot of
 * this package goes through it; use it directly to render a spec you built or changed yourself.
 * A spec Vega-Lite cannot compile throws a ConfigError.
 *
 * @example
 * ```ts
 * import { renderSvg } from '@snnts/viz';
 * const svg = await renderSvg({
 *   data: { values: [{ t: 0, v: 0.2 }, { t: 1, v: 0.7 }, { t: 2, v: 0.1 }] },
 *   mark: 'line',
 *   encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } },
 * });
 * console.log(svg.startsWith('<svg')); // true
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object') {
    throw new ConfigError('renderSvg', 'spec', 'a Vega-Lite spec object', spec === null ? 'null' : typeof spec);
  }
  let vegaSpec;
  try {
    vegaSpec = compile(spec).spec;
  } catch (e) {
    throw new ConfigError('renderSvg', 'spec', 'a valid Vega-Lite spec', `one Vega-Lite rejects (${(e as Error).message})`);
  }
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
