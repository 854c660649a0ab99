/**
 * Time-chunked inference for `Sequential` in multi-step mode: without a gradient tape, with every
 * module in eval mode, a chain of time-local modules (stateless per-frame layers and spiking
 * neurons whose state carries from one call to the next) gives the same output when the sequence
 * is fed in consecutive chunks of time steps. So a long `[T, N, ...]` inference runs chunk by
 * chunk, and the `[T·N, ...]` activations of every layer never exist at once (peak memory follows
 * the chunk, not T). A sequence made by `repeatOverTime` first runs its time-invariant leading
 * layers once on the frame (never materialised over T), and each chunk repeats their output.
 *
 * Exactness: every element sees the same float32 operations as in one call. What a split call
 * would change is kept whole: nothing is chunked under a gradient tape, in training mode, when a
 * module has forward hooks (monitors see one call), when a neuron stores `vSeq`, or when a module
 * is not known to be time-local (register one with {@link registerTimeLocal}).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, Module, getGlobal, isRecordingGradients } from '@snnts/core';
import { repeatOverTime, repeatedFrame } from '@snnts/functional';
import { BaseNode } from '../neurons/base_node.js';
import { isTimeInvariant, runHoisted, type TimeInvariancePredicate } from './time_invariant.js';

interface ChunkState {
  /** Largest number of elements per chunk of the sequence entering the chunked layers; 0: off. */
  budget: number;
  /** `className` -> predicate of modules that may see a sequence in time chunks. */
  local: Map<string, TimeInvariancePredicate>;
}

/** Default budget: 4M float32 elements (16 MB) per chunk input. */
const DEFAULT_BUDGET = 1 << 22;
const CONTAINERS = new Set(['Sequential', 'SeqToANNContainer', 'MultiStepContainer']);

const state = (): ChunkState =>
  getGlobal('timeChunking', () => ({ budget: envBudget(), local: new Map<string, TimeInvariancePredicate>([['Dropout', () => true], ['Dropout2d', () => true]]) }));

function envBudget(): number {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.SNNTS_TIME_CHUNK?.trim();
  if (v === undefined || v === '') return DEFAULT_BUDGET;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : DEFAULT_BUDGET;
}

/**
 * Sets how large (in elements) one time chunk of the sequence entering the chunked layers may be;
 * `0` switches time-chunked inference off. Returns the previous value. Default `4194304` (16 MB
 * of float32), or the environment variable `SNNTS_TIME_CHUNK`.
 *
 * @example
 * ```ts
 * import { setTimeChunkBudget } from '@snnts/nn';
 * const was = setTimeChunkBudget(0); // inference runs every layer on all T steps at once
 * setTimeChunkBudget(was);
 * ```
 */
export function setTimeChunkBudget(elements: number): number {
  if (!Number.isInteger(elements) || elements < 0) {
    throw new ConfigError('setTimeChunkBudget', 'elements', 'an integer >= 0 (0 switches chunking off)', String(elements));
  }
  const s = state();
  const was = s.budget;
  s.budget = elements;
  return was;
}

/**
 * Declares the module class named `className` time-local (optionally only when `predicate` holds):
 * in eval mode, feeding it a sequence in consecutive time chunks gives the chunks of its output on
 * the whole sequence. Time-invariant layers (see `registerTimeInvariant`) need not register.
 *
 * @example
 * ```ts
 * import { registerTimeLocal } from '@snnts/nn';
 * registerTimeLocal('MyCausalNode');
 * ```
 */
export function registerTimeLocal(className: string, predicate: TimeInvariancePredicate = () => true): void {
  state().local.set(className, predicate);
}

/**
 * Whether `m` (in its current mode) may see a multi-step sequence in time chunks: in eval mode,
 * without forward hooks, and a time-invariant layer, a registered time-local module, a spiking
 * neuron in `'m'` mode that does not store `vSeq`, or a container of such modules.
 *
 * @example
 * ```ts
 * import { LIFNode, Linear, SeqToANNContainer, Sequential, isTimeLocal } from '@snnts/nn';
 * const net = new Sequential(new SeqToANNContainer(new Linear(4, 2)), new LIFNode({ stepMode: 'm' }));
 * net.eval();
 * console.log(isTimeLocal(net)); // true
 * ```
 */
