/**
 * Writes the example's plots with @snnts/viz: spike rasters of the LIF layers and membrane traces
 * of the output layer for one test image, per-layer firing-rate bars, and the training curves.
 * Each plot is written as SVG, and as PNG when the optional `@resvg/resvg-js` is installed.
 */
import { join } from 'node:path';
import { firingRateBars, membraneTraces, savePng, saveSvg, spikeRaster, trainingCurves, type HistoryRecord } from '@snnts/viz';
import type { ImageTrace } from './analysis.js';

/** What {@link writePlots} draws. */
export interface PlotInputs {
  trace: ImageTrace;
  /** Title of the traced image's plots. */
  title: string;
  /** Class names of the output neurons. */
  classes: string[];
  firingRates: Record<string, number>;
  history: HistoryRecord[];
}

/** Hidden-layer neurons shown in a raster (the first ones of the flattened layer). */
const RASTER_NEURONS = 256;

/** Writes every plot under `dir`; returns the file names written. */
export async function writePlots(dir: string, p: PlotInputs): Promise<string[]> {
  const svgs: [string, string][] = [];
  const layers = Object.keys(p.trace.spikes);
  for (const [i, name] of layers.entries()) {
    const spikes = p.trace.spikes[name]!;
    const out = i === layers.length - 1;
    const what = out ? `output LIF layer (${p.classes.length} classes)` : `LIF layer '${name}', first ${Math.min(RASTER_NEURONS, spikes[0]!.length)} of ${spikes[0]!.length} neurons`;
    svgs.push([`raster_${name}`, await spikeRaster(spikes, { title: `${p.title}: ${what}`, maxNeurons: RASTER_NEURONS })]);
  }
  const last = p.trace.spikes[layers.at(-1)!]!;
  svgs.push([
    'membrane',
    await membraneTraces(p.trace.vOut, {
      title: `${p.title}: output membrane potential (neuron = class index)`,
      spikes: last,
      neurons: p.classes.map((_, i) => i),
      vThreshold: 1,
    }),
  ]);
  svgs.push(['firing_rates', await firingRateBars(p.firingRates, { title: 'Mean firing rate per LIF layer (test images)' })]);
  svgs.push(['training', await trainingCurves(p.history, { title: 'Fashion-MNIST CSNN training' })]);
  const written: string[] = [];
  let pngError: string | undefined;
  for (const [name, svg] of svgs) {
    await saveSvg(join(dir, `${name}.svg`), svg);
    written.push(`${name}.svg`);
    if (pngError) continue;
    try {
      await savePng(join(dir, `${name}.png`), svg);
      written.push(`${name}.png`);
    } catch (e) {
      pngError = (e as Error).message;
    }
  }
  if (pngError) process.stderr.write(`PNG plots skipped: ${pngError}\n`);
  return written;
}
