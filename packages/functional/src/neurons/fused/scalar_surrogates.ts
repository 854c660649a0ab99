/**
 * Scalar surrogate gradients for the fused kernels that run in JavaScript (`cpu`, `wasm`): the same
 * `grad(x)` as each `SurrogateFunction`, one number at a time. A registry by surrogate class name;
 * a surrogate without an entry makes the fused path decline and the composed tfjs ops run instead.
 */
import { getGlobal } from '@snnts/core';

/** `x -> d spike / d x` for one element. */
export type ScalarGrad = (x: number) => number;

/** Builds the scalar gradient from the surrogate's `params()` (e.g. `{ alpha: 2 }`). */
export type ScalarGradFactory = (params: Readonly<Record<string, number>>) => ScalarGrad;

const registry = (): Map<string, ScalarGradFactory> =>
  getGlobal('scalarSurrogateGrads', () => {
    const m = new Map<string, ScalarGradFactory>();
    m.set('Sigmoid', ({ alpha = 4 }) => (x) => {
      const s = 1 / (1 + Math.exp(-alpha * x));
      return alpha * s * (1 - s);
    });
    m.set('ATan', ({ alpha = 2 }) => {
      const a = alpha / 2;
      const k = Math.PI * a;
      return (x) => a / (1 + k * x * (k * x));
    });
    m.set('FastSigmoid', ({ alpha = 25 }) => (x) => 1 / ((1 + alpha * Math.abs(x)) * (1 + alpha * Math.abs(x))));
    m.set('SoftSign', ({ alpha = 2 }) => (x) => {
      const d = Math.abs(x) + 1 / alpha;
      return 1 / (2 * alpha * d * d);
    });
    m.set('PiecewiseQuadratic', ({ alpha = 1 }) => (x) => (Math.abs(x) > 1 / alpha ? 0 : alpha - Math.abs(x) * alpha * alpha));
    return m;
  });

/**
 * Registers the scalar gradient of the surrogate class `name`, so the JS fused kernels can run
 * neurons that use it.
 *
 * @example
 * ```ts
 * import { registerScalarSurrogateGrad } from '@snnts/functional';
 * registerScalarSurrogateGrad('Rect', ({ alpha = 1 }) => (x) => (Math.abs(x) < alpha / 2 ? 1 / alpha : 0));
 * ```
 */
export function registerScalarSurrogateGrad(name: string, factory: ScalarGradFactory): void {
  registry().set(name, factory);
}

/**
 * The scalar gradient of surrogate `name` with `params`, or `undefined` if none is registered.
 *
 * @example
 * ```ts
 * import { scalarSurrogateGrad } from '@snnts/functional';
 * scalarSurrogateGrad('ATan', { alpha: 2 })?.(0); // 1
 * ```
 */
export function scalarSurrogateGrad(name: string, params: Readonly<Record<string, number>>): ScalarGrad | undefined {
  return registry().get(name)?.(params);
}
