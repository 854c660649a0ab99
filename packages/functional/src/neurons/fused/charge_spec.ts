/**
 * Charge specs: a machine-readable description of a charge function, so an op can hand the
 * neuron to a fused kernel. `neuronMultiStep` takes an opaque `ChargeFn`; a charge function
 * tagged with `withChargeSpec` also says what it computes, and untagged ones (a user's own
 * neuron) always run the composed tfjs ops.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ChargeFn } from '../dynamics.js';

/** What a fused neuron kernel needs to know about the charge (`H[t] = f(V[t-1], X[t])`). */
export type ChargeSpec =
  /** IF: `H = V + X`. */
  | { kind: 'if' }
  /** LIF, see `lifCharge`: `vRest` is the resting potential (vReset, or 0 with soft reset). */
  | { kind: 'lif'; tau: number; decayInput: boolean; vRest: number }
  /** PLIF, see `plifCharge`: `1/tau = sigmoid(w)` with the scalar tensor `w` (a gradient reaches it). */
  | { kind: 'plif'; w: tf.Tensor; decayInput: boolean; vRest: number };

const SPEC = Symbol.for('snnts.chargeSpec');

/**
 * A charge function that carries its spec (`charge` itself is not modified).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { withChargeSpec, chargeSpecOf } from '@snnts/functional';
 * const charge = withChargeSpec((x: tf.Tensor, v: tf.Tensor) => tf.add(v, x), { kind: 'if' });
 * chargeSpecOf(charge); // { kind: 'if' }
 * ```
 */
export function withChargeSpec(charge: ChargeFn, spec: ChargeSpec): ChargeFn {
  const tagged: ChargeFn = (x, v) => charge(x, v);
  (tagged as unknown as Record<symbol, ChargeSpec>)[SPEC] = spec;
  return tagged;
}

/**
 * The spec a charge function was tagged with, or `undefined`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { chargeSpecOf } from '@snnts/functional';
 * chargeSpecOf((x: tf.Tensor, v: tf.Tensor) => tf.add(v, x)); // undefined
 * ```
 */
export function chargeSpecOf(charge: ChargeFn): ChargeSpec | undefined {
  return (charge as unknown as Record<symbol, ChargeSpec | undefined>)[SPEC];
}
