/**
 * A hand-written SVG spike raster: neurons on the y axis, time steps on the x axis, one `<rect>`
 * per spike, stacked in one panel per layer, plus an optional panel of membrane-potential traces.
 * Takes plain number arrays so it does not depend on tfjs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One raster panel (typically one layer). */
export interface RasterPanel {
  /** Spikes, `[T][neurons]`; any value > 0 counts as a spike. */
  spikes: number[][];
  /** Panel heading, e.g. `hidden layer (256 LIF)`. */
  title?: string;
  /** y-axis label (default `neuron`). */
  neuronLabel?: string;
  /** Row names (e.g. the digit of each output neuron); default: the row indices as ticks. */
  names?: string[];
}

/** Membrane traces drawn under the rasters. */
export interface MembranePanel {
  /** Potentials, `[T][neurons]`. */
  v: number[][];
  /** Which neurons (columns of `v`) to draw; default all, up to 10. */
  neurons?: number[];
  /** Firing threshold, drawn as a dashed line. */
  threshold?: number;
  /** Legend name of trace `i` (default `#<neuron>`). */
  names?: string[];
  /** Panel heading (default `membrane potential`). */
  title?: string;
}

/** Options of {@link spikeRasterSvg}: give `spikes` for a single raster, or `panels` for several. */
export interface RasterOptions {
  spikes?: number[][];
  panels?: RasterPanel[];
  /** Figure title. */
  title?: string;
  /** x-axis label (default `time step`). */
  timeLabel?: string;
  /** y-axis label of the `spikes` shorthand (default `neuron`). */
  neuronLabel?: string;
  membrane?: MembranePanel;
  /** Total width in pixels (default 720). */
  width?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const FONT = 'font-family="sans-serif"';
const LEFT = 72;
const RIGHT = 84;
const PANEL_GAP = 64;

/** Escapes text for use in SVG content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const f = (x: number) => (Math.round(x * 100) / 100).toString();

/** Up to about `max` integer ticks in [0, n-1] at a round spacing (1, 2 or 5 times a power of 10), always including both ends. */
export function ticks(n: number, max = 8): number[] {
  if (n <= 1) return [0];
  const raw = Math.max(1, (n - 1) / (max - 1));
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  if (out.length > 1 && 2 * (n - 1 - out[out.length - 1]!) <= step) out.pop();
  out.push(n - 1);
  return out;
}

/** The number of spikes (entries > 0) in `spikes`. */
export function countSpikes(spikes: number[][]): number {
  let c = 0;
  for (const row of spikes) for (const s of row) if (s > 0) c++;
  return c;
}

function checkSpikes(spikes: number[][], arg: string, T: number | undefined): number {
  const n = spikes.length > 0 ? spikes[0]!.length : 0;
  if (spikes.length === 0 || n === 0) throw new Error(`spikeRasterSvg: '${arg}' must be a non-empty [T][neurons] array, but got [${spikes.length}][${n}].`);
  if (T !== undefined && spikes.length !== T) throw new Error(`spikeRasterSvg: '${arg}' must have ${T} time steps like the first panel, but got ${spikes.length}.`);
  spikes.forEach((row, t) => {
    if (row.length !== n) throw new Error(`spikeRasterSvg: '${arg}[${t}]' must have ${n} neurons like ${arg}[0], but got ${row.length}.`);
  });
  return n;
}

/** Height of a raster panel: 2 px per neuron between 120 and 520 px, at least 16 px per named row. */
function panelHeight(n: number, named: boolean): number {
  return named ? Math.max(16 * n, 60) : Math.min(520, Math.max(120, 2 * n));
}

/**
 * Renders spike rasters (and optional membrane traces) as a standalone SVG document.
 *
 * @example
 * ```ts
 * const svg = spikeRasterSvg({ spikes: [[1, 0], [0, 1]], title: 'two neurons' });
 * ```
 */
export function spikeRasterSvg(options: RasterOptions): string {
  const { title = 'spike raster', timeLabel = 'time step', membrane, width = 720 } = options;
  const panels = options.panels ?? (options.spikes ? [{ spikes: options.spikes, neuronLabel: options.neuronLabel ?? 'neuron' }] : []);
  if (panels.length === 0) throw new Error(`spikeRasterSvg: give 'spikes' or a non-empty 'panels', but got neither.`);
  const T = panels[0]!.spikes.length;
  panels.forEach((p, k) => checkSpikes(p.spikes, options.panels ? `panels[${k}].spikes` : 'spikes', k === 0 ? undefined : T));
  if (membrane && membrane.v.length !== T) {
    throw new Error(`spikeRasterSvg: 'membrane.v' must have ${T} time steps like the spikes, but got ${membrane.v.length}.`);
  }

  const plotW = width - LEFT - RIGHT;
  const cellW = plotW / T;
  const body: string[] = [];
  let y = 56;
  for (const p of panels) {
    const h = panelHeight(p.spikes[0]!.length, p.names !== undefined);
    body.push(rasterPanelSvg(p, y, plotW, h, cellW, timeLabel));
    y += h + PANEL_GAP;
  }
  if (membrane) {
    const h = 180;
    body.push(membraneSvg(membrane, T, y, plotW, h, cellW, timeLabel));
    y += h + PANEL_GAP;
  }
  const height = y - PANEL_GAP + 48;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    `<text x="${f(width / 2)}" y="24" text-anchor="middle" font-size="16" ${FONT}>${escapeXml(title)}</text>`,
    ...body,
    `</svg>`,
    '',
  ].join('\n');
}

