/**
 * Which surrogates a backend's fused neuron kernel can differentiate: a registry by backend name
 * of checks, consulted by the fast path before it commits to the fused kernel. A backend without
 * an entry uses the scalar gradients of the JS kernels (`cpu`, `wasm`); the GPU kernels register
 * a check against the shader expressions. So `neuronMultiStep` never branches on backend names.
 */
import { getGlobal } from '@snnts/core';
import { scalarSurrogateGrad } from './scalar_surrogates.js';

/** Whether a fused kernel can compute the gradient of surrogate `name` with `params`. */
export type SurrogateSupportCheck = (name: string, params: Readonly<Record<string, number>>) => boolean;

const registry = (): Map<string, SurrogateSupportCheck> => getGlobal('fusedSurrogateSupport', () => new Map<string, SurrogateSupportCheck>());

/**
 * Sets how the fused kernel of `backendName` tells which surrogates it supports.
 *
 * @example
 * ```ts
 * import { registerFusedSurrogateSupport } from '@snnts/functional';
 * registerFusedSurrogateSupport('webgl', (name) => name === 'ATan');
 * ```
 */
export function registerFusedSurrogateSupport(backendName: string, check: SurrogateSupportCheck): void {
  registry().set(backendName, check);
}

/**
 * Whether the fused kernel of `backendName` can differentiate surrogate `name` with `params`
 * (default: a scalar gradient is registered, see `registerScalarSurrogateGrad`).
 *
 * @example
 * ```ts
 * import { fusedSurrogateSupported } from '@snnts/functional';
 * fusedSurrogateSupported('cpu', 'Sigmoid', { alpha: 4 }); // true
 * ```
 */
export function fusedSurrogateSupported(backendName: string, name: string, params: Readonly<Record<string, number>>): boolean {
  const check = registry().get(backendName);
  return check ? check(name, params) : scalarSurrogateGrad(name, params) !== undefined;
}
