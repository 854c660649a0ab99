// The plots render headless SVG with the expected marks (one tick per spike, one line per neuron,
// the threshold rule and label, one bar per layer, panels and reference lines), accept tensors and
// plain arrays alike, reject bad input with typed errors, and (when @resvg/resvg-js is installed)
// rasterise to PNG and save files.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, setBackend } from '@snnts/core';
import {
  accuracyVsT,
  accuracyVsTSpec,
  firingRateBars,
  membraneTraces,
  membraneTracesSpec,
  renderSvg,
  savePng,
  saveSvg,
  spikeRaster,
  spikeRasterSpec,
  svgToPng,
  trainingCurves,
} from '../src/index.js';

/** Whether the optional peer is installed (then PNG output is tested, else skipped). */
const HAS_RESVG = (() => {
  try {
    createRequire(import.meta.url).resolve('@resvg/resvg-js');
    return true;
  } catch {
    return false;
  }
})();

/** Checks that `svg` is one well-formed element tree rooted at <svg> (tags balanced and nested). */
function expectWellFormedSvg(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  const body = svg.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g)) {
    const [, close, name, selfClose] = m as unknown as [string, string, string, string];
    if (selfClose) continue;
    if (close) expect(stack.pop(), `</${name}> closes the open element`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

/** The items (leaf elements) inside the data-mark groups of one Vega mark type ('rect', 'line', ...). */
function markItems(svg: string, markType: string, tag: string): number {
  // An empty group is self-closing (<g .../>); a full one holds only leaf items.
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${markType} role-mark[^"]*"[^>]*?(?:/>|>([\\s\\S]*?)</g>)`, 'g'))];
  return groups.reduce((n, g) => n + ((g[1] ?? '').match(new RegExp(`<${tag}[ >/]`, 'g'))?.length ?? 0), 0);
}

beforeAll(async () => {
  await setBackend('cpu');
});

describe('renderSvg', () => {
  it('renders a Vega-Lite spec headlessly to well-formed SVG', async () => {
    const svg = await renderSvg({
      data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 2 }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    });
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'rect', 'path')).toBe(2);
  });

  it('rejects what is not a spec with ConfigError', async () => {
    await expect(renderSvg(null as never)).rejects.toThrowError(ConfigError);
    await expect(renderSvg({ mark: 'nope' } as never)).rejects.toThrowError(/renderSvg: 'spec' expected a valid Vega-Lite spec/);
  });
});

describe('spikeRaster', () => {
  const spikes = [
    [1, 0, 0, 1],
    [0, 0, 1, 0],
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 1, 1, 1],
  ]; // 8 spikes

  it('draws one tick per spike', async () => {
    const svg = await spikeRaster(spikes, { title: 'Layer 1' });
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'rect', 'path')).toBe(8);
    expect(svg).toContain('Layer 1');
  });

  it('accepts a tensor, typed-array rows and maxNeurons', async () => {
    const t = tf.tensor2d(spikes);
    const fromTensor = await spikeRaster(t);
    t.dispose();
    expect(markItems(fromTensor, 'rect', 'path')).toBe(8);
    const fromTyped = await spikeRaster(spikes.map((r) => Float32Array.from(r)));
    expect(markItems(fromTyped, 'rect', 'path')).toBe(8);
    const firstTwo = await spikeRaster(spikes, { maxNeurons: 2 });
    expect(markItems(firstTwo, 'rect', 'path')).toBe(4);
    expect(firstTwo).toContain('first 2 of 4');
  });

  it('keeps the spike positions in its spec', () => {
    const spec = spikeRasterSpec([[0, 1], [1, 0]]) as { data: { values: unknown[] } };
    expect(spec.data.values).toEqual([{ t: 0, neuron: 1 }, { t: 1, neuron: 0 }]);
  });

  it('renders a raster without spikes', async () => {
    const svg = await spikeRaster([[0, 0], [0, 0]]);
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'rect', 'path')).toBe(0);
  });

  it('rejects non-2D, ragged, empty and non-binary input with typed errors', async () => {
    const t3 = tf.zeros([2, 2, 2]);
    expect(() => spikeRasterSpec(t3)).toThrowError(ShapeError);
    expect(() => spikeRasterSpec(t3)).toThrowError(/spikeRaster: 'spikes' expected a rank-2 tensor \[T, nNeurons\], but got a rank-3 tensor of shape \[2, 2, 2\]/);
    t3.dispose();
    expect(() => spikeRasterSpec([1, 0, 1] as never)).toThrowError(/spikeRaster: 'spikes' expected a 2-D array/);
    expect(() => spikeRasterSpec([[1, 0], [1]])).toThrowError(/rows of equal length 2 .* but got row 1 with length 1/);
    expect(() => spikeRasterSpec([])).toThrowError(ShapeError);
    expect(() => spikeRasterSpec([[]])).toThrowError(ShapeError);
    expect(() => spikeRasterSpec([[0, 0.5]])).toThrowError(ConfigError);
    expect(() => spikeRasterSpec([[0, 0.5]])).toThrowError(/expected spikes of value 0 or 1, but got 0.5 at \[0, 1\]/);
    expect(() => spikeRasterSpec([[1]], { maxNeurons: 0 })).toThrowError(/'options.maxNeurons' expected a positive integer/);
    await expect(spikeRaster('x' as never)).rejects.toThrowError(ShapeError);
  });
});

describe('membraneTraces', () => {
  const v = [
    [0.1, 0.3, 0.0],
    [0.6, 0.5, 0.2],
    [0.0, 0.9, 0.4],
    [0.5, 0.0, 0.6],
  ];
  const spikes = [
    [0, 0, 0],
    [0, 0, 0],
    [1, 0, 0],
    [0, 1, 0],
  ];

  it('draws one line per neuron, the dashed threshold rule with its value, and spike markers', async () => {
    const svg = await membraneTraces(v, { vThreshold: 0.75, spikes, title: 'V' });
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'line', 'path')).toBe(3);
    expect(markItems(svg, 'rule', 'line')).toBe(1);
    expect(svg).toMatch(/<line[^>]*aria-label="membrane potential V: 0.75"[^>]*stroke-dasharray/);
    expect(svg).toContain('V_th = 0.75');
    expect(markItems(svg, 'symbol', 'path')).toBe(2);
  });

  it('draws the chosen neurons from a tensor, and no rule with vThreshold null', async () => {
    const t = tf.tensor2d(v);
    const svg = await membraneTraces(t, { neurons: [2, 0], vThreshold: null });
    t.dispose();
    expect(markItems(svg, 'line', 'path')).toBe(2);
    expect(markItems(svg, 'rule', 'line')).toBe(0);
    expect(svg).toContain('neuron 2');
    expect(svg).not.toContain('neuron 1');
  });

  it('defaults to the first 8 neurons and threshold 1', () => {
    const wide = [Array.from({ length: 20 }, () => 0.5)];
    const spec = membraneTracesSpec(wide) as { layer: { data: { values: { neuron: string; v: number }[] } }[] };
    expect(new Set(spec.layer[0]!.data.values.map((r) => r.neuron)).size).toBe(8);
    expect(spec.layer[1]!.data.values).toEqual([{ v: 1 }]);
  });

  it('rejects mismatched spikes, bad neurons and thresholds with typed errors', () => {
    expect(() => membraneTracesSpec(v, { spikes: [[0, 0, 0]] })).toThrowError(ShapeError);
    expect(() => membraneTracesSpec(v, { spikes: [[0, 0, 0]] })).toThrowError(
      /membraneTraces: 'options.spikes' expected shape \[4, 3\] to match 'v', but got shape \[1, 3\]/,
    );
    expect(() => membraneTracesSpec(v, { neurons: [3] })).toThrowError(/'options.neurons' expected integer indices in \[0, 2\]/);
    expect(() => membraneTracesSpec(v, { neurons: [] })).toThrowError(ConfigError);
    expect(() => membraneTracesSpec(v, { vThreshold: Number.NaN })).toThrowError(/'options.vThreshold' expected a finite number, but got NaN/);
    expect(() => membraneTracesSpec([0.1, 0.2] as never)).toThrowError(ShapeError);
  });
});

describe('firingRateBars', () => {
  it('draws one bar per layer from an array or a record, in order, with value labels', async () => {
    const fromArray = await firingRateBars([
      { layer: 'a', rate: 0.2 },
      { layer: 'b', rate: 0.05 },
      { layer: 'c', rate: 0.1 },
    ]);
    expectWellFormedSvg(fromArray);
    expect(markItems(fromArray, 'rect', 'path')).toBe(3);
    const fromRecord = await firingRateBars({ 'lif 1': 0.25, 'lif 2': 0.125 }, { title: 'Rates' });
    expect(markItems(fromRecord, 'rect', 'path')).toBe(2);
    expect(fromRecord).toContain('0.125');
    expect(fromRecord.indexOf('lif 1')).toBeLessThan(fromRecord.indexOf('lif 2'));
  });

  it('rejects empty, non-finite and repeated input with ConfigError', async () => {
    await expect(firingRateBars([])).rejects.toThrowError(/firingRateBars: 'rates' expected at least one layer, but got an empty array/);
    await expect(firingRateBars({})).rejects.toThrowError(ConfigError);
    await expect(firingRateBars({ a: Number.NaN })).rejects.toThrowError(/'rates\[0\].rate' expected a finite number/);
    await expect(firingRateBars([{ layer: 'a', rate: 1 }, { layer: 'a', rate: 2 }])).rejects.toThrowError(/'a' twice/);
  });
});

describe('trainingCurves', () => {
  it('draws a loss panel and an accuracy panel with train and test lines', async () => {
    const svg = await trainingCurves([
      { epoch: 1, loss: 0.9, trainAcc: 0.7, testAcc: 0.72 },
      { epoch: 2, loss: 0.5, trainAcc: 0.85, testAcc: 0.83 },
      { epoch: 3, loss: 0.4, trainAcc: 0.9 },
    ]);
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'line', 'path')).toBe(3); // loss, train, test
    expect(svg).toContain('accuracy');
    expect(svg).toContain('loss');
    expect(svg).toContain('train');
  });

  it('uses step when every record has one, and draws only the panels with data', async () => {
    const svg = await trainingCurves([{ step: 0, loss: 2.3 }, { step: 50, loss: 1.1 }, { step: 100, loss: 0.6 }]);
    expect(markItems(svg, 'line', 'path')).toBe(1);
    expect(svg).toContain('step');
    expect(svg).not.toContain('accuracy');
  });

  it('rejects empty histories, missing x and non-finite metrics with ConfigError', async () => {
    await expect(trainingCurves([])).rejects.toThrowError(/trainingCurves: 'history' expected a non-empty array/);
    await expect(trainingCurves([{ step: 1, loss: 1 }, { loss: 2 }])).rejects.toThrowError(/'history\[1\]' expected records that all have 'step' or all have 'epoch'/);
    await expect(trainingCurves([{ step: 1, loss: Number.POSITIVE_INFINITY }])).rejects.toThrowError(/'history\[0\].loss' expected a finite number/);
    await expect(trainingCurves([{ step: 1 }])).rejects.toThrowError(/at least one of loss, trainAcc, testAcc/);
  });
});

describe('accuracyVsT', () => {
  const rows = [
    { T: 4, accuracy: 0.6, series: 'max' },
    { T: 8, accuracy: 0.8, series: 'max' },
    { T: 16, accuracy: 0.9, series: 'max' },
    { T: 4, accuracy: 0.7, series: '99.9%' },
    { T: 16, accuracy: 0.95, series: '99.9%' },
  ];

  it('draws a line with points per series and the ANN reference line', async () => {
    const svg = await accuracyVsT(rows, { annAccuracy: 0.975, logT: true });
    expectWellFormedSvg(svg);
    expect(markItems(svg, 'line', 'path')).toBe(2);
    expect(markItems(svg, 'symbol', 'path')).toBe(5);
    expect(markItems(svg, 'rule', 'line')).toBe(1);
    expect(svg).toContain('ANN 0.975');
  });

  it('draws a single uncoloured series without a reference line', async () => {
    const svg = await accuracyVsT([{ T: 1, accuracy: 0.3 }, { T: 2, accuracy: 0.5 }]);
    expect(markItems(svg, 'line', 'path')).toBe(1);
    expect(markItems(svg, 'rule', 'line')).toBe(0);
  });

  it('rejects empty or non-finite rows with ConfigError', () => {
    expect(() => accuracyVsTSpec([])).toThrowError(ConfigError);
    expect(() => accuracyVsTSpec([{ T: 4, accuracy: Number.NaN }])).toThrowError(/accuracyVsT: 'rows\[0\].accuracy' expected a finite number/);
    expect(() => accuracyVsTSpec([{ T: 0, accuracy: 0.1 }], { logT: true })).toThrowError(/T > 0 with logT/);
    expect(() => accuracyVsTSpec([{ T: 4, accuracy: 0.1 }], { annAccuracy: Number.NaN })).toThrowError(/'options.annAccuracy'/);
  });
});

describe('files and PNG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snnts-viz-'));

  it('saves SVG files', async () => {
    const svg = await spikeRaster([[1, 0], [0, 1]]);
    await saveSvg(join(dir, 'r.svg'), svg);
    expect(readFileSync(join(dir, 'r.svg'), 'utf8')).toBe(svg);
    await expect(saveSvg(join(dir, 'missing', 'r.svg'), svg)).rejects.toThrowError(/saveSvg: 'path' expected a writable file path/);
  });

  it('rejects what is not an SVG string', async () => {
    await expect(svgToPng('hello')).rejects.toThrowError(/svgToPng: 'svg' expected an SVG string/);
    await expect(svgToPng('<svg/>', { scale: 0 })).rejects.toThrowError(ConfigError);
  });

  it.skipIf(!HAS_RESVG)('rasterises to PNG and saves PNG files', async () => {
    const svg = await firingRateBars({ a: 0.1, b: 0.2 });
    const png = await svgToPng(svg);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width).toBe(2 * svgWidth); // default scale 2
    await savePng(join(dir, 'r.png'), svg, { scale: 1 });
    expect(existsSync(join(dir, 'r.png'))).toBe(true);
    expect(readFileSync(join(dir, 'r.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});
