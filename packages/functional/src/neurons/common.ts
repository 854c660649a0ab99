/**
 * What every spiking neuron shares: the options (spikingjelly's defaults), `fire` (Heaviside with a
 * surrogate gradient) and `voltageReset`. A neuron's step is always charge -> fire -> reset:
 *
 * - fire: `S[t] = Θ(H[t] - V_th)` with Θ(0) = 1; the backward pass uses the surrogate's gradient.
 * - hard reset (`vReset` a number): `V[t] = S[t] · V_reset + (1 - S[t]) · H[t]`
 * - soft reset (`vReset: null`): `V[t] = H[t] - S[t] · V_th`
 * - `detachReset: true` uses `S[t]` without its gradient in the reset (the spike output keeps it).
 *
 * The initial membrane potential is `vReset`, or 0 for a soft reset.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, assertNumber } from '@snnts/core';
import { SurrogateFunction } from '../surrogate/base.js';
import { Sigmoid } from '../surrogate/sigmoid.js';

/** Options shared by IF, LIF and PLIF neurons (spikingjelly names in camelCase). */
export interface NeuronOptions {
  /** Firing threshold `V_th` (default 1.0). */
  vThreshold?: number;
  /** Reset potential; `null` selects the soft reset (default 0.0). */
  vReset?: number | null;
  /** Surrogate spike function (default `new Sigmoid({ alpha: 4 })`). */
  surrogateFunction?: SurrogateFunction;
  /** Cut the gradient through the reset's use of the spike (default `false`). */
  detachReset?: boolean;
}

/** {@link NeuronOptions} with every default filled in. */
export interface ResolvedNeuronOptions {
  vThreshold: number;
  vReset: number | null;
  surrogateFunction: SurrogateFunction;
  detachReset: boolean;
}

/**
 * spikingjelly's defaults (the default surrogate is `new Sigmoid({ alpha: 4 })`).
 *
 * @example
 * ```ts
 * import { NEURON_DEFAULTS } from '@snnts/functional';
 * console.log(NEURON_DEFAULTS.vThreshold, NEURON_DEFAULTS.vReset); // 1 0
 * ```
 */
export const NEURON_DEFAULTS = { vThreshold: 1.0, vReset: 0.0, detachReset: false } as const;

/**
 * Fills in defaults and validates neuron options; `fn` names the caller in errors.
 *
 * @example
 * ```ts
 * import { resolveNeuronOptions } from '@snnts/functional';
 * const o = resolveNeuronOptions({ vReset: null }, 'myStep'); // vThreshold 1, Sigmoid(alpha=4)
 * ```
 */
export function resolveNeuronOptions(opts: NeuronOptions = {}, fn: string): ResolvedNeuronOptions {
  const vThreshold = opts.vThreshold ?? NEURON_DEFAULTS.vThreshold;
  assertNumber(vThreshold, Number.isFinite, 'a finite number', 'vThreshold', fn);
  const vReset = opts.vReset === undefined ? NEURON_DEFAULTS.vReset : opts.vReset;
  if (vReset !== null) assertNumber(vReset, Number.isFinite, 'a finite number or null (soft reset)', 'vReset', fn);
  const surrogateFunction = opts.surrogateFunction ?? new Sigmoid({ alpha: 4 });
  if (!(surrogateFunction instanceof SurrogateFunction)) {
    throw new ConfigError(fn, 'surrogateFunction', 'a SurrogateFunction (e.g. new ATan())', String(surrogateFunction));
  }
  const detachReset = opts.detachReset ?? NEURON_DEFAULTS.detachReset;
  return { vThreshold, vReset, surrogateFunction, detachReset };
}

/**
 * The potential a neuron starts from and returns to on reset: `vReset`, or 0 for soft reset.
 *
 * @example
 * ```ts
 * import { initialPotential } from '@snnts/functional';
 * initialPotential(null); // 0
 * ```
 */
export function initialPotential(vReset: number | null): number {
  return vReset ?? 0;
}

/**
 * Identity forward, zero gradient (PyTorch's `detach`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { detach } from '@snnts/functional';
 * const g = tf.grad((x: tf.Tensor) => tf.sum(detach(x)))(tf.ones([2])); // [0, 0]
 * ```
 */
export const detach: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: (args[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
})) as (x: tf.Tensor) => tf.Tensor;

/**
 * Spikes from the charged potential: `S = Θ(H - V_th)` with the surrogate's gradient.
 * With `surrogate: null` it is the plain Heaviside step with no gradient (inference).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { fire, ATan } from '@snnts/functional';
 * fire(tf.tensor([0.5, 1.0, 1.5]), 1.0, new ATan()).print(); // [0, 1, 1]
 * ```
 */
export function fire(h: tf.Tensor, vThreshold: number, surrogate: SurrogateFunction | null): tf.Tensor {
  const x = tf.sub(h, vThreshold);
  return surrogate ? surrogate.apply(x) : tf.cast(tf.greaterEqual(x, 0), 'float32');
}

/**
 * Resets the potential after firing (hard when `vReset` is a number, soft when `null`).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { voltageReset } from '@snnts/functional';
 * voltageReset(tf.tensor([1.5, 0.3]), tf.tensor([1, 0]), 1.0, null, false).print(); // [0.5, 0.3]
 * ```
 */
export function voltageReset(h: tf.Tensor, spike: tf.Tensor, vThreshold: number, vReset: number | null, detachReset: boolean): tf.Tensor {
  const s = detachReset ? detach(spike) : spike;
  if (vReset === null) return tf.sub(h, tf.mul(s, vThreshold));
  return tf.add(tf.mul(s, vReset), tf.mul(tf.sub(1, s), h));
}
