/**
 * Training curves: the loss and the train/test accuracy of a training run against the step or
 * epoch, as two stacked panels sharing the x axis (the accuracy series folded into one column).
 */
import { ConfigError } from '@snnts/core';
import { checkFinite } from './input.js';
import { checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, INTEGER_AXIS, renderSvg, specHeader, type PlotOptions, type VegaLiteSpec } from './render.js';

/**
 * One record of a training history: when it was taken (`step` or `epoch`) and any of the
 * metrics. Missing (or `null`) metrics are simply not drawn for that record.
 */
export interface HistoryRecord {
  /** Optimisation step (iteration). Used as the x axis when every record has it. */
  step?: number;
  /** Epoch. Used as the x axis when not every record has a `step`. */
  epoch?: number;
  /** Training loss. */
  loss?: number | null;
  /** Accuracy on the training data. */
  trainAcc?: number | null;
  /** Accuracy on the test (or validation) data. */
  testAcc?: number | null;
}

/** Options of {@link trainingCurves} and {@link trainingCurvesSpec}; `height` is per panel. */
export type TrainingCurvesOptions = PlotOptions;

const METRICS = ['loss', 'trainAcc', 'testAcc'] as const;

/** Checks the history and picks the x field: `step` if every record has one, else `epoch`. */
function checkHistory(history: HistoryRecord[], fn: string): { xField: 'step' | 'epoch'; has: Set<string> } {
  if (!Array.isArray(history) || history.length === 0) {
    throw new ConfigError(fn, 'history', 'a non-empty array of records', Array.isArray(history) ? 'an empty array' : String(history));
  }
  const all = (k: 'step' | 'epoch') => history.every((r) => r !== null && typeof r === 'object' && r[k] !== undefined);
  const xField = all('step') ? 'step' : all('epoch') ? 'epoch' : null;
  if (xField === null) {
    const i = history.findIndex((r) => r === null || typeof r !== 'object' || (r.step === undefined && r.epoch === undefined));
    throw new ConfigError(fn, i >= 0 ? `history[${i}]` : 'history', "records that all have 'step' or all have 'epoch'", i >= 0 ? JSON.stringify(history[i]) : 'a mix of the two');
  }
  const has = new Set<string>();
  history.forEach((r, i) => {
    checkFinite(r[xField], fn, `history[${i}].${xField}`);
    for (const k of METRICS) {
      const v = r[k];
      if (v === undefined || v === null) continue;
      checkFinite(v, fn, `history[${i}].${k}`);
      has.add(k);
    }
  });
  if (has.size === 0) throw new ConfigError(fn, 'history', 'records with at least one of loss, trainAcc, testAcc', 'none');
  return { xField, has };
}

/**
 * Builds the Vega-Lite spec of training curves from a history `[{step or epoch, loss?, trainAcc?,
 * testAcc?}]`: a loss panel and an accuracy panel (train and test folded into one colour-coded
 * series) stacked with `vconcat`; a panel whose metrics never appear is left out.
 *
 * @example
 * ```ts
 * import { trainingCurvesSpec } from '@snnts/viz';
 * const spec = trainingCurvesSpec([{ epoch: 1, loss: 0.9 }, { epoch: 2, loss: 0.5 }]);
 * console.log('vconcat' in spec); // true (one panel: no accuracy was given)
 * ```
 */
export function trainingCurvesSpec(history: HistoryRecord[], options: TrainingCurvesOptions = {}): VegaLiteSpec {
  const fn = 'trainingCurves';
  const { xField, has } = checkHistory(history, fn);
  checkSize(options.width, fn, 'options.width');
  checkSize(options.height, fn, 'options.height');
  const size = { width: options.width ?? DEFAULT_WIDTH, height: options.height ?? Math.round(DEFAULT_HEIGHT * 0.75) };
  // Integer steps/epochs get integer ticks only.
  const integral = history.every((r) => Number.isInteger(r[xField]));
  const x = { field: xField, type: 'quantitative', title: xField, scale: { nice: false }, axis: integral ? INTEGER_AXIS : {} } as const;
  const panels: object[] = [];
  if (has.has('loss')) {
    panels.push({
      ...size,
      transform: [{ filter: 'isValid(datum.loss)' }],
      mark: { type: 'line', point: true, color: '#4c78a8' },
      encoding: { x, y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } } },
    });
  }
  const accs = METRICS.filter((k) => k !== 'loss' && has.has(k));
  if (accs.length > 0) {
    panels.push({
      ...size,
      transform: [
        { fold: accs, as: ['metric', 'accuracy'] },
        { filter: 'isValid(datum.accuracy)' },
        { calculate: "datum.metric === 'trainAcc' ? 'train' : 'test'", as: 'split' },
      ],
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: null, sort: ['train', 'test'], scale: { domain: ['train', 'test'], range: ['#f58518', '#54a24b'] } },
      },
    });
  }
  const values = history.map((r) => ({ [xField]: r[xField], loss: r.loss ?? null, trainAcc: r.trainAcc ?? null, testAcc: r.testAcc ?? null }));
  return { ...specHeader(options.title ?? 'Training'), data: { values }, vconcat: panels } as VegaLiteSpec;
}

/**
 * Renders training curves (SVG string): loss on top, train/test accuracy below, against `step`
 * (when every record has one) or `epoch`. Throws a ConfigError for an empty history, records
 * without `step`/`epoch`, non-finite values or a history with no metric at all.
 *
 * @example
 * ```ts
 * import { trainingCurves } from '@snnts/viz';
 * const svg = await trainingCurves([
 *   { epoch: 1, loss: 0.62, trainAcc: 0.81, testAcc: 0.84 },
 *   { epoch: 2, loss: 0.41, trainAcc: 0.88, testAcc: 0.87 },
 *   { epoch: 3, loss: 0.35, trainAcc: 0.9, testAcc: 0.88 },
 * ], { title: 'Fashion-MNIST, LIF 784-256-10' });
 * ```
 */
export async function trainingCurves(history: HistoryRecord[], options: TrainingCurvesOptions = {}): Promise<string> {
  return renderSvg(trainingCurvesSpec(history, options));
}
