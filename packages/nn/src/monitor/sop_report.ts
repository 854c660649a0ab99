/**
 * The SOP counter's report: per-layer and total operation counts and energy estimates, the
 * energy-per-operation figures they use (Horowitz, ISSCC 2014, 45 nm), and `formatSopReport`,
 * which prints a report as a table.
 */

/**
 * Energy per operation in picojoules, 45 nm CMOS, 32-bit float: a multiply-accumulate costs
 * 3.7 pJ (multiply) + 0.9 pJ (add) = 4.6 pJ, an accumulate (what a binary spike triggers) 0.9 pJ.
 * Source: M. Horowitz, "Computing's energy problem (and what we can do about it)", IEEE ISSCC
 * 2014, pp. 10-14, the figures most SNN energy estimates use.
 *
 * @example
 * ```ts
 * import { HOROWITZ_45NM_PJ } from '@snnts/nn';
 * const annPj = 1e6 * HOROWITZ_45NM_PJ.mac; // a million MACs: 4.6 µJ
 * ```
 */
export const HOROWITZ_45NM_PJ = { mac: 4.6, ac: 0.9 } as const;

/** Energy per operation, in picojoules. */
export interface EnergyModel {
  /** One multiply-accumulate. */
  mac: number;
  /** One accumulate. */
  ac: number;
}

/**
 * One layer's counts. "Per sample" means per input sample per time step (per row of the input:
 * a `[T, N, ...]` run counts `T x N` rows); multiply by `T` for a whole inference.
 */
export interface SopLayerReport {
  /** Dotted name in the network. */
  name: string;
  /** `Linear` or `Conv2d`. */
  className: string;
  /** Forward calls counted. */
  calls: number;
  /** Input rows seen (samples x time steps). */
  samples: number;
  /** Fraction of input elements that were nonzero. */
  inputFiringRate: number;
  /** Whether every input seen was spikes (0/1, or of one magnitude with `scaledSpikes`); if not, those calls count MACs, not ACs. */
  binaryInput: boolean;
  /** Dense MACs of the equivalent ANN layer, per sample. */
  annMacsPerSample: number;
  /** Synaptic operations (accumulates) triggered by binary input spikes, per sample. */
  sopsPerSample: number;
  /** MACs of the calls whose input was not binary (counted dense), per sample. */
  macsPerSample: number;
  /** `sopsPerSample x ac + macsPerSample x mac`, in pJ. */
  energyPerSamplePj: number;
  /** `annMacsPerSample x mac`, in pJ: the same layer run as an ANN. */
  annEnergyPerSamplePj: number;
}

/** {@link SopCounter.report}'s result: every layer, their sums, and the energy model used. */
export interface SopReport {
  /** One entry per counted layer, in tree order. */
  layers: SopLayerReport[];
  /**
   * Sums over the layers of the per-sample fields (`samples`: the largest; `inputFiringRate`:
   * nonzero over all input elements; `binaryInput`: all binary).
   */
  total: Omit<SopLayerReport, 'name' | 'className'>;
  /** The energy per operation used. */
  energy: EnergyModel;
}

/** `1234567` as `1.235M`. */
function si(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [f, u] of units) if (Math.abs(v) >= f) return `${Number((v / f).toPrecision(4))}${u}`;
  return `${Number(v.toPrecision(4))}`;
}

/** Picojoules as pJ / nJ / µJ / mJ. */
function energy(pj: number): string {
  const units: [number, string][] = [
    [1e9, 'mJ'],
    [1e6, 'µJ'],
    [1e3, 'nJ'],
  ];
  for (const [f, u] of units) if (Math.abs(pj) >= f) return `${Number((pj / f).toPrecision(4))} ${u}`;
  return `${Number(pj.toPrecision(4))} pJ`;
}

/**
 * Formats a {@link SopReport} as a plain-text table: one row per layer and a total, with the input
 * firing rate, the ANN's MACs, the SNN's SOPs (and MACs for non-binary input) per sample per time
 * step, and both energy estimates.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { IFNode, Linear, Sequential, SopCounter, formatSopReport } from '@snnts/nn';
 * const net = new Sequential(new Linear(8, 4), new IFNode(), new Linear(4, 2));
 * const counter = new SopCounter(net);
 * net.call(tf.ones([1, 8]));
 * console.log(formatSopReport(counter.report()));
 * counter.dispose();
 * ```
 */
export function formatSopReport(report: SopReport): string {
  const head = ['layer', 'type', 'in rate', 'ANN MACs', 'SNN SOPs', 'SNN MACs', 'SNN energy', 'ANN energy', 'ratio'];
  const row = (name: string, type: string, r: SopReport['total']): string[] => [
    name,
    type,
    `${(r.inputFiringRate * 100).toFixed(1)}%${r.binaryInput ? '' : '*'}`,
    si(r.annMacsPerSample),
    si(r.sopsPerSample),
    si(r.macsPerSample),
    energy(r.energyPerSamplePj),
    energy(r.annEnergyPerSamplePj),
    r.annEnergyPerSamplePj > 0 ? `${(r.energyPerSamplePj / r.annEnergyPerSamplePj).toFixed(3)}` : '-',
  ];
  const rows = [head, ...report.layers.map((l) => row(l.name || '(net)', l.className, l)), row('total', '', report.total)];
  const widths = head.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(rows[0]!), rule, ...rows.slice(1, -1).map(line), rule, line(rows[rows.length - 1]!)];
  out.push(
    `Per sample per time step. Energy: ${report.energy.mac} pJ/MAC, ${report.energy.ac} pJ/AC (Horowitz, ISSCC 2014, 45 nm, fp32).` +
      (report.total.binaryInput ? '' : ' * non-binary input: counted as dense MACs.'),
  );
  return out.join('\n');
}
