/**
 * Node-side helpers of the browser tests: array comparisons, the near-threshold classification of
 * spike mismatches, the shared harness session per test file, and a per-topic report written to
 * browser/out/ (tolerances, worst errors, mismatch counts) for the record.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HARNESS_DIR, ROOT } from '../lib/bundle.js';

/** Where tests write screenshots and reports. */
export const OUT_DIR = join(HARNESS_DIR, 'out');
/** The GPU backends under test. */
export const GPU_BACKENDS = ['webgl', 'webgpu'] as const;

/** Parses a JSON file relative to the repository root. */
export function loadJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
}

/** Flattens nested number arrays. */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/** Largest |a - b| over positions where `keep` (default all) is true. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>, keep?: (i: number) => boolean): number {
  if (a.length !== b.length) return Infinity;
  let w = 0;
  for (let i = 0; i < b.length; i++) if (!keep || keep(i)) w = Math.max(w, Math.abs(a[i]! - b[i]!));
  return w;
}

/** Largest |a - b| / max(1, |b|): absolute for small values, relative for large ones. */
export function maxMixedError(a: ArrayLike<number>, b: ArrayLike<number>, keep?: (i: number) => boolean): number {
  if (a.length !== b.length) return Infinity;
  let w = 0;
  for (let i = 0; i < b.length; i++) if (!keep || keep(i)) w = Math.max(w, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return w;
}

/**
 * The band around the threshold inside which float32 rounding alone can flip a spike: 8 ulps of
 * float32 at max(1, |Vth|) (2^-20 at Vth = 1). Backends round charge arithmetic differently by a
 * few ulps, so where |H - Vth| is below this a differing spike is not a bug.
 */
export function nearThresholdBand(vThreshold: number): number {
  return 8 * 2 ** -23 * Math.max(1, Math.abs(vThreshold));
}

/** Spike mismatches of a run against a reference run, split by cause. */
export interface SpikeComparison {
  /** Differing spikes where the reference's |H - Vth| is within {@link nearThresholdBand}. */
  nearThreshold: number;
  /** Differing spikes anywhere else: real disagreements. */
  real: number;
  /** Smallest |H - Vth| of the reference over all positions. */
  minMargin: number;
  /** For each neuron (flat index over the non-time axes), the first step after a near-threshold flip. */
  divergedFrom: Map<number, number>;
}

/**
 * Compares spike trains `[T, ...]` (flat, `perStep` values per step). After a near-threshold flip
 * a neuron's later potentials legitimately differ (one was reset, the other not), so
 * `divergedFrom` lets callers leave them out of the potential and gradient comparisons.
 */
export function compareSpikes(actual: number[], reference: number[], hReference: number[], vThreshold: number, perStep: number): SpikeComparison {
  const band = nearThresholdBand(vThreshold);
  const out: SpikeComparison = { nearThreshold: 0, real: 0, minMargin: Infinity, divergedFrom: new Map() };
  for (let i = 0; i < reference.length; i++) {
    const margin = Math.abs(hReference[i]! - vThreshold);
    out.minMargin = Math.min(out.minMargin, margin);
    const neuron = i % perStep;
    if (out.divergedFrom.has(neuron) || actual[i] === reference[i]) continue;
    if (margin <= band) {
      out.nearThreshold++;
      out.divergedFrom.set(neuron, Math.floor(i / perStep));
    } else {
      out.real++;
    }
  }
  return out;
}

/** Writes `browser/out/<name>.json` (the numbers behind a test file's assertions). */
export function writeReport(name: string, report: unknown): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
}
