/**
 * In-page runs of the spikingjelly golden neuron cases (test/fixtures/golden/neurons.json) on the
 * active backend: the module in multi-step mode, L = sum(S * G) and its gradients, exactly as
 * packages/nn/test/golden_neurons.test.ts does in Node, plus the charged potential H at every
 * step (so the Node side can tell a spike that flipped because |H - Vth| is at float precision
 * from a real disagreement).
 */
import * as tf from '@tensorflow/tfjs';
import { getSurrogate, ifCharge, lifCharge, plifCharge } from '@snnts/functional';
import { IFNode, LIFNode, ParametricLIFNode, type BaseNode } from '@snnts/nn';
import type { NeuronCase, SjConfig } from '../../test/helpers/fixture_types.js';

/** What one case gives on one backend (flat, row-major `[T, N, F]` unless noted). */
export interface NeuronRun {
  id: string;
  backend: string;
  spikes: number[];
  /** Post-reset potentials V[t]. */
  vSeq: number[];
  /** Final potential `[N, F]`. */
  v: number[];
  /** Charged potentials H[t] = charge(X[t], V[t-1]) before firing. */
  hSeq: number[];
  gradX: number[];
  gradW?: number;
}

function options(c: SjConfig) {
  const sg = c.surrogate_function;
  return {
    vThreshold: c.v_threshold,
    vReset: c.v_reset,
    detachReset: c.detach_reset,
    surrogateFunction: getSurrogate(sg.class, { alpha: sg.alpha, spiking: sg.spiking }),
    ...(c.tau !== undefined ? { tau: c.tau } : {}),
    ...(c.init_tau !== undefined ? { initTau: c.init_tau } : {}),
    ...(c.decay_input !== undefined ? { decayInput: c.decay_input } : {}),
  };
}

function makeNode(c: NeuronCase): BaseNode {
  const o = { ...options(c.config), stepMode: 'm' as const, storeVSeq: true };
  if (c.neuron === 'IFNode') return new IFNode(o);
  if (c.neuron === 'LIFNode') return new LIFNode(o);
  return new ParametricLIFNode(o);
}

/** H[t] from the inputs and the previous post-reset potentials, with the library's charge functions. */
function chargedSeq(c: NeuronCase, node: BaseNode, x: tf.Tensor, vSeq: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const cfg = c.config;
    const v0 = tf.fill(x.shape.slice(1), cfg.v_reset ?? 0);
    const prev = tf.concat([tf.expandDims(v0, 0), tf.slice(vSeq, 0, x.shape[0]! - 1)], 0);
    if (c.neuron === 'IFNode') return ifCharge(x, prev);
    const decay = cfg.decay_input ?? true;
    if (c.neuron === 'LIFNode') return lifCharge(x, prev, cfg.tau ?? 2, decay, cfg.v_reset);
    return plifCharge(x, prev, tf.sigmoid((node as ParametricLIFNode).w), decay, cfg.v_reset);
  });
}

/** Reads a tensor asynchronously (the GPU backends' synchronous read path is a different one). */
async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Runs one case on the active backend. */
export async function runNeuronCase(c: NeuronCase): Promise<NeuronRun> {
  const node = makeNode(c);
  const x = tf.variable(tf.tensor(c.x_seq));
  const G = tf.tensor(c.G);
  let spikes: tf.Tensor | null = null;
  let vSeq: tf.Tensor | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const s = node.forward(x);
    vSeq = tf.keep(node.vSeq!.clone());
    spikes = tf.keep(s.clone());
    return tf.sum(tf.mul(s, G)) as tf.Scalar;
  });
  const h = chargedSeq(c, node, x, vSeq!);
  const run: NeuronRun = {
    id: c.id,
    backend: tf.getBackend(),
    spikes: await read(spikes!),
    vSeq: await read(vSeq!),
    v: await read(node.v as tf.Tensor),
    hSeq: await read(h),
    gradX: await read(grads[x.name]!),
  };
  if (node instanceof ParametricLIFNode) run.gradW = (await read(grads[node.w.name]!))[0]!;
  tf.dispose([value, x, G, h, vSeq!, spikes!, ...Object.values(grads)]);
  node.dispose();
  return run;
}
