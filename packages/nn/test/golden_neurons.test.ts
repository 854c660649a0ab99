// Parity with spikingjelly: every IF/LIF/PLIF case of test/fixtures/golden/neurons.json on every
// Node backend. Spikes must be identical, potentials within 1e-5, input gradients within 1e-4
// (absolute, or relative for large values), PLIF's grad_w within 1e-4 relative.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { getSurrogate, ifMultiStep, lifMultiStep, plifMultiStep } from '@snnts/functional';
import { IFNode, LIFNode, ParametricLIFNode, type BaseNode } from '@snnts/nn';
import { NODE_BACKENDS, countDifferent, flat, loadGolden, maxAbsError, maxMixedError, values } from '../../../test/helpers/golden.js';
import type { NeuronCase, SjConfig } from '../../../test/helpers/fixture_types.js';

const { cases } = loadGolden<{ cases: NeuronCase[] }>('neurons.json');

/** spikingjelly kwargs -> snnts options (the one place the naming map is applied in tests). */
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

function makeNode(c: NeuronCase, stepMode: 's' | 'm'): BaseNode {
  const o = { ...options(c.config), stepMode, storeVSeq: true };
  if (c.neuron === 'IFNode') return new IFNode(o);
  if (c.neuron === 'LIFNode') return new LIFNode(o);
  return new ParametricLIFNode(o);
}

interface Run {
  spikes: number[];
  vSeq: number[];
  v: number[];
  gradX: number[];
  gradW?: number;
}

/** Multi-step ('m') or looped single-step ('s') run with L = sum(S * G) and its gradients. */
function run(c: NeuronCase, stepMode: 's' | 'm'): Run {
  const node = makeNode(c, stepMode);
  const x = tf.variable(tf.tensor(c.x_seq));
  const G = tf.tensor(c.G);
  let spikes: number[] = [];
  let vSeq: number[] = [];
  const { value, grads } = tf.variableGrads(() => {
    let s: tf.Tensor;
    if (stepMode === 'm') {
      s = node.forward(x);
      vSeq = values(node.vSeq!);
    } else {
      const outs: tf.Tensor[] = [];
      const vs: tf.Tensor[] = [];
      for (const xt of tf.unstack(x)) {
        outs.push(node.forward(xt));
        vs.push((node.v as tf.Tensor).clone());
      }
      s = tf.stack(outs);
      vSeq = values(tf.stack(vs));
    }
    spikes = values(s);
    return tf.sum(tf.mul(s, G)) as tf.Scalar;
  });
  const out: Run = { spikes, vSeq, v: values(node.v as tf.Tensor), gradX: values(grads[x.name]!) };
  if (node instanceof ParametricLIFNode) out.gradW = grads[node.w.name]!.dataSync()[0]!;
  tf.dispose([value, x, G, ...Object.values(grads)]);
  node.dispose();
  return out;
}

function expectMatchesGolden(r: Run, c: NeuronCase): void {
  expect(countDifferent(r.spikes, flat(c.spike_seq)), 'spike_seq differs').toBe(0);
  expect(maxAbsError(r.vSeq, flat(c.v_seq)), 'v_seq').toBeLessThanOrEqual(1e-5);
  expect(maxAbsError(r.v, flat(c.v)), 'final v').toBeLessThanOrEqual(1e-5);
  expect(maxMixedError(r.gradX, flat(c.grad_x_seq)), 'grad_x_seq').toBeLessThanOrEqual(1e-4);
  if (c.grad_w !== undefined) {
    expect(Math.abs(r.gradW! - c.grad_w) / Math.max(Math.abs(c.grad_w), 1e-6), 'grad_w (relative)').toBeLessThanOrEqual(1e-4);
  }
}

describe.each(NODE_BACKENDS)('spikingjelly golden neurons on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('covers IF, LIF and PLIF cases', () => {
    expect(cases.length).toBe(56);
    expect(new Set(cases.map((c) => c.neuron))).toEqual(new Set(['IFNode', 'LIFNode', 'ParametricLIFNode']));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s multi-step matches spikingjelly', (_id, c) => {
    expectMatchesGolden(run(c, 'm'), c);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s single-step looped T times equals multi-step', (_id, c) => {
    const m = run(c, 'm');
    const s = run(c, 's');
    expect(s.spikes).toEqual(m.spikes);
    expect(maxAbsError(s.vSeq, m.vSeq)).toBe(0);
    expect(maxAbsError(s.gradX, m.gradX)).toBeLessThanOrEqual(1e-6);
    if (m.gradW !== undefined) expect(Math.abs(s.gradW! - m.gradW)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(m.gradW)));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s functional multi-step equals the module', (_id, c) => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const o = options(c.config);
      const x = tf.tensor(c.x_seq);
      const v0 = c.config.v_reset ?? 0;
      const r =
        c.neuron === 'IFNode'
          ? ifMultiStep(x, v0, o, { storeVSeq: true })
          : c.neuron === 'LIFNode'
            ? lifMultiStep(x, v0, o, { storeVSeq: true })
            : plifMultiStep(x, v0, tf.scalar(-Math.log(c.config.init_tau! - 1)), o, { storeVSeq: true });
      expect(countDifferent(values(r.spikeSeq), flat(c.spike_seq))).toBe(0);
      expect(maxAbsError(values(r.vSeq!), flat(c.v_seq))).toBeLessThanOrEqual(1e-5);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
