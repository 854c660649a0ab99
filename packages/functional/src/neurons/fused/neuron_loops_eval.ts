/**
 * Inference-only forward loops of the fused multi-step neuron kernels on `cpu` and `wasm`: when no
 * gradient tape is recording and `vSeq` is not stored, only spikes and the last potential are
 * written, and IF and LIF each get a loop of their own (one charge expression, no per-element
 * checks for outputs that do not exist). Every float32 operation is rounded exactly as in
 * `neuron_loops.ts` (`Math.fround` at the same places), so the spikes and potentials are
 * bit-identical to the general loop's; on W5's IF layers this loop took about 3.9 ns per
 * neuron-step against 5.5 ns (wasm, 2-core development machine).
 */
import type { NeuronMultiStepAttrs } from './kernel_contract.js';

const f = Math.fround;

/** Neurons per cache block (as in the general loop). */
const BLOCK = 2048;

/**
 * Runs charge -> fire -> reset for T steps writing only `spikes` (`[T, M]`) and `v` (`[M]`: the
 * initial potential on entry, `V[T-1]` on return). Returns `false`, having written nothing, for
 * what it does not cover (PLIF, saved `H`, stored `vSeq`), which the general loop then runs.
 *
 * @internal
 */
export function neuronForwardNoSave(a: NeuronMultiStepAttrs, x: Float32Array, M: number, spikes: Float32Array, v: Float32Array): boolean {
  if (a.saveH || a.storeVSeq || a.charge === 'plif') return false;
  const T = a.T;
  const vth = f(a.vThreshold);
  const vr = f(a.vReset);
  const soft = a.softReset;
  const rep = a.repeated;
  if (a.charge === 'if') {
    for (let b0 = 0; b0 < M; b0 += BLOCK) {
      const b1 = Math.min(M, b0 + BLOCK);
      for (let t = 0; t < T; t++) {
        const o = t * M;
        const xo = rep ? 0 : o;
        for (let i = b0; i < b1; i++) {
          const H = f(v[i]! + x[xo + i]!);
          if (H >= vth) {
            spikes[o + i] = 1;
            v[i] = soft ? f(H - vth) : vr;
          } else {
            spikes[o + i] = 0;
            v[i] = H;
          }
        }
      }
    }
    return true;
  }
  const rest = f(a.vRest);
  const tau = f(a.tau);
  const decay = a.decayInput;
  for (let b0 = 0; b0 < M; b0 += BLOCK) {
    const b1 = Math.min(M, b0 + BLOCK);
    for (let t = 0; t < T; t++) {
      const o = t * M;
      const xo = rep ? 0 : o;
      for (let i = b0; i < b1; i++) {
        const vi = v[i]!;
        const xi = x[xo + i]!;
        const H = decay ? f(vi + f(f(xi - f(vi - rest)) / tau)) : f(f(vi - f(f(vi - rest) / tau)) + xi);
        if (H >= vth) {
          spikes[o + i] = 1;
          v[i] = soft ? f(H - vth) : vr;
        } else {
          spikes[o + i] = 0;
          v[i] = H;
        }
      }
    }
  }
  return true;
}
