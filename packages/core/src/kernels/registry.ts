/**
 * The fused-kernel registry: where optional fast kernels (a whole multi-step neuron recurrence in
 * one kernel, say) are registered per backend, on top of tfjs's own kernel and gradient registries.
 *
 * A fused op is a tfjs kernel name (e.g. `'SnntsNeuronMultiStep'`) with an input/attr contract
 * documented next to the op that uses it. Each backend provides it with `registerFusedKernel`
 * (tfjs `registerKernel` underneath, so a WebGL or WebGPU implementation is a `KernelConfig` with
 * `backendName: 'webgl'` or `'webgpu'`); its gradient is registered once, for all backends, with
 * tfjs `registerGradient` and usually runs a second fused kernel. The op asks `hasFusedKernel` for
 * the active backend and falls back to composing tfjs ops when there is none, or when fused kernels
 * are switched off (`setFusedKernelsEnabled(false)`, or the environment variable `SNNTS_FUSED=0`),
 * which is how the parity tests run both paths.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { getGlobal } from '../global.js';

interface FusedState {
  /** `kernelName` -> backends with a kernel registered through this registry. */
  kernels: Map<string, Set<string>>;
  enabled: boolean;
}

const state = (): FusedState => getGlobal<FusedState>('fusedKernels', () => ({ kernels: new Map(), enabled: envEnabled() }));

function envEnabled(): boolean {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.SNNTS_FUSED?.trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'off');
}

/**
 * Registers (or replaces) the fused kernel `config.kernelName` for `config.backendName`. The config
 * is tfjs's `KernelConfig`: `kernelFunc({ inputs, backend, attrs })` returns the output
 * `TensorInfo`s, written with the backend's own API (typed arrays on `cpu`/`wasm`, shader programs
 * on `webgl`/`webgpu`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerFusedKernel } from '@snnts/core';
 * registerFusedKernel({
 *   kernelName: 'MyDouble',
 *   backendName: 'cpu',
 *   kernelFunc: ({ inputs, backend }) => {
 *     const x = inputs['x']!;
 *     const cpu = backend as unknown as { readSync(id: unknown): Float32Array; makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo };
 *     return cpu.makeTensorInfo(x.shape, 'float32', cpu.readSync(x.dataId).map((v) => 2 * v));
 *   },
 * });
 * ```
 */
export function registerFusedKernel(config: tf.KernelConfig): void {
  const { kernelName, backendName } = config;
  if (!kernelName || !backendName || typeof config.kernelFunc !== 'function') {
    throw new ConfigError('registerFusedKernel', 'config', '{ kernelName, backendName, kernelFunc }', JSON.stringify(Object.keys(config)));
  }
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(config);
  const s = state();
  if (!s.kernels.has(kernelName)) s.kernels.set(kernelName, new Set());
  s.kernels.get(kernelName)!.add(backendName);
}

/**
 * Registers (or replaces) the gradient of a fused kernel, shared by every backend (tfjs
 * `registerGradient`). Its `gradFunc` gets the output gradients (zeros for unused outputs), the
 * tensors named in `inputsToSave` / `outputsToSave`, and the attrs.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerFusedGradient } from '@snnts/core';
 * registerFusedGradient({ kernelName: 'MyDouble', gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 2) }) });
 * ```
 */
export function registerFusedGradient(config: tf.GradConfig): void {
  if (tf.getGradient(config.kernelName)) tf.unregisterGradient(config.kernelName);
  tf.registerGradient(config);
}

/**
 * Whether the fused kernel `kernelName` will run on `backendName` (default: the active tfjs
 * backend): registered there, and fused kernels enabled.
 *
 * @example
 * ```ts
 * import { hasFusedKernel } from '@snnts/core';
 * hasFusedKernel('SnntsNeuronMultiStep'); // true on cpu and wasm once @snnts/functional is imported
 * ```
 */
export function hasFusedKernel(kernelName: string, backendName: string = tf.getBackend()): boolean {
  return state().enabled && tf.getKernel(kernelName, backendName) !== undefined;
}

/**
 * Runs a fused kernel through the tfjs engine (so it is recorded on the gradient tape and in
 * `tf.profile`). Check {@link hasFusedKernel} first.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hasFusedKernel, runFusedKernel } from '@snnts/core';
 * if (hasFusedKernel('MyDouble')) runFusedKernel('MyDouble', { x: tf.ones([2]) }, {});
 * ```
 */
export function runFusedKernel(kernelName: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor | tf.Tensor[] {
  return tf.engine().runKernel(kernelName, inputs, attrs) as tf.Tensor | tf.Tensor[];
}

/**
 * Switches every fused kernel on or off (default on, or off when `SNNTS_FUSED=0`); ops then
 * compose tfjs ops instead. Returns the previous setting.
 *
 * @example
 * ```ts
 * import { setFusedKernelsEnabled } from '@snnts/core';
 * const was = setFusedKernelsEnabled(false); // composed tfjs ops from here on
 * setFusedKernelsEnabled(was);
 * ```
 */
export function setFusedKernelsEnabled(enabled: boolean): boolean {
  const s = state();
  const was = s.enabled;
  s.enabled = enabled;
  return was;
}

/**
 * The fused kernels registered through this registry: kernel name and the backends providing it.
 *
 * @example
 * ```ts
 * import { listFusedKernels } from '@snnts/core';
 * for (const k of listFusedKernels()) console.log(k.kernelName, k.backends.join(', '));
 * ```
 */
export function listFusedKernels(): { kernelName: string; backends: string[] }[] {
  return [...state().kernels.entries()].map(([kernelName, b]) => ({ kernelName, backends: [...b].sort() }));
}

/**
 * Whether a gradient tape is recording (inside `tf.grad`, `tf.variableGrads`, an optimizer's
 * `minimize`): kernels that only save what a backward pass needs (or may take an inference-only
 * path) ask this. `true` when tfjs's engine state cannot be read, the safe answer.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { isRecordingGradients } from '@snnts/core';
 * console.log(isRecordingGradients()); // false
 * tf.grad((x: tf.Tensor) => (console.log(isRecordingGradients()), tf.sum(x)))(tf.ones([2])); // logs true
 * ```
 */
export function isRecordingGradients(): boolean {
  const e = tf.engine() as unknown as { state?: { gradientDepth?: number } };
  return (e.state?.gradientDepth ?? 1) > 0;
}
