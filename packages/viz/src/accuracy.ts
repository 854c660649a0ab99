/**
 * Accuracy vs simulation length T: how the accuracy of a (converted or trained) SNN grows with the
 * number of time steps, as lines with points, with the source ANN's accuracy as a reference line.
 */
import { ConfigError } from '@snnts/core';
import { checkFinite } from './input.js';
import { checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, renderSvg, specHeader, type PlotOptions, type VegaLiteSpec } from './render.js';

/** One point of {@link accuracyVsT}: the accuracy reached with `T` time steps. */
export interface AccuracyAtT {
  /** Number of simulation time steps. */
  T: number;
  /** Accuracy reached with `T` steps. */
  accuracy: number;
  /** Which curve the point belongs to (e.g. a normalisation mode); one colour per series. */
  series?: string;
}

/** Options of {@link accuracyVsT} and {@link accuracyVsTSpec}. */
export interface AccuracyVsTOptions extends PlotOptions {
  /** The ANN's accuracy, drawn as a dashed horizontal reference line with its value. */
  annAccuracy?: number;
  /** Put T on a log2 scale (for sweeps such as 8, 16, 32, ...). Default false. */
  logT?: boolean;
}

/** The checked rows, and whether any has a series. */
function checkRows(rows: AccuracyAtT[], fn: string, logT: boolean): { values: AccuracyAtT[]; hasSeries: boolean } {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new ConfigError(fn, 'rows', 'a non-empty array of {T, accuracy, series?}', Array.isArray(rows) ? 'an empty array' : String(rows));
  }
  let hasSeries = false;
  const values = rows.map((r, i) => {
    if (r === null || typeof r !== 'object') throw new ConfigError(fn, `rows[${i}]`, 'an object {T, accuracy, series?}', String(r));
    checkFinite(r.T, fn, `rows[${i}].T`);
    if (logT && r.T <= 0) throw new ConfigError(fn, `rows[${i}].T`, 'T > 0 with logT', String(r.T));
    checkFinite(r.accuracy, fn, `rows[${i}].accuracy`);
    if (r.series !== undefined && typeof r.series !== 'string') throw new ConfigError(fn, `rows[${i}].series`, 'a string', typeof r.series);
    hasSeries ||= r.series !== undefined;
    return { T: r.T, accuracy: r.accuracy, series: r.series ?? 'SNN' };
  });
  return { values, hasSeries };
}

/**
 * Builds the Vega-Lite spec of an accuracy-vs-T plot: a line with points per series and, with
 * `annAccuracy`, a dashed reference line labelled with the ANN's accuracy.
 *
 * @example
 * ```ts
 * import { accuracyVsTSpec, renderSvg } from '@snnts/viz';
 * const spec = accuracyVsTSpec([{ T: 4, accuracy: 0.7 }, { T: 8, accuracy: 0.9 }], { annAccuracy: 0.95 });
 * const svg = await renderSvg(spec);
 * ```
 */
export function accuracyVsTSpec(rows: AccuracyAtT[], options: AccuracyVsTOptions = {}): VegaLiteSpec {
  const fn = 'accuracyVsT';
  const { values, hasSeries } = checkRows(rows, fn, options.logT === true);
  if (options.annAccuracy !== undefined) checkFinite(options.annAccuracy, fn, 'options.annAccuracy');
  checkSize(options.width, fn, 'options.width');
  checkSize(options.height, fn, 'options.height');
  const width = options.width ?? DEFAULT_WIDTH;
  const scaleT = options.logT ? { type: 'log', base: 2 } : { zero: false, nice: false };
  const ts = [...new Set(values.map((r) => r.T))].sort((a, b) => a - b);
  // Few distinct T (the usual sweep 1, 2, 4, ...): label exactly those on the axis.
  const axis = ts.length <= 12 ? { values: ts } : {};
  const x = { field: 'T', type: 'quantitative', title: 'time steps T', scale: scaleT, axis };
  const y = { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { zero: false } } as const;
  const line = { type: 'line', point: { filled: true, size: 40 }, ...(hasSeries ? {} : { color: '#4c78a8' }) };
  const layer: object[] = [
    { data: { values }, mark: line, encoding: { x, y, ...(hasSeries ? { color: { field: 'series', type: 'nominal', title: null } } : {}) } },
  ];
  if (options.annAccuracy !== undefined) {
    const ref = { data: { values: [{ accuracy: options.annAccuracy }] } };
    layer.push({ ...ref, mark: { type: 'rule', strokeDash: [6, 4], color: '#888', strokeWidth: 1.5 }, encoding: { y } });
    layer.push({
      ...ref,
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#555', fontSize: 11 },
      encoding: { y, x: { value: width - 4 }, text: { value: `ANN ${options.annAccuracy}` } },
    });
  }
  return { ...specHeader(options.title ?? 'Accuracy vs time steps'), width, height: options.height ?? DEFAULT_HEIGHT, layer } as VegaLiteSpec;
}

/**
 * Renders accuracy against the number of time steps T (SVG string): lines with points, one colour
 * per `series`, and the ANN's accuracy as a dashed reference line when `annAccuracy` is given.
 * Throws a ConfigError for no rows or non-finite values.
 *
 * @example
 * ```ts
 * import { accuracyVsT } from '@snnts/viz';
 * const svg = await accuracyVsT(
 *   [
 *     { T: 8, accuracy: 0.62, series: 'max' }, { T: 32, accuracy: 0.91, series: 'max' },
 *     { T: 8, accuracy: 0.81, series: '99.9%' }, { T: 32, accuracy: 0.96, series: '99.9%' },
 *   ],
 *   { annAccuracy: 0.975, logT: true },
 * );
 * ```
 */
export async function accuracyVsT(rows: AccuracyAtT[], options: AccuracyVsTOptions = {}): Promise<string> {
  return renderSvg(accuracyVsTSpec(rows, options));
}
