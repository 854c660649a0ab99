/**
 * Membrane traces: the membrane potential `V[t]` of a few neurons as lines, with the firing
 * threshold as a dashed rule and (optionally) each spike marked on the threshold line.
 */
import { ConfigError, ShapeError } from '@snnts/core';
import { checkBinary, checkFinite, toMatrix, type Matrix, type MatrixLike } from './input.js';
import { checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, INTEGER_AXIS, renderSvg, specHeader, type PlotOptions, type VegaLiteSpec } from './render.js';

/**
 * How many neurons {@link membraneTraces} draws when `neurons` is not given (the first ones).
 *
 * @example
 * ```ts
 * import { DEFAULT_TRACE_COUNT } from '@snnts/viz';
 * console.log(DEFAULT_TRACE_COUNT); // 8
 * ```
 */
export const DEFAULT_TRACE_COUNT = 8;

/** Options of {@link membraneTraces} and {@link membraneTracesSpec}. */
export interface MembraneTracesOptions extends PlotOptions {
  /**
   * The firing threshold, drawn as a dashed horizontal rule with its value as a label. Default 1
   * (spikingjelly's `v_threshold`); `null` draws no rule.
   */
  vThreshold?: number | null;
  /** Spikes `[T, nNeurons]` (0/1, same shape as `v`): each is marked by a point on the threshold line. */
  spikes?: MatrixLike;
  /** Indices of the neurons (columns of `v`) to draw. Default: the first {@link DEFAULT_TRACE_COUNT}. */
  neurons?: number[];
}

/** The neuron indices to draw: checked `options.neurons`, or the first few. */
function pickNeurons(v: Matrix, neurons: number[] | undefined, fn: string): number[] {
  if (neurons === undefined) return Array.from({ length: Math.min(v.cols, DEFAULT_TRACE_COUNT) }, (_, i) => i);
  if (!Array.isArray(neurons) || neurons.length === 0) {
    throw new ConfigError(fn, 'options.neurons', 'a non-empty array of neuron indices', Array.isArray(neurons) ? '[]' : typeof neurons);
  }
  for (const n of neurons) {
    if (!Number.isInteger(n) || n < 0 || n >= v.cols) {
      throw new ConfigError(fn, 'options.neurons', `integer indices in [0, ${v.cols - 1}] (v has ${v.cols} neurons)`, String(n));
    }
  }
  return [...new Set(neurons)];
}

/**
 * Builds the Vega-Lite spec of membrane traces from potentials `v` `[T, nNeurons]` (plain 2-D array
 * or rank-2 tensor): a layered spec of one line per neuron, the threshold rule and its label, and
 * spike points when `spikes` is given. Change it and render it with {@link renderSvg}.
 *
 * @example
 * ```ts
 * import { membraneTracesSpec } from '@snnts/viz';
 * const spec = membraneTracesSpec([[0.2, 0.1], [0.6, 0.3], [0, 0.5]], { vThreshold: 0.5 });
 * console.log(JSON.stringify(spec).includes('strokeDash')); // true
 * ```
 */
export function membraneTracesSpec(v: MatrixLike, options: MembraneTracesOptions = {}): VegaLiteSpec {
  const fn = 'membraneTraces';
  const m = toMatrix(v, fn, 'v');
  const vth = options.vThreshold === undefined ? 1 : options.vThreshold;
  if (vth !== null) checkFinite(vth, fn, 'options.vThreshold');
  checkSize(options.width, fn, 'options.width');
  checkSize(options.height, fn, 'options.height');
  const neurons = pickNeurons(m, options.neurons, fn);
  const label = (n: number) => `neuron ${n}`;

  const lines: { t: number; neuron: string; v: number }[] = [];
  let vMax = -Infinity;
  for (const n of neurons) {
    for (let t = 0; t < m.rows; t++) {
      const value = m.data[t * m.cols + n]!;
      lines.push({ t, neuron: label(n), v: value });
      if (Number.isFinite(value)) vMax = Math.max(vMax, value);
    }
  }

  const points: { t: number; neuron: string; v: number }[] = [];
  if (options.spikes !== undefined) {
    const s = toMatrix(options.spikes, fn, 'options.spikes');
    if (s.rows !== m.rows || s.cols !== m.cols) {
      throw new ShapeError(fn, 'options.spikes', `shape [${m.rows}, ${m.cols}] to match 'v'`, `shape [${s.rows}, ${s.cols}]`);
    }
    checkBinary(s, fn, 'options.spikes');
    const y = vth ?? (Number.isFinite(vMax) ? vMax : 0);
    for (const n of neurons) for (let t = 0; t < s.rows; t++) if (s.data[t * s.cols + n] === 1) points.push({ t, neuron: label(n), v: y });
  }

  const width = options.width ?? DEFAULT_WIDTH;
  const color = { field: 'neuron', type: 'nominal', title: null, sort: neurons.map(label) } as const;
  const x = { field: 't', type: 'quantitative', title: 'time step t', scale: { nice: false }, axis: INTEGER_AXIS } as const;
  const y = { field: 'v', type: 'quantitative', title: 'membrane potential V', scale: { zero: false } } as const;
  const layer: object[] = [{ data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } }];
  if (vth !== null) {
    const rule = { data: { values: [{ v: vth }] }, encoding: { y } };
    layer.push({ ...rule, mark: { type: 'rule', strokeDash: [6, 4], color: '#c00', strokeWidth: 1.5 } });
    layer.push({
      ...rule,
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#c00', fontSize: 11 },
      encoding: { y, x: { value: width - 4 }, text: { value: `V_th = ${vth}` } },
    });
  }
  if (points.length > 0) {
    layer.push({ data: { values: points }, mark: { type: 'point', filled: true, shape: 'triangle-down', size: 40 }, encoding: { x, y, color } });
  }
  return { ...specHeader(options.title ?? 'Membrane potential'), width, height: options.height ?? DEFAULT_HEIGHT, layer } as VegaLiteSpec;
}

/**
 * Renders membrane traces to an SVG string: one line per neuron of `v` `[T, nNeurons]`, a dashed
 * rule at `vThreshold` labelled with its value, and spike markers when `spikes` is given. Throws a
 * ShapeError for a `v` that is not a non-empty 2-D matrix or `spikes` of another shape, and a
 * ConfigError for bad options (out-of-range `neurons`, a non-finite threshold).
 *
 * @example
 * ```ts
 * import { membraneTraces } from '@snnts/viz';
 * // An IF neuron (threshold 1, hard reset to 0) driven by a constant input of 0.4.
 * const v: number[][] = [];
 * const spikes: number[][] = [];
 * let u = 0;
 * for (let t = 0; t < 20; t++) {
 *   u += 0.4;
 *   const s = u >= 1 ? 1 : 0;
 *   u = s ? 0 : u;
 *   v.push([u]);
 *   spikes.push([s]);
 * }
 * const svg = await membraneTraces(v, { vThreshold: 1, spikes, title: 'IF neuron' });
 * ```
 */
export async function membraneTraces(v: MatrixLike, options: MembraneTracesOptions = {}): Promise<string> {
  return renderSvg(membraneTracesSpec(v, options));
}