function timeAxis(T: number, bottom: number, plotW: number, cellW: number, timeLabel: string): string[] {
  const out: string[] = [];
  for (const t of ticks(T, 16)) {
    const x = LEFT + (t + 0.5) * cellW;
    out.push(`<line x1="${f(x)}" y1="${f(bottom)}" x2="${f(x)}" y2="${f(bottom + 4)}" stroke="#333"/>`);
    out.push(`<text x="${f(x)}" y="${f(bottom + 16)}" text-anchor="middle" font-size="11" ${FONT}>${t}</text>`);
  }
  out.push(`<text x="${f(LEFT + plotW / 2)}" y="${f(bottom + 34)}" text-anchor="middle" font-size="13" ${FONT}>${escapeXml(timeLabel)}</text>`);
  return out;
}

function rasterPanelSvg(p: RasterPanel, top: number, plotW: number, h: number, cellW: number, timeLabel: string): string {
  const { spikes, names } = p;
  const T = spikes.length;
  const n = spikes[0]!.length;
  const cellH = h / n;
  const out: string[] = [`<g class="raster">`];
  if (p.title) out.push(`<text x="${LEFT}" y="${f(top - 8)}" font-size="13" ${FONT}>${escapeXml(p.title)}</text>`);
  out.push(`<rect x="${LEFT}" y="${f(top)}" width="${f(plotW)}" height="${f(h)}" fill="none" stroke="#333"/>`);
  for (const i of names ? names.map((_, i) => i) : ticks(n)) {
    const yy = top + (i + 0.5) * cellH;
    out.push(`<line x1="${LEFT - 4}" y1="${f(yy)}" x2="${LEFT}" y2="${f(yy)}" stroke="#333"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(yy + 4)}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(names?.[i] ?? String(i))}</text>`);
  }
  const mid = top + h / 2;
  out.push(`<text x="18" y="${f(mid)}" text-anchor="middle" font-size="13" ${FONT} transform="rotate(-90 18 ${f(mid)})">${escapeXml(p.neuronLabel ?? 'neuron')}</text>`);
  out.push(...timeAxis(T, top + h, plotW, cellW, timeLabel));
  out.push(`</g>`);
  out.push(`<g class="spikes" fill="#111">`);
  const markW = Math.max(1, cellW * 0.8);
  const markH = Math.max(1, cellH * 0.8);
  for (let t = 0; t < T; t++) {
    const x = LEFT + t * cellW + (cellW - markW) / 2;
    const row = spikes[t]!;
    for (let i = 0; i < n; i++) {
      if (row[i]! > 0) out.push(`<rect class="spike" x="${f(x)}" y="${f(top + i * cellH + (cellH - markH) / 2)}" width="${f(markW)}" height="${f(markH)}"/>`);
    }
  }
  out.push(`</g>`);
  return out.join('\n');
}

function membraneSvg(m: MembranePanel, T: number, top: number, plotW: number, h: number, cellW: number, timeLabel: string): string {
  const columns = m.v[0]?.length ?? 0;
  const neurons = m.neurons ?? Array.from({ length: Math.min(10, columns) }, (_, i) => i);
  const values = neurons.flatMap((j) => m.v.map((row) => row[j] ?? 0));
  if (m.threshold !== undefined) values.push(m.threshold);
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-6) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  const y = (v: number) => top + h - ((v - (lo - pad)) / (hi - lo + 2 * pad)) * h;
  const x = (t: number) => LEFT + (t + 0.5) * cellW;
  const out: string[] = [`<g class="membrane">`];
  out.push(`<text x="${LEFT}" y="${f(top - 8)}" font-size="13" ${FONT}>${escapeXml(m.title ?? 'membrane potential')}</text>`);
  out.push(`<rect x="${LEFT}" y="${f(top)}" width="${f(plotW)}" height="${h}" fill="none" stroke="#333"/>`);
  for (const v of [lo, hi]) out.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end" font-size="11" ${FONT}>${v.toFixed(2)}</text>`);
  const mid = top + h / 2;
  out.push(`<text x="18" y="${f(mid)}" text-anchor="middle" font-size="13" ${FONT} transform="rotate(-90 18 ${f(mid)})">v</text>`);
  if (m.threshold !== undefined) {
    const yt = y(m.threshold);
    out.push(`<line x1="${LEFT}" y1="${f(yt)}" x2="${f(LEFT + plotW)}" y2="${f(yt)}" stroke="#d62728" stroke-dasharray="6 4"/>`);
  }
  neurons.forEach((j, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    const pts = m.v.map((row, t) => `${f(x(t))},${f(y(row[j] ?? 0))}`).join(' ');
    out.push(`<polyline class="trace" points="${pts}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    out.push(`<text x="${f(LEFT + plotW + 6)}" y="${f(top + 12 + k * 14)}" font-size="11" fill="${color}" ${FONT}>${escapeXml(m.names?.[k] ?? `#${j}`)}</text>`);
  });
  out.push(...timeAxis(T, top + h, plotW, cellW, timeLabel));
  out.push(`</g>`);
  return out.join('\n');
}

/** Writes {@link spikeRasterSvg} to `path`, creating its folder. */
export async function writeSpikeRaster(path: string, options: RasterOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, spikeRasterSvg(options));
}
