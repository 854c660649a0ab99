/**
 * The conversion report: per-layer calibrated scales (the IF thresholds in input units) with their
 * per-batch statistics, the batch norms folded, and the options used; `formatConversionReport`
 * renders it as Markdown.
 */
import type { ScaleMode } from './statistics.js';

/** One converted ReLU. */
export interface LayerScale {
  /** The ReLU's dotted name in the ANN. */
  name: string;
  /** The ONNX node it was imported from, when it came from an ONNX model. */
  onnxNode?: string;
  /** The calibrated scale `s` (one per channel when channel-wise). */
  scale: number | number[];
  /** The statistic of each calibration batch, before smoothing. */
  perBatch: number[] | number[][];
  /** True when a scale was 0 (the ReLU never fired on the calibration data); 1 is used instead. */
  dead: boolean;
}

/** What {@link Converter.convert} did. */
export interface ConversionReport {
  /** The scale statistic used. */
  mode: ScaleMode;
  /** The smoothing momentum used. */
  momentum: number;
  /** Whether scales are per channel. */
  channelWise: boolean;
  /** Whether batch norms were folded. */
  fuseBatchNorm: boolean;
  /** Calibration batches and samples seen. */
  calibration: { batches: number; samples: number };
  /** One entry per ReLU, in network order. */
  layers: LayerScale[];
  /** Batch norms folded into the layer before them, by dotted name in the ANN. */
  folded: { batchNorm: string; into: string }[];
  /** The converted network's `toString()`. */
  structure: string;
}

const fmt = (v: number) => Number(v.toPrecision(6)).toString();

/**
 * Renders a {@link ConversionReport} as Markdown (options, folded batch norms, one row per layer).
 *
 * @example
 * ```ts
 * import { formatConversionReport } from '@snnts/convert';
 * console.log(formatConversionReport({
 *   mode: 'max', momentum: 0.1, channelWise: false, fuseBatchNorm: true,
 *   calibration: { batches: 4, samples: 512 }, folded: [], structure: '',
 *   layers: [{ name: '2', scale: 8.228, perBatch: [8, 8.5, 8.1, 8.3], dead: false }],
 * }));
 * ```
 */
export function formatConversionReport(r: ConversionReport): string {
  const lines = [
    '## Conversion',
    '',
    `- mode: \`${r.mode}\`, momentum ${r.momentum}, ${r.channelWise ? 'channel-wise' : 'layer-wise'} scales`,
    `- calibration: ${r.calibration.batches} batches, ${r.calibration.samples} samples`,
    `- batch norms folded: ${r.folded.length ? r.folded.map((f) => `${f.batchNorm} -> ${f.into}`).join(', ') : 'none'}${r.fuseBatchNorm ? '' : ' (folding off)'}`,
    '',
    '| ReLU | scale (IF threshold in input units) | per-batch statistic |',
    '|---|---|---|',
  ];
  for (const l of r.layers) {
    const scale = Array.isArray(l.scale) ? `${l.scale.length} channels, ${fmt(Math.min(...l.scale))} .. ${fmt(Math.max(...l.scale))}` : fmt(l.scale);
    const per = (l.perBatch as (number | number[])[]).map((b) => (Array.isArray(b) ? `max ${fmt(Math.max(...b))}` : fmt(b))).join(', ');
    lines.push(`| ${l.name}${l.onnxNode ? ` (\`${l.onnxNode}\`)` : ''} | ${scale}${l.dead ? ' (dead: 1 used)' : ''} | ${per} |`);
  }
  return lines.join('\n') + '\n';
}
