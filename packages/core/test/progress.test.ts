import { describe, expect, it } from 'vitest';
import { ProgressBar, estimateEta, formatBar, formatDuration, formatProgress } from '../src/index.js';

/** A fake stream that records what was written. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

describe('progress formatting', () => {
  it('draws the bar', () => {
    expect(formatBar(0, 10)).toBe('[>         ]');
    expect(formatBar(0.42, 10)).toBe('[====>     ]');
    expect(formatBar(1, 10)).toBe('[==========]');
    expect(formatBar(2, 4)).toBe('[====]');
    expect(formatBar(Number.NaN, 4)).toBe('[>   ]');
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(37.4)).toBe('0:37');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(3600 + 62)).toBe('1:01:02');
    expect(formatDuration(undefined)).toBe('-:--');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('-:--');
  });

  it('extrapolates the ETA from the mean step time', () => {
    expect(estimateEta(0, 10, 1000)).toBeUndefined();
    expect(estimateEta(5, 10, 10_000)).toBeCloseTo(10);
    expect(estimateEta(10, 10, 10_000)).toBe(0);
  });

  it('formats a full line', () => {
    expect(formatProgress(42, 100, 10, { label: 'epoch 1/3', loss: 0.5123, acc: 0.8731 }, 37)).toBe(
      '[====>     ]  42% epoch 1/3 loss 0.512 acc 0.873 ETA 0:37',
    );
    expect(formatProgress(0, 100, 4, {}, undefined)).toBe('[>   ]   0% ETA -:--');
  });
});

describe('ProgressBar', () => {
  it('redraws in place on a TTY and ends with a newline', () => {
    const { chunks, stream } = sink(true);
    let now = 0;
    const bar = new ProgressBar({ total: 4, width: 4, stream, now: () => now, ttyInterval: 0 });
    for (let i = 1; i <= 4; i++) {
      now += 1000;
      bar.update(i, { loss: 1 / i });
    }
    bar.finish();
    expect(chunks.slice(0, 4).every((c) => c.startsWith('\r') && c.endsWith('\x1b[K'))).toBe(true);
    expect(chunks[0]).toContain('ETA 0:03');
    expect(chunks[3]).toContain('100%');
    expect(chunks.at(-1)).toBe('\n');
  });

  it('prints plain periodic lines when not a TTY', () => {
    const { chunks, stream } = sink(false);
    let now = 0;
    const bar = new ProgressBar({ total: 100, width: 10, stream, now: () => now, interval: 10_000 });
    for (let i = 1; i <= 100; i++) {
      now += 500; // 50 s in all: a line at step 1, then every 10 s, then the final one
      bar.update(i, { label: 'epoch 1/1', acc: 0.5 });
    }
    bar.finish();
    expect(chunks.every((c) => !c.includes('\r') && !c.includes('\x1b') && c.endsWith('\n'))).toBe(true);
    expect(chunks.length).toBe(6);
    expect(chunks.at(-1)).toBe('[==========] 100% epoch 1/1 acc 0.500 ETA 0:00\n');
  });

  it('rejects a bad total', () => {
    expect(() => new ProgressBar({ total: 0 })).toThrow(/ProgressBar: 'total'/);
  });
});
