// The inference-only neuron loops (neurons/fused/neuron_loops_eval.ts) against the general loop of
// neuron_loops.ts: bit-identical spikes and potentials for IF and LIF (input decay or not), hard
// and soft reset, repeated input, inputs near the threshold; configurations it does not cover are
// declined without writing anything.
import { describe, expect, it } from 'vitest';
import type { NeuronMultiStepAttrs } from '../src/neurons/fused/kernel_contract.js';
import { neuronForward } from '../src/neurons/fused/neuron_loops.js';
import { neuronForwardNoSave } from '../src/neurons/fused/neuron_loops_eval.js';

const base: NeuronMultiStepAttrs = {
  T: 7,
  charge: 'if',
  tau: 1,
  decayInput: false,
  vRest: 0,
  vThreshold: 1,
  softReset: false,
  vReset: 0,
  detachReset: false,
  surrogate: '',
  surrogateParams: '{}',
  repeated: false,
  v0Value: 0,
  saveH: false,
  storeVSeq: false,
};

/** Deterministic inputs in [-0.5, 1.5), with some exactly at the threshold's edge. */
function inputs(n: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return i % 97 === 0 ? 1 : (s / 2 ** 32) * 2 - 0.5;
  });
}

describe('neuronForwardNoSave', () => {
  const M = 5000; // more than one cache block
  it.each([
    ['IF hard', { charge: 'if' }],
    ['IF soft', { charge: 'if', softReset: true }],
    ['IF soft, threshold 0.7, repeated', { charge: 'if', softReset: true, vThreshold: 0.7, repeated: true }],
    ['LIF decayInput hard, vReset -0.1', { charge: 'lif', tau: 2, decayInput: true, vReset: -0.1 }],
    ['LIF no decay soft, vRest 0.2', { charge: 'lif', tau: 20, decayInput: false, vRest: 0.2, softReset: true }],
    ['LIF decay soft, repeated', { charge: 'lif', tau: 3, decayInput: true, softReset: true, repeated: true }],
  ] as [string, Partial<NeuronMultiStepAttrs>][])('%s: bit-identical to the general loop', (_name, over) => {
    const a = { ...base, ...over };
    const x = inputs(a.repeated ? M : a.T * M);
    const v0 = inputs(M).map((q) => q * 0.5);
    const general = { spikes: new Float32Array(a.T * M), v: v0.slice(), h: null, vSeq: null };
    neuronForward(a, x, M, general);
    const spikes = new Float32Array(a.T * M);
    const v = v0.slice();
    expect(neuronForwardNoSave(a, x, M, spikes, v)).toBe(true);
    expect(Buffer.from(spikes.buffer).equals(Buffer.from(general.spikes.buffer))).toBe(true);
    expect(Buffer.from(v.buffer).equals(Buffer.from(general.v.buffer))).toBe(true);
    const rate = general.spikes.reduce((s, q) => s + q, 0) / general.spikes.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.95);
  });

  it('declines PLIF, saved H and stored vSeq without writing', () => {
    for (const over of [{ charge: 'plif' }, { saveH: true }, { storeVSeq: true }] as Partial<NeuronMultiStepAttrs>[]) {
      const spikes = new Float32Array(base.T * 4).fill(7);
      const v = new Float32Array(4).fill(7);
      expect(neuronForwardNoSave({ ...base, ...over }, new Float32Array(base.T * 4), 4, spikes, v)).toBe(false);
      expect([...spikes, ...v].every((q) => q === 7)).toBe(true);
    }
  });
});
