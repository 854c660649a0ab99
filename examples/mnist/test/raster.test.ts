import { describe, expect, it } from 'vitest';
import { countSpikes, escapeXml, spikeRasterSvg, ticks } from '../src/raster.js';

/** Checks that every tag is closed in order (a small stand-in for an XML parser). */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const body = svg.replace(/<\?xml[^>]*\?>/, '');
  for (const m of body.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else {
      stack.push(name!);
    }
  }
  return stack.length === 0;
}

describe('spike raster SVG', () => {
  const spikes = [
    [1, 0, 0, 1],
    [0, 0, 1, 0],
    [1, 1, 0, 0],
  ];

  it('is a well-formed SVG document with a title and axis labels', () => {
    const svg = spikeRasterSvg({ spikes, title: 'digit 7 <test>', timeLabel: 'time step', neuronLabel: 'neuron' });
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('digit 7 &lt;test&gt;');
    expect(svg).toContain('>time step</text>');
    expect(svg).toContain('>neuron</text>');
  });

  it('draws one mark per spike', () => {
    const svg = spikeRasterSvg({ spikes });
    expect(countSpikes(spikes)).toBe(5);
    expect(svg.match(/class="spike"/g)?.length).toBe(5);
    const none = spikeRasterSvg({ spikes: [[0, 0], [0, 0]] });
    expect(none.match(/class="spike"/g)).toBeNull();
  });

  it('places spikes at their time step and neuron', () => {
    const svg = spikeRasterSvg({ spikes: [[0, 0], [0, 1]], width: 200 });
    // plot from x=72, 2 steps of 22 px; from y=56, 2 neurons of 60 px
    const m = svg.match(/class="spike" x="([\d.]+)" y="([\d.]+)"/)!;
    expect(Number(m[1])).toBeGreaterThan(72 + 22);
    expect(Number(m[2])).toBeGreaterThan(56 + 60);
  });

  it('stacks one panel per layer, with row names', () => {
    const hidden = [
      [1, 1, 0],
      [0, 1, 1],
    ];
    const output = [
      [0, 1],
      [1, 1],
    ];
    const svg = spikeRasterSvg({ panels: [{ spikes: hidden, title: 'hidden' }, { spikes: output, title: 'output', names: ['cat', 'dog'] }] });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/class="spike"/g)?.length).toBe(countSpikes(hidden) + countSpikes(output));
    expect(svg.match(/<g class="raster">/g)?.length).toBe(2);
    expect(svg).toContain('>dog</text>');
    expect(() => spikeRasterSvg({ panels: [{ spikes: hidden }, { spikes: [[1, 0]] }] })).toThrow(/panels\[1\]\.spikes' must have 2 time steps/);
  });

  it('adds membrane traces with a threshold line', () => {
    const v = [
      [0.2, 0.5],
      [0.6, 1.2],
      [0.9, 0.1],
    ];
    const svg = spikeRasterSvg({ spikes: [[0, 0], [0, 1], [0, 0]], membrane: { v, threshold: 1, names: ['a', 'b'] } });
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/class="trace"/g)?.length).toBe(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('>b</text>');
  });

  it('rejects ragged or empty input with a named error', () => {
    expect(() => spikeRasterSvg({ spikes: [] })).toThrow(/spikeRasterSvg: 'spikes'/);
    expect(() => spikeRasterSvg({})).toThrow(/spikeRasterSvg: give 'spikes'/);
    expect(() => spikeRasterSvg({ spikes: [[1, 0], [1]] })).toThrow(/spikes\[1\]/);
    expect(() => spikeRasterSvg({ spikes: [[1]], membrane: { v: [[0], [0]] } })).toThrow(/membrane\.v/);
  });

  it('helpers: ticks and escaping', () => {
    expect(ticks(1)).toEqual([0]);
    expect(ticks(4, 16)).toEqual([0, 1, 2, 3]);
    const t = ticks(266);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(265);
    expect(t).toEqual([0, 50, 100, 150, 200, 265]);
    expect(ticks(256)).toEqual([0, 50, 100, 150, 200, 255]);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 9]);
    expect(escapeXml(`a&b"'<>`)).toBe('a&amp;b&quot;&apos;&lt;&gt;');
  });
});
