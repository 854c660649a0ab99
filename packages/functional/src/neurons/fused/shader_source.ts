/**
 * Shader source shared by the fused GPU neuron kernels: the charge -> fire -> reset step and its
 * backward step, generated once from the kernel attrs and written out in GLSL ES 3.0 (webgl) or
 * WGSL (webgpu) through a small dialect (declarations, loops, input reads). The kernel files only
 * add the per-language program around it (which output element a fragment or thread writes), so
 * the neuron math exists once for both GPU backends, next to the typed-array loops of
 * `neuron_loops.ts` that it mirrors operation for operation.
 */
import type { NeuronMultiStepAttrs } from './kernel_contract.js';
import { shaderFloat as lit, shaderSurrogateGrad } from './shader_surrogates.js';

/** The syntax that differs between GLSL and WGSL. */
export interface ShaderDialect {
  /** An immutable local (`float n = e;` / `let n = e;`). */
  let(name: string, expr: string): string;
  /** A mutable local (`float n = e;` / `var n = e;`). */
  var(name: string, expr: string): string;
  /** Loop header counting `name` from 0 up to `n - 1`. */
  forUp(name: string, n: number): string;
  /** Loop header counting `name` from `n - 1` down to 0. */
  forDown(name: string, n: number): string;
  /** Reads element `[t, i]` of the `[T, M]` input `name` (`t` null: element `[i]` of an `[M]` input). */
  read(name: string, t: string | null, i: string): string;
  /** Helper functions `snn_sel(cond, a, b)` and `snn_sg(x)` (the surrogate gradient expression). */
  prelude(sgExpr: string): string;
}

/** GLSL ES 3.0, as tfjs's webgl programs use it (samplers `getName(row, col)`). */
export const GLSL: ShaderDialect = {
  let: (n, e) => `float ${n} = ${e};`,
  var: (n, e) => `float ${n} = ${e};`,
  forUp: (n, T) => `for (int ${n} = 0; ${n} < ${T}; ${n}++)`,
  forDown: (n, T) => `for (int ${n} = ${T - 1}; ${n} >= 0; ${n}--)`,
  read: (name, t, i) => (t === null ? `get${name}(${i})` : `get${name}(${t}, ${i})`),
  prelude: (sg) => `
    float snn_sel(bool c, float a, float b) { return c ? a : b; }
    float snn_sg(float x) { return ${sg}; }`,
};

/** WGSL, as tfjs's webgpu programs use it (flat storage arrays, `M` a local of the main function). */
export const WGSL: ShaderDialect = {
  let: (n, e) => `let ${n} = ${e};`,
  var: (n, e) => `var ${n} = ${e};`,
  forUp: (n, T) => `for (var ${n} = 0; ${n} < ${T}; ${n}++)`,
  forDown: (n, T) => `for (var ${n} = ${T - 1}; ${n} >= 0; ${n}--)`,
  read: (name, t, i) => (t === null ? `${name}[${i}]` : `${name}[(${t}) * M + ${i}]`),
  prelude: (sg) => `
    fn snn_sel(c : bool, a : f32, b : f32) -> f32 { return select(b, a, c); }
    fn snn_sg(x : f32) -> f32 { return ${sg}; }`,
};

/** The charged potential `H = f(v, x)` (see `ChargeSpec`). */
function chargeExpr(a: NeuronMultiStepAttrs, v: string, x: string): string {
  if (a.charge === 'if') return `(${v} + ${x})`;
  const tau = lit(a.tau);
  const rest = lit(a.vRest);
  return a.decayInput ? `(${v} + (${x} - (${v} - ${rest})) / ${tau})` : `((${v} - (${v} - ${rest}) / ${tau}) + ${x})`;
}

/** Helper functions of a program (the surrogate gradient is 0 without a surrogate: eval mode). */
export function prelude(d: ShaderDialect, a: NeuronMultiStepAttrs): string {
  if (a.surrogate === '') return d.prelude('0.0');
  const sg = shaderSurrogateGrad(a.surrogate, JSON.parse(a.surrogateParams) as Record<string, number>);
  if (sg === undefined) throw new Error(`${a.surrogate}: no shader surrogate gradient registered (registerShaderSurrogateGrad)`);
  return d.prelude(sg);
}

/** The initial potential of neuron `i`: input `V0` or the constant `v0Value`. */
export function initialV(d: ShaderDialect, a: NeuronMultiStepAttrs, hasV0: boolean, i: string): string {
  return hasV0 ? d.read('V0', null, i) : lit(a.v0Value);
}

/**
 * One forward step of neuron `i` at step `t`: declares `H` and `S` (the spike) and updates the
 * mutable `v` in place.
 */
export function forwardStep(d: ShaderDialect, a: NeuronMultiStepAttrs, t: string, i: string): string {
  const vth = lit(a.vThreshold);
  const x = d.read('X', a.repeated ? null : t, i);
  const reset = a.softReset ? `H - ${vth}` : lit(a.vReset);
  return [
    d.let('xv', x),
    d.let('H', chargeExpr(a, 'v', 'xv')),
    d.let('S', `snn_sel(H >= ${vth}, 1.0, 0.0)`),
    `v = snn_sel(H >= ${vth}, ${reset}, H);`,
  ].join('\n      ');
}

/**
 * One backward step of neuron `i` at step `t`: declares `dxt` (this step's input gradient) and
 * updates the mutable carry `dv` (gradient of `V[t-1]`) in place.
 */
export function backwardStep(d: ShaderDialect, a: NeuronMultiStepAttrs, t: string, i: string): string {
  const vth = lit(a.vThreshold);
  const isIF = a.charge === 'if';
  const dHdX = isIF || !a.decayInput ? '1.0' : lit(1 / a.tau);
  const dHdV = isIF ? '1.0' : lit(1 - 1 / a.tau);
  const dVdH = a.softReset
    ? a.detachReset ? '1.0' : `1.0 - ${vth} * g`
    : `snn_sel(z >= 0.0, 0.0, 1.0)${a.detachReset ? '' : ` + g * (${lit(a.vReset)} - H)`}`;
  return [
    d.let('H', d.read('HS', t, i)),
    d.let('z', `H - ${vth}`),
    d.let('g', 'snn_sg(z)'),
    d.let('gV', a.storeVSeq ? `dv + ${d.read('DVS', t, i)}` : 'dv'),
    d.let('gH', `${d.read('DS', t, i)} * g + gV * (${dVdH})`),
    d.let('dxt', `gH * ${dHdX}`),
    `dv = gH * ${dHdV};`,
  ].join('\n      ');
}

/**
 * Rows of the forward program's combined `[rows, M]` output: spikes `[0, T)`, `V[T-1]` at `T`,
 * then `H` (when `saveH`) and `V[t]` (when `storeVSeq`), `T` rows each.
 */
export function forwardRows(a: NeuronMultiStepAttrs): { h: number; vSeq: number; total: number } {
  const h = a.T + 1;
  const vSeq = h + (a.saveH ? a.T : 0);
  return { h, vSeq, total: vSeq + (a.storeVSeq ? a.T : 0) };
}
