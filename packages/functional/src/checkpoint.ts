/**
 * Time-chunked gradient checkpointing for BPTT: `checkpointOverTime(net, xSeq, chunk)` runs a
 * multi-step network on `[T, N, ...]` one chunk of time steps at a time, each chunk as one custom
 * op that keeps only its input and the membrane state at its start. The backward pass re-runs each
 * chunk's forward to rebuild what it needs, so the tape holds about `chunk` steps of activations at
 * once (plus one state per chunk) instead of all T: memory stops growing linearly in T, for about
 * one more forward pass of compute.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, MemoryModule, Module, assertPositiveInt, assertRank } from '@snnts/core';

/** A memory of one stateful module. */
type Slot = [MemoryModule, string];

/** Writes a state tensor (`setMemory` keeps the new value and disposes the old one). */
function writeMemory([m, name]: Slot, value: tf.Tensor): void {
  m.setMemory(name, value);
}

/** Restores every slot to `states[i]`: a tensor (cloned, so the module may dispose it) or its reset number. */
function restore(slots: Slot[], states: (tf.Tensor | number)[]): void {
  const numeric = new Set(slots.filter((_, i) => typeof states[i] === 'number').map(([m]) => m));
  for (const m of numeric) m.reset();
  slots.forEach((s, i) => {
    const v = states[i]!;
    if (v instanceof tf.Tensor) writeMemory(s, tf.clone(v));
  });
}

/**
 * Runs the multi-step network `net` (every stateful module in `'m'` mode) on `xSeq` (`[T, N, ...]`)
 * in chunks of `chunk` time steps with gradient checkpointing (see the file header). Forward values
 * and gradients (of the input, the initial state and every trainable parameter) equal those of
 * `net.forward(xSeq)`; the state after the last step is left in `net` as usual.
 *
 * Each chunk's forward runs twice when a gradient is taken, so layers that change state as a side
 * effect of a training forward (BatchNorm running statistics, fresh dropout masks) see one extra
 * call per chunk: use it with networks whose only state is in their neurons, or in eval mode for
 * those layers.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { checkpointOverTime, resetNet, setStepMode } from '@snnts/functional';
 * import { LIFNode, Linear, SeqToANNContainer, Sequential } from '@snnts/nn';
 * const net = new Sequential(new SeqToANNContainer(new Linear(4, 8)), new LIFNode(), new SeqToANNContainer(new Linear(8, 2)), new LIFNode());
 * setStepMode(net, 'm');
 * const x = tf.randomUniform([32, 3, 4], 0, 2);
 * const { grads } = tf.variableGrads(() => tf.sum(checkpointOverTime(net, x, 8)) as tf.Scalar);
 * resetNet(net);
 * ```
 */
export function checkpointOverTime(net: Module, xSeq: tf.Tensor, chunk: number): tf.Tensor {
  const fn = 'checkpointOverTime';
  if (!(net instanceof Module)) throw new ConfigError(fn, 'net', 'a Module', String(net));
  if (!(xSeq instanceof tf.Tensor)) throw new ConfigError(fn, 'xSeq', 'a tf.Tensor [T, N, ...]', String(xSeq));
  assertRank(xSeq, [2, 3, 4, 5, 6], 'xSeq', fn, 'Multi-step input is [T, N, ...].');
  assertPositiveInt(chunk, 'chunk', fn);
  const slots: Slot[] = net.modules().flatMap((m) => (m instanceof MemoryModule ? m.memoryNames().map((n): Slot => [m, n]) : []));
  const params = net.parameters().filter((p) => p.trainable);
  const T = xSeq.shape[0]!;
  return tf.tidy(() => {
    // One split (its gradient saves nothing), not a slice per chunk: each taped slice would save a
    // copy of the whole input, making memory quadratic in T.
    const sizes = Array.from({ length: Math.ceil(T / chunk) }, (_, i) => Math.min(chunk, T - i * chunk));
    const parts = sizes.length === 1 ? [xSeq] : tf.split(xSeq, sizes, 0); // (SplitV's gradient fails on one part)
    const outs = parts.map((xc) => runChunk(net, slots, params, xc, fn));
    return outs.length === 1 ? outs[0]! : tf.concat(outs, 0);
  });
}

/**
 * `tf.grads` run inside a gradient function. At gradient depth 0 tfjs's `gradients` ends by
 * dropping `engine.state.activeTape`, which the outer backward pass still needs afterwards, so it
 * is put back (the nested call had replaced it with its own tape first).
 */
function nestedGrads(f: (...a: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[]): tf.Tensor[] {
  const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
  const tape = state.activeTape;
  try {
    return tf.grads(f)(xs);
  } finally {
    state.activeTape = tape;
  }
}

/** One chunk as a custom op: inputs `xc`, the tensor states at its start, the parameters. */
function runChunk(net: Module, slots: Slot[], params: tf.Variable[], xc: tf.Tensor, fn: string): tf.Tensor {
  const start = slots.map(([m, n]) => m.getMemory(n));
  const stateIdx = start.flatMap((v, i) => (v instanceof tf.Tensor ? [i] : []));
  const nS = stateIdx.length;
  let yShape: number[] = [];
  let endShapes: number[][] = [];
  /** `net.forward(x)` from `states`, flattened with the end states into one tensor. */
  const forward = (x: tf.Tensor, states: tf.Tensor[]) => {
    const init = start.slice();
    stateIdx.forEach((i, j) => (init[i] = states[j]!));
    restore(slots, init);
    const y = net.forward(x);
    const end = slots.map(([m, n]) => m.getMemory(n));
    const bad = end.findIndex((v) => !(v instanceof tf.Tensor));
    if (bad >= 0) throw new ConfigError(fn, 'net', 'stateful modules whose memories are tensors after a step', `'${slots[bad]![1]}' of ${slots[bad]![0].className} is a number`);
    yShape = y.shape;
    endShapes = (end as tf.Tensor[]).map((e) => e.shape);
    return tf.concat([y, ...(end as tf.Tensor[])].map((t) => tf.reshape(t, [-1])));
  };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const inputs = args as tf.Tensor[];
    const [x, ...rest] = inputs;
    const states = rest.slice(0, nS);
    save([x!, ...states]);
    const value = forward(x!, states);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, ...sStates] = saved;
      // The recomputation replaces the module states; put copies of the current ones back after it.
      const after = slots.map(([m, n]) => m.getMemory(n)).map((v) => (v instanceof tf.Tensor ? tf.keep(tf.clone(v)) : v));
      const f = (...a: tf.Tensor[]) => tf.sum(tf.mul(forward(a[0]!, a.slice(1, 1 + nS)), dy)) as tf.Scalar;
      const grads = nestedGrads(f, [sx!, ...sStates, ...params]);
      restore(slots, after);
      tf.dispose(after.filter((v): v is tf.Tensor => v instanceof tf.Tensor));
      return grads;
    };
    return { value, gradFunc };
  });
  const flat = op(xc, ...stateIdx.map((i) => start[i] as tf.Tensor), ...params);
  const sizes = [yShape, ...endShapes].map((s) => tf.util.sizeFromShape(s));
  const parts = tf.split(flat, sizes);
  slots.forEach((s, i) => writeMemory(s, tf.reshape(parts[i + 1]!, endShapes[i]!)));
  return tf.reshape(parts[0]!, yShape);
}
