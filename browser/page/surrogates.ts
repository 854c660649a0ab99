/**
 * In-page runs of the spikingjelly golden surrogate entries (test/fixtures/golden/surrogates.json)
 * on the active backend: heaviside forward, surrogate gradient, and the smooth primitive.
 */
import * as tf from '@tensorflow/tfjs';
import { getSurrogate } from '@snnts/functional';

/** One golden entry (inputs only; the Node side holds the expected values). */
export interface SurrogateEntry {
  class: string;
  params: Record<string, number>;
  x: number[];
  primitive: number[] | null;
}

/** What one entry gives on one backend. */
export interface SurrogateRun {
  label: string;
  backend: string;
  forward: number[];
  grad: number[];
  primitive: number[] | null;
}

/** spikingjelly keyword argument -> snnts option (only T_period is renamed). */
const RENAME: Record<string, string> = { T_period: 'TPeriod' };

/** `Class(k=v, ...)`, the label the Node side uses too. */
export function surrogateLabel(e: Pick<SurrogateEntry, 'class' | 'params'>): string {
  return `${e.class}(${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
}

/** Runs one entry on the active backend (reads back asynchronously). */
export async function runSurrogate(e: SurrogateEntry): Promise<SurrogateRun> {
  const opts = Object.fromEntries(Object.entries(e.params).map(([k, v]) => [RENAME[k] ?? k, v]));
  const sg = getSurrogate(e.class, opts);
  const out = tf.tidy(() => {
    const x = tf.tensor1d(e.x);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(sg.apply(t)))(x);
    return e.primitive === null ? [sg.apply(x), dx] : [sg.apply(x), dx, sg.primitive(x)];
  });
  const [forward, grad, primitive = null] = out;
  const run: SurrogateRun = {
    label: surrogateLabel(e),
    backend: tf.getBackend(),
    forward: Array.from(await forward!.data()),
    grad: Array.from(await grad!.data()),
    primitive: primitive ? Array.from(await primitive.data()) : null,
  };
  tf.dispose(out);
  return run;
}
