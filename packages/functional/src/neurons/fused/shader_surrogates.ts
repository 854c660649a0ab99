/**
 * Surrogate gradients for the fused GPU kernels (`webgl`, `webgpu`): each surrogate's `grad(x)` as
 * one shader expression in `x`, written in the subset that GLSL ES 3.0 and WGSL share (`abs`,
 * `exp`, `step`, float literals, arithmetic), so one string serves both shader languages. A
 * registry by surrogate class name, parallel to the scalar one of the JS kernels; a surrogate
 * without an entry makes the fused path decline on the GPU backends and the composed ops run.
 */
import { getGlobal } from '@snnts/core';

/** Builds the gradient expression (in the variable `x`) from the surrogate's `params()`. */
export type ShaderGradFactory = (params: Readonly<Record<string, number>>) => string;

/**
 * A float literal valid in both GLSL and WGSL: float32-rounded, nine significant digits (enough to
 * round-trip a float32), always with a decimal point, negative values parenthesised.
 *
 * @example
 * ```ts
 * import { shaderFloat } from '@snnts/functional';
 * shaderFloat(2); // '2.00000000'
 * shaderFloat(-0.1); // '(-0.100000001)'
 * ```
 */
export function shaderFloat(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`shaderFloat: expected a finite number, but got ${v}`);
  const s = Math.fround(v).toPrecision(9);
  return v < 0 ? `(${s})` : s;
}

const registry = (): Map<string, ShaderGradFactory> =>
  getGlobal('shaderSurrogateGrads', () => {
    const m = new Map<string, ShaderGradFactory>();
    m.set('Sigmoid', ({ alpha = 4 }) => {
      const a = shaderFloat(alpha);
      const s = `(1.0 / (1.0 + exp(-${a} * x)))`;
      return `${a} * ${s} * (1.0 - ${s})`;
    });
    m.set('ATan', ({ alpha = 2 }) => {
      const k = shaderFloat((Math.PI * alpha) / 2);
      return `${shaderFloat(alpha / 2)} / (1.0 + (${k} * x) * (${k} * x))`;
    });
    m.set('FastSigmoid', ({ alpha = 25 }) => {
      const d = `(1.0 + ${shaderFloat(alpha)} * abs(x))`;
      return `1.0 / (${d} * ${d})`;
    });
    m.set('SoftSign', ({ alpha = 2 }) => {
      const d = `(abs(x) + ${shaderFloat(1 / alpha)})`;
      return `1.0 / (${shaderFloat(2 * alpha)} * ${d} * ${d})`;
    });
    m.set('PiecewiseQuadratic', ({ alpha = 1 }) => {
      const a = shaderFloat(alpha);
      return `step(abs(x), ${shaderFloat(1 / alpha)}) * (${a} - abs(x) * ${a} * ${a})`;
    });
    return m;
  });

/**
 * Registers the shader gradient expression of the surrogate class `name` (a function of `x` in the
 * GLSL/WGSL common subset), so the fused GPU kernels can run neurons that use it.
 *
 * @example
 * ```ts
 * import { registerShaderSurrogateGrad, shaderFloat } from '@snnts/functional';
 * registerShaderSurrogateGrad('Rect', ({ alpha = 1 }) => `step(abs(x), ${shaderFloat(alpha / 2)}) * ${shaderFloat(1 / alpha)}`);
 * ```
 */
export function registerShaderSurrogateGrad(name: string, factory: ShaderGradFactory): void {
  registry().set(name, factory);
}

/**
 * The shader gradient expression of surrogate `name` with `params`, or `undefined`.
 *
 * @example
 * ```ts
 * import { shaderSurrogateGrad } from '@snnts/functional';
 * shaderSurrogateGrad('FastSigmoid', { alpha: 25 }); // '1.0 / ((1.0 + 25.0000000 * abs(x)) * ...)'
 * ```
 */
export function shaderSurrogateGrad(name: string, params: Readonly<Record<string, number>>): string | undefined {
  return registry().get(name)?.(params);
}