export function isTimeLocal(m: Module, inMultiStepContainer = false): boolean {
  if (m.training || m.hasForwardHooks) return false;
  if (m instanceof BaseNode) return !m.storeVSeq && (m.stepMode === 'm' || inMultiStepContainer);
  const p = state().local.get(m.className);
  if (p) return p(m);
  if (CONTAINERS.has(m.className)) return m.children().every((c) => isTimeLocal(c, m.className === 'MultiStepContainer'));
  return isTimeInvariant(m);
}

/**
 * The chunk lengths for `T` steps of `stepElements` each under `budget`, as equal as possible, or
 * `null` when the whole sequence fits.
 *
 * @internal
 * @example
 * ```ts
 * import { timeChunkLengths } from '@snnts/nn';
 * console.log(timeChunkLengths(25, 1_000_000, 4_000_000)); // [4, 4, 4, 4, 3, 3, 3]
 * ```
 */
export function timeChunkLengths(T: number, stepElements: number, budget: number): number[] | null {
  if (budget <= 0 || T <= 1 || T * stepElements <= budget) return null;
  const per = Math.max(1, Math.floor(budget / Math.max(1, stepElements)));
  const n = Math.ceil(T / per);
  const base = Math.floor(T / n);
  return Array.from({ length: n }, (_, i) => base + (i < T % n ? 1 : 0));
}

/** Runs a time-invariant module on one frame `[N, ...]` (as a one-step sequence). */
function onFrame(m: Module, frame: tf.Tensor, T: number): tf.Tensor {
  const y = runHoisted(T, () => m.forward(tf.expandDims(frame, 0)));
  return tf.reshape(y, y.shape.slice(1));
}

/**
 * Runs `layers` in order on the multi-step sequence `xSeq` in time chunks (see the file header),
 * or returns `null` when the call must run whole (training, a gradient tape, hooks, a module not
 * known to be time-local, chunking off) and nothing was computed.
 *
 * @internal
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { LIFNode, chunkedOverTime } from '@snnts/nn';
 * const lif = new LIFNode({ stepMode: 'm' });
 * lif.eval();
 * const y = chunkedOverTime([lif], tf.ones([64, 256, 1024])); // eight [8, 256, 1024] chunks
 * ```
 */
export function chunkedOverTime(layers: readonly Module[], xSeq: tf.Tensor): tf.Tensor | null {
  const budget = state().budget;
  if (budget <= 0 || xSeq.rank < 3 || layers.length === 0 || isRecordingGradients()) return null;
  if (!layers.every((m) => isTimeLocal(m))) return null;
  const T = xSeq.shape[0]!;
  // Nested Sequentials are their children in order: flattened, a prefix inside one is hoisted too.
  layers = flatten(layers);
  const rep = repeatedFrame(xSeq);
  let frame = rep?.frame ?? null;
  let first = 0;
  if (frame !== null) {
    while (first < layers.length && frame.rank >= 2 && isTimeInvariant(layers[first]!)) frame = onFrame(layers[first++]!, frame, T);
  }
  const stepElements = frame !== null ? frame.size : xSeq.size / T;
  const lengths = timeChunkLengths(T, stepElements, budget);
  const rest = layers.slice(first);
  const run = (x: tf.Tensor) => rest.reduce((h, m) => m.forward(h), x);
  if (lengths === null || rest.length === 0) {
    if (first === 0) return null;
    return run(repeatOverTime(frame!, T));
  }
  const outs: tf.Tensor[] = [];
  // A repeated frame is materialised once per distinct chunk length (at most two), not per chunk.
  const repeated = new Map<number, tf.Tensor>();
  const repeatedOf = (len: number): tf.Tensor => {
    if (!repeated.has(len)) repeated.set(len, repeatOverTime(frame!, len));
    return repeated.get(len)!;
  };
  let t0 = 0;
  for (const len of lengths) {
    const start = t0;
    const x = frame !== null ? repeatedOf(len) : null;
    outs.push(tf.tidy(() => run(x ?? tf.slice(xSeq, start, len))));
    t0 += len;
  }
  // (A chunk's output may be its input itself, e.g. through eval-mode Dropout: keep those.)
  tf.dispose([...repeated.values()].filter((t) => !outs.includes(t)));
  return tf.concat(outs, 0);
}

/** `layers` with every nested `Sequential` replaced by its children, recursively. */
function flatten(layers: readonly Module[]): Module[] {
  return layers.flatMap((m) => (m.className === 'Sequential' ? flatten(m.children()) : [m]));
}
