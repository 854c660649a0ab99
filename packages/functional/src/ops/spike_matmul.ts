/**
 * `spikeMatMul(a, b)`: `a · b` for `a` `[M, K]` and `b` `[K, N]` that is event-driven when `a`
 * holds spikes. Where every value of `a` is 0 or 1 and few are 1, row `m` of the product is the
 * sum of the rows `b[k, :]` with `a[m, k] = 1` (about `density·M·K·N` adds instead of `2·M·K·N`
 * flops), and the gradient of `b`, `aᵀ · dy`, sums the rows `dy[m, :]` with `a[m, k] = 1` into row
 * `k`. The gradient of `a`, `dy · bᵀ`, stays a dense matmul.
 *
 * On `cpu` and `wasm` both products are fused kernels (`spike_matmul_kernels.ts`) that scan `a`
 * first and decide from the data: event-driven when it is binary and at most `maxDensity` of it is
 * 1, else the backend's own `BatchMatMul` (XNNPACK on wasm). The density limits (per backend, wasm
 * thread count and `N`) come from `bench/src/event_driven.ts` (see bench/README.md). Elsewhere
 * (webgl, webgpu, fused kernels switched off, `SNNTS_EVENT_DRIVEN=0`) it is `tf.matMul`.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, assertRank, getGlobal, hasFusedKernel, runFusedKernel, wasmThreadsStatus } from '@snnts/core';

/**
 * Kernel name of the event-driven product: inputs `a` `[M, K]` and `b` `[K, N]` (float32); attr
 * `maxDensity` (the largest fraction of ones in `a` for which the event-driven loop runs; 0 or
 * less: always dense); output `a · b` `[M, N]`.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { SPIKE_MATMUL } from '@snnts/functional';
 * console.log(hasFusedKernel(SPIKE_MATMUL, 'wasm')); // true
 * ```
 */
export const SPIKE_MATMUL = 'SnntsSpikeMatMul';

/**
 * Kernel name of the gradient of `b`: inputs `a` `[M, K]` and `dy` `[M, N]`, attr `maxDensity`
 * (as for {@link SPIKE_MATMUL}); output `aᵀ · dy` `[K, N]`.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * import { SPIKE_MATMUL_GRAD_B } from '@snnts/functional';
 * console.log(hasFusedKernel(SPIKE_MATMUL_GRAD_B, 'cpu')); // true
 * ```
 */
export const SPIKE_MATMUL_GRAD_B = 'SnntsSpikeMatMulGradB';

/**
 * How {@link spikeMatMul} dispatches: `'auto'` (by the measured density limits), `'event'`
 * (event-driven whenever `a` is binary), `'dense'` (the fused kernel's dense branch always), or
 * `'off'` (plain `tf.matMul`, as with `SNNTS_EVENT_DRIVEN=0`).
 *
 * @internal
 */
export type SpikeMatMulMode = 'auto' | 'event' | 'dense' | 'off';

/**
 * Which branch each kernel took since the last {@link resetSpikeMatMulStats}: forward and
 * `b`-gradient calls that ran event-driven or dense, and the ones (`events`) accumulated.
 *
 * @internal
 */
export interface SpikeMatMulStats {
  forwardEvent: number;
  forwardDense: number;
  gradEvent: number;
  gradDense: number;
  /** Ones of `a` seen by the event-driven calls (forward and gradient). */
  events: number;
}

interface SpikeMatMulState {
  mode: SpikeMatMulMode;
  stats: SpikeMatMulStats;
}

const zeroStats = (): SpikeMatMulStats => ({ forwardEvent: 0, forwardDense: 0, gradEvent: 0, gradDense: 0, events: 0 });

function envMode(): SpikeMatMulMode {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.['SNNTS_EVENT_DRIVEN']?.trim().toLowerCase();
  return v === '0' || v === 'false' || v === 'off' ? 'off' : 'auto';
}

const state = (): SpikeMatMulState => getGlobal<SpikeMatMulState>('spikeMatMul', () => ({ mode: envMode(), stats: zeroStats() }));

/**
 * Counters of the branches taken by the `SnntsSpikeMatMul*` kernels (a copy).
 *
 * @internal
 * @example
 * ```ts
 * import { resetSpikeMatMulStats, spikeMatMulStats } from '@snnts/functional';
 * resetSpikeMatMulStats();
 * console.log(spikeMatMulStats().forwardEvent); // 0
 * ```
 */
export function spikeMatMulStats(): SpikeMatMulStats {
  return { ...state().stats };
}

/**
 * Zeroes the counters of {@link spikeMatMulStats}.
 *
 * @internal
 * @example
 * ```ts
 * import { resetSpikeMatMulStats } from '@snnts/functional';
 * resetSpikeMatMulStats();
 * ```
 */
export function resetSpikeMatMulStats(): void {
  state().stats = zeroStats();
}

/**
 * The kernels' hook to count a branch (`events`: the ones accumulated, 0 for the dense branch).
 *
 * @internal
 * @example
 * ```ts
 * import { countSpikeMatMul, spikeMatMulStats } from '@snnts/functional';
 * countSpikeMatMul('forward', true, 12);
 * console.log(spikeMatMulStats().events >= 12); // true
 * ```
 */
