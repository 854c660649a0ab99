/**
 * A small progress bar for long work (training, evaluation, conversion): redrawn in place on a
 * TTY, printed as plain periodic lines otherwise (CI logs), e.g.
 * `[====>     ] 42% epoch 1/3 loss 0.512 acc 0.873 ETA 0:37`. Browser-safe: the output stream is
 * injectable and defaults to `process.stderr` only where it exists.
 */
import { ConfigError } from './errors.js';

/** What the bar writes to (`process.stderr` by default). */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** `process.stderr` in Node; elsewhere a writer that logs whole lines to the console. */
function defaultStream(): ProgressStream {
  const p = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  if (p?.stderr) return p.stderr;
  return { write: (chunk: string) => chunk.trim() && console.log(chunk.trim()), isTTY: false };
}

/** The numbers shown after the bar. */
export interface ProgressFields {
  /** Free text before the metrics, e.g. `epoch 1/3`. */
  label?: string;
  loss?: number;
  acc?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Number of steps that make 100%. */
  total: number;
  /** Characters inside the brackets (default 30). */
  width?: number;
  /** Where to write (default `process.stderr`). */
  stream?: ProgressStream;
  /** Milliseconds between lines when the stream is not a TTY (default 10,000). */
  interval?: number;
  /** Milliseconds between redraws on a TTY (default 100). */
  ttyInterval?: number;
  /** Clock in milliseconds (default `Date.now`); tests inject a fake one. */
  now?: () => number;
}

/**
 * `[====>     ]` for a fraction in [0, 1] (clamped).
 *
 * @example
 * ```ts
 * import { formatBar } from '@snnts/core';
 * formatBar(0.5, 10); // '[=====>    ]'
 * ```
 */
export function formatBar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const n = Math.round(f * width);
  if (n >= width) return `[${'='.repeat(width)}]`;
  return `[${'='.repeat(n)}>${' '.repeat(width - n - 1)}]`;
}

/**
 * `m:ss`, or `h:mm:ss` from one hour on; `-:--` when unknown.
 *
 * @example
 * ```ts
 * import { formatDuration } from '@snnts/core';
 * formatDuration(3725); // '1:02:05'
 * ```
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Seconds left, extrapolating the mean time per step so far; undefined before the first step.
 *
 * @example
 * ```ts
 * import { estimateEta } from '@snnts/core';
 * estimateEta(25, 100, 5000); // 15 (seconds)
 * ```
 */
export function estimateEta(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0) return undefined;
  return (Math.max(0, total - done) * elapsedMs) / done / 1000;
}

/**
 * One progress line, without any terminal control characters.
 *
 * @example
 * ```ts
 * import { formatProgress } from '@snnts/core';
 * formatProgress(1, 4, 8, { label: 'epoch 1/1', loss: 0.5 }, 30); // '[==>     ]  25% epoch 1/1 loss 0.500 ETA 0:30'
 * ```
 */
export function formatProgress(done: number, total: number, width: number, fields: ProgressFields, etaSeconds: number | undefined): string {
  const fraction = total > 0 ? done / total : 1;
  const parts = [formatBar(fraction, width), `${String(Math.floor(Math.min(1, fraction) * 100)).padStart(3)}%`];
  if (fields.label) parts.push(fields.label);
  if (fields.loss !== undefined) parts.push(`loss ${fields.loss.toFixed(3)}`);
  if (fields.acc !== undefined) parts.push(`acc ${fields.acc.toFixed(3)}`);
  parts.push(`ETA ${formatDuration(etaSeconds)}`);
  return parts.join(' ');
}

/**
 * A progress bar over `total` steps.
 *
 * @example
 * ```ts
 * import { ProgressBar } from '@snnts/core';
 * const bar = new ProgressBar({ total: 100 });
 * for (let i = 1; i <= 100; i++) bar.update(i, { label: 'epoch 1/1', loss: 0.5, acc: 0.9 });
 * bar.finish();
 * ```
 */
export class ProgressBar {
  readonly total: number;
  private readonly width: number;
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly interval: number;
  private readonly now: () => number;
  private readonly start: number;
  private last = -Infinity;
  private lastLine = '';
  private done = 0;
  private fields: ProgressFields = {};
  private finished = false;

  constructor(options: ProgressOptions) {
    const { total, width = 30, stream = defaultStream(), interval = 10_000, ttyInterval = 100, now = Date.now } = options;
    if (!(Number.isInteger(total) && total > 0)) {
      throw new ConfigError('ProgressBar', 'total', 'a positive integer', String(total));
    }
    this.total = total;
    this.width = width;
    this.stream = stream;
    this.tty = stream.isTTY === true;
    this.interval = this.tty ? ttyInterval : interval;
    this.now = now;
    this.start = now();
  }

  /** The line for the current state. */
  line(): string {
    return formatProgress(this.done, this.total, this.width, this.fields, estimateEta(this.done, this.total, this.now() - this.start));
  }

  /** Records that `done` steps are complete; redraws (TTY) or prints (otherwise) when due. */
  update(done: number, fields: ProgressFields = {}): void {
    this.done = Math.min(done, this.total);
    this.fields = { ...this.fields, ...fields };
    const t = this.now();
    if (this.done < this.total && t - this.last < this.interval) return;
    this.last = t;
    this.render();
  }

  /** Draws the final state and ends the line. Safe to call twice. */
  finish(fields: ProgressFields = {}): void {
    if (this.finished) return;
    this.finished = true;
    this.fields = { ...this.fields, ...fields };
    this.render();
    if (this.tty) this.stream.write('\n');
  }

  private render(): void {
    const line = this.line();
    if (this.tty) {
      this.stream.write(`\r${line}\x1b[K`);
    } else if (line !== this.lastLine) {
      this.stream.write(`${line}\n`);
    }
    this.lastLine = line;
  }
}
