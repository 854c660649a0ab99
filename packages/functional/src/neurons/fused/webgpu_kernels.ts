/**
 * `SnntsNeuronMultiStep` and its gradient kernel for the `webgpu` backend: WGSL compute shaders
 * built from `shader_source.ts`, one dispatch for all T steps, one thread per neuron looping over
 * time (forward from step 0, backward from step T-1) and writing every step's values into a
 * combined `[rows, M]` buffer whose row blocks become the kernel's outputs.
 */
import type * as tf from '@tensorflow/tfjs';
import { registerFusedKernel } from '@snnts/core';
import { NEURON_MULTI_STEP, NEURON_MULTI_STEP_GRAD, type NeuronMultiStepAttrs } from './kernel_contract.js';
import { gpuNeuronKernels } from './gpu_kernel_util.js';
import { WGSL as d, backwardStep, forwardRows, forwardStep, initialV, prelude } from './shader_source.js';

/** tfjs-backend-webgpu's program interface (structural: no import of the optional peer). */
interface GpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  uniforms: string;
  getUserCode(): string;
}
interface WebGPULike {
  runWebGPUProgram(program: GpuProgram, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: { type: string; data: number[] }[]): tf.TensorInfo;
}

const WORKGROUP = 64;
/** WebGPU's guaranteed limit of workgroups per dispatch dimension. */
const MAX_GROUPS = 65535;

/** A flat dispatch of one thread per neuron (2-D grid of workgroups when M is very large). */
function program(key: string, rows: number, M: number, variableNames: string[], body: string, a: NeuronMultiStepAttrs): GpuProgram {
  const groups = Math.ceil(M / WORKGROUP);
  const side = Math.ceil(Math.sqrt(groups));
  const userCode = `
    ${prelude(d, a)}
    fn main(index : i32) {
      let M = uniforms.m;
      if (index >= M) { return; }
      let i = index;
      ${body}
    }`;
  return {
    outputShape: [rows, M],
    // Everything baked into the code is in the key (tfjs caches pipelines by key and shapes' ranks).
    shaderKey: `${key}_${userCode}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: groups <= MAX_GROUPS ? [groups, 1, 1] : [side, side, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    uniforms: 'm : i32,',
    getUserCode: () => userCode,
  };
}

function forwardBody(a: NeuronMultiStepAttrs, hasV0: boolean): string {
  const rows = forwardRows(a);
  return `
      var v = ${initialV(d, a, hasV0, 'i')};
      ${d.forUp('s', a.T)} {
        ${forwardStep(d, a, 's', 'i')}
        setOutputAtIndex(s * M + i, S);
        ${a.saveH ? `setOutputAtIndex((${rows.h} + s) * M + i, H);` : ''}
        ${a.storeVSeq ? `setOutputAtIndex((${rows.vSeq} + s) * M + i, v);` : ''}
      }
      setOutputAtIndex(${a.T} * M + i, v);`;
}

function gradBody(a: NeuronMultiStepAttrs): string {
  const dxRows = a.repeated ? 1 : a.T;
  return `
      var dv = DV[i];
      var acc = 0.0;
      ${d.forDown('t', a.T)} {
        ${backwardStep(d, a, 't', 'i')}
        ${a.repeated ? 'acc = acc + dxt;' : 'setOutputAtIndex(t * M + i, dxt);'}
      }
      ${a.repeated ? 'setOutputAtIndex(i, acc);' : ''}
      setOutputAtIndex(${dxRows} * M + i, dv);`;
}

const M_UNIFORM = (M: number) => [{ type: 'int32', data: [M] }];

const { forwardKernel, gradKernel } = gpuNeuronKernels('webgpu', {
  forward: (backend, a, M, ins, hasV0) =>
    (backend as WebGPULike).runWebGPUProgram(program('snntsNeuronFwd', forwardRows(a).total, M, hasV0 ? ['X', 'V0'] : ['X'], forwardBody(a, hasV0), a), ins, 'float32', M_UNIFORM(M)),
  grad: (backend, a, M, ins, dxRows, hasDVSeq) =>
    (backend as WebGPULike).runWebGPUProgram(program('snntsNeuronGrad', dxRows + 1, M, ['DS', 'DV', 'HS', ...(hasDVSeq ? ['DVS'] : [])], gradBody(a), a), ins, 'float32', M_UNIFORM(M)),
});

/**
 * Registers the fused neuron kernels for `webgpu` (the gradient config is shared, registered with
 * the JS kernels). Called by the package's `register.ts` when WebGPU can exist.
 *
 * @internal
 */
export function registerWebGPUNeuronKernels(): void {
  registerFusedKernel({ kernelName: NEURON_MULTI_STEP, backendName: 'webgpu', kernelFunc: forwardKernel });
  registerFusedKernel({ kernelName: NEURON_MULTI_STEP_GRAD, backendName: 'webgpu', kernelFunc: gradKernel });
}