export function countSpikeMatMul(kind: 'forward' | 'grad', event: boolean, events: number): void {
  const s = state().stats;
  if (kind === 'forward') s[event ? 'forwardEvent' : 'forwardDense']++;
  else s[event ? 'gradEvent' : 'gradDense']++;
  s.events += events;
}

/**
 * Sets how {@link spikeMatMul} dispatches (for benchmarks and tests); returns the previous mode.
 *
 * @internal
 * @example
 * ```ts
 * import { setSpikeMatMulMode } from '@snnts/functional';
 * const was = setSpikeMatMulMode('dense');
 * setSpikeMatMulMode(was);
 * ```
 */
export function setSpikeMatMulMode(mode: SpikeMatMulMode): SpikeMatMulMode {
  const s = state();
  const was = s.mode;
  s.mode = mode;
  return was;
}

/** `[N below which, density limit]` rows, first match wins. */
type Limits = readonly (readonly [number, number])[];

/**
 * The density limits, from the medians of `bench/src/event_driven.ts` (bench/README.md), a little
 * below each measured crossover. On wasm the event-driven loop does about `density·K·N` adds per
 * row after a `K`-element scan, XNNPACK `2·K·N` flops at a rate that grows with `N` and with its
 * threads, so the crossover depends on `N` (out features) and the thread count, hardly on `M` or
 * `K`. Below `N = 64` the forward scan alone costs about as much as XNNPACK's product, while the
 * dense `b`-gradient (a transpose of `a`, then a product with a long inner axis) stays slow, so
 * the gradient's limits are higher. `wasmThreaded` applies when the threaded binary runs with more
 * than one thread. tfjs's cpu matmul is a scalar JS loop, 3-60x slower than the event loop at every
 * density measured (0.5-50%), so on cpu every binary input goes event-driven.
 */
const LIMITS: Record<'cpu' | 'wasm' | 'wasmThreaded', Record<'forward' | 'grad', Limits>> = {
  cpu: { forward: [[Infinity, 1]], grad: [[Infinity, 1]] },
  wasm: {
    forward: [[64, 0], [192, 0.04], [512, 0.05], [Infinity, 0.06]],
    grad: [[64, 0.08], [192, 0.1], [Infinity, 0.07]],
  },
  wasmThreaded: {
    forward: [[64, 0], [192, 0.005], [512, 0.02], [Infinity, 0.03]],
    grad: [[64, 0.06], [192, 0.07], [Infinity, 0.035]],
  },
};

/** Which row of {@link LIMITS} applies to `backendName` (none: the kernels exist on cpu and wasm only). */
function limitsOf(backendName: string): Record<'forward' | 'grad', Limits> | null {
  if (backendName === 'cpu') return LIMITS.cpu;
  if (backendName !== 'wasm') return null;
  const t = wasmThreadsStatus();
  return t.threaded && t.requested > 1 ? LIMITS.wasmThreaded : LIMITS.wasm;
}

/**
 * The largest density of ones in `a` for which the kernels run event-driven, for `N` output
 * columns on `backendName` (default: the active backend), under the current mode.
 *
 * @internal
 * @example
 * ```ts
 * import { spikeMatMulMaxDensity } from '@snnts/functional';
 * console.log(spikeMatMulMaxDensity('forward', 1024, 'cpu')); // 1: always, for binary input
 * ```
 */
export function spikeMatMulMaxDensity(kind: 'forward' | 'grad', N: number, backendName: string = tf.getBackend()): number {
  const mode = state().mode;
  if (mode === 'event') return 1;
  if (mode === 'dense' || mode === 'off') return 0;
  for (const [below, limit] of limitsOf(backendName)?.[kind] ?? []) if (N < below) return limit;
  return 0;
}

/** Whether the fused kernel runs for these operands on the active backend. */
function fused(a: tf.Tensor, b: tf.Tensor): boolean {
  return state().mode !== 'off' && a.dtype === 'float32' && b.dtype === 'float32' && hasFusedKernel(SPIKE_MATMUL);
}

/**
 * `a · b` (`[M, K] · [K, N]`), event-driven on cpu and wasm when `a` is sparse and binary (spikes),
 * else `tf.matMul`. Same values (to float32 rounding) and gradients as `tf.matMul(a, b)`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { spikeMatMul } from '@snnts/functional';
 * const spikes = tf.tensor2d([[0, 1, 0], [0, 0, 0]]);
 * spikeMatMul(spikes, tf.tensor2d([[1, 2], [3, 4], [5, 6]])).print(); // [[3, 4], [0, 0]]
 * ```
 */
export function spikeMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const fn = 'spikeMatMul';
  assertRank(a, [2], 'a', fn);
  assertRank(b, [2], 'b', fn);
  if (a.shape[1] !== b.shape[0]) throw new ShapeError(fn, 'b', `shape [${a.shape[1]}, N] (rows = columns of a)`, `shape [${b.shape.join(', ')}]`);
  if (!fused(a, b)) return tf.matMul(a, b);
  return runFusedKernel(SPIKE_MATMUL, { a, b }, { maxDensity: spikeMatMulMaxDensity('forward', b.shape[1]!) }) as tf.Tensor2D;
}
