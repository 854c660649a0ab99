/**
 * The fused multi-step neuron recurrence over plain `Float32Array`s, forward and backward, for the
 * backends whose data JavaScript can read directly (`cpu`, `wasm`). `M` neurons, `T` steps, data in
 * `[T, M]` row-major order. Every float32 operation of the composed path is rounded the same way
 * (`Math.fround`), so the forward pass matches it exactly. PLIF (`charge: 'plif'`) uses `k =
 * sigmoid(w)` (the `k` argument) in place of `1/tau`, and its backward pass also returns `dL/dk`.
 */
import type { NeuronMultiStepAttrs } from './kernel_contract.js';
import { scalarSurrogateGrad } from './scalar_surrogates.js';

const f = Math.fround;

/** Output buffers of {@link neuronForward}. */
export interface ForwardBuffers {
  /** `[T, M]` spikes. */
  spikes: Float32Array;
  /** `[M]`: the initial potential on entry, `V[T-1]` on return. */
  v: Float32Array;
  /** `[T, M]` charged potentials, or `null`. */
  h: Float32Array | null;
  /** `[T, M]` post-reset potentials, or `null`. */
  vSeq: Float32Array | null;
}

/**
 * Runs charge -> fire -> reset for T steps. `x` is `[T, M]`, or `[M]` when `a.repeated`.
 *
 * @internal
 */
export function neuronForward(a: NeuronMultiStepAttrs, x: Float32Array, M: number, out: ForwardBuffers, k = 0): void {
  const { spikes, v, h, vSeq } = out;
  const T = a.T;
  const vth = f(a.vThreshold);
  const vr = f(a.vReset);
  const rest = f(a.vRest);
  const tau = f(a.tau);
  const isIF = a.charge === 'if';
  const isPLIF = a.charge === 'plif';
  const kf = f(k);
  const decay = a.decayInput;
  const soft = a.softReset;
  // Blocks of neurons run through all T steps while their state stays in cache.
  for (let b0 = 0; b0 < M; b0 += BLOCK) {
    const b1 = Math.min(M, b0 + BLOCK);
    for (let t = 0; t < T; t++) {
      const o = t * M;
      const xo = a.repeated ? 0 : o;
      for (let i = b0; i < b1; i++) {
        const vi = v[i]!;
        const xi = x[xo + i]!;
        const H = isIF
          ? f(vi + xi)
          : isPLIF
            ? decay
              ? f(vi + f(f(xi - f(vi - rest)) * kf))
              : f(f(vi - f(f(vi - rest) * kf)) + xi)
            : decay
              ? f(vi + f(f(xi - f(vi - rest)) / tau))
              : f(f(vi - f(f(vi - rest) / tau)) + xi);
        const fired = H >= vth;
        spikes[o + i] = fired ? 1 : 0;
        if (h !== null) h[o + i] = H;
        const vn = fired ? (soft ? f(H - vth) : vr) : H;
        v[i] = vn;
        if (vSeq !== null) vSeq[o + i] = vn;
      }
    }
  }
}

/** Neurons per cache block (state, input frame and carries of a block stay in L1/L2). */
const BLOCK = 2048;

/** Buffers of {@link neuronBackward}. */
export interface BackwardBuffers {
  /** `[T, M]` gradient of the spikes. */
  dSpike: Float32Array;
  /** `[T, M]` gradient of the post-reset potentials, or `null`. */
  dVSeq: Float32Array | null;
  /** `[T, M]` charged potentials saved by the forward pass. */
  h: Float32Array;
  /** Output, `[T, M]` (or `[M]`, zero-filled, when `repeated`). */
  dx: Float32Array;
  /** `[M]`: gradient of `V[T-1]` on entry, of the initial potential on return. */
  dv: Float32Array;
  /** PLIF only: the input (`[T, M]`, or `[M]` when `repeated`), to form `dH/dk`. */
  x?: Float32Array;
  /** PLIF only: the initial potential `[M]`. */
  v0?: Float32Array;
}

/**
 * Backpropagates through the recurrence (BPTT), from step T-1 down to 0. Returns `dL/dk` for PLIF
 * (`k = 1/tau`; 0 otherwise), summed in float64.
 *
 * @internal
 */
export function neuronBackward(a: NeuronMultiStepAttrs, M: number, b: BackwardBuffers, k = 0): number {
  // No surrogate (eval mode): the spike is a plain step with zero gradient, as in the composed ops.
  const sg = a.surrogate === '' ? () => 0 : scalarSurrogateGrad(a.surrogate, JSON.parse(a.surrogateParams) as Record<string, number>);
  if (!sg) throw new Error(`${a.surrogate}: no scalar surrogate gradient registered`);
  const { dSpike, dVSeq, h, dx, dv } = b;
  const T = a.T;
  const vth = f(a.vThreshold);
  const vr = f(a.vReset);
  const tau = f(a.tau);
  const isIF = a.charge === 'if';
  const isPLIF = a.charge === 'plif';
  const kf = f(k);
  const rate = isPLIF ? kf : 1 / tau;
  const dHdX = isIF || !a.decayInput ? 1 : rate;
  const dHdV = isIF ? 1 : 1 - rate;
  const soft = a.softReset;
  const detach = a.detachReset;
  const rest = f(a.vRest);
  const { x, v0 } = b;
  if (isPLIF && (!x || !v0)) throw new Error(`neuronBackward: PLIF needs the input and the initial potential`);
  let dk = 0;
  // Blocks of neurons run back through all T steps while their carries stay in cache.
  for (let b0 = 0; b0 < M; b0 += BLOCK) {
    const b1 = Math.min(M, b0 + BLOCK);
    for (let t = T - 1; t >= 0; t--) {
      const o = t * M;
      const xo = a.repeated ? 0 : o;
      for (let i = b0; i < b1; i++) {
        const H = h[o + i]!;
        const z = f(H - vth);
        const g = sg(z);
        const gV = dVSeq !== null ? dv[i]! + dVSeq[o + i]! : dv[i]!;
        const dVdH = soft ? (detach ? 1 : 1 - vth * g) : (z >= 0 ? 0 : 1) + (detach ? 0 : g * (vr - H));
        const gH = dSpike[o + i]! * g + gV * dVdH;
        if (a.repeated) dx[i] = dx[i]! + gH * dHdX;
        else dx[xo + i] = gH * dHdX;
        dv[i] = gH * dHdV;
        if (isPLIF) {
          // dH/dk = X - (V[t-1] - rest) (decayInput) or -(V[t-1] - rest), V[t-1] rebuilt from H[t-1].
          const vPrev = t === 0 ? v0![i]! : resetOf(h[o - M + i]!, vth, vr, soft);
          dk += gH * (a.decayInput ? x![xo + i]! - (vPrev - rest) : rest - vPrev);
        }
      }
    }
  }
  return dk;
}

/** The post-reset potential after charging to `H` (as in {@link neuronForward}). */
function resetOf(H: number, vth: number, vr: number, soft: boolean): number {
  return H >= vth ? (soft ? f(H - vth) : vr) : H;
}
