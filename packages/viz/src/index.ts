/**
 * @snnts/viz: the plots SNN users look at (spike raster, membrane traces, firing rate per layer,
 * training curves, accuracy vs T), rendered headlessly to SVG with Vega-Lite in Node.js and in
 * browsers; PNG through the optional peer `@resvg/resvg-js`. Each plot also exports its Vega-Lite
 * spec builder (`...Spec`) so it can be customised and rendered with `renderSvg`.
 *
 * @packageDocumentation
 */
export { renderSvg } from './render.js';
export type { PlotOptions, VegaLiteSpec } from './render.js';
export type { MatrixLike } from './input.js';
export * from './raster.js';
export * from './membrane.js';
export * from './rates.js';
export * from './training.js';
export * from './accuracy.js';
export * from './save.js';
