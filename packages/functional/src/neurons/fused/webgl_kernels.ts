/**
 * `SnntsNeuronMultiStep` and its gradient kernel for the `webgl` backend: GLSL fragment programs
 * built from `shader_source.ts`, each one draw call for all T steps. A fragment writes one element
 * of a combined `[rows, M]` output, so it replays its neuron's recurrence up to its own step (the
 * forward from step 0, the backward from step T-1): O(T²) cheap arithmetic per neuron instead of
 * O(T) tfjs ops per step, the right trade for SNN sequence lengths (T of 4 to 64).
 */
import type * as tf from '@tensorflow/tfjs';
import { registerFusedKernel } from '@snnts/core';
import { NEURON_MULTI_STEP, NEURON_MULTI_STEP_GRAD, type NeuronMultiStepAttrs } from './kernel_contract.js';
import { gpuNeuronKernels } from './gpu_kernel_util.js';
import { shaderFloat } from './shader_surrogates.js';
import { GLSL as d, backwardStep, forwardRows, forwardStep, initialV, prelude } from './shader_source.js';

/** tfjs-backend-webgl's program interface (structural: no import of the backend package). */
interface GlProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
}
interface WebGLLike {
  runWebGLProgram(program: GlProgram, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo;
}

function forwardProgram(a: NeuronMultiStepAttrs, M: number, hasV0: boolean): GlProgram {
  const T = a.T;
  const rows = forwardRows(a);
  // kind 0: spike at step tEnd; 1: V after step tEnd; 2: H at step tEnd.
  const userCode = `
    ${prelude(d, a)}
    void main() {
      ivec2 rc = getOutputCoords();
      int r = rc.x;
      int i = rc.y;
      int kind = 1;
      int tEnd = ${T - 1};
      if (r < ${T}) { kind = 0; tEnd = r; }
      else if (r >= ${rows.vSeq}) { tEnd = r - ${rows.vSeq}; }
      else if (r >= ${rows.h}) { kind = 2; tEnd = r - ${rows.h}; }
      float v = ${initialV(d, a, hasV0, 'i')};
      float hLast = 0.0;
      ${d.forUp('s', T)} {
        if (s > tEnd) break;
        ${forwardStep(d, a, 's', 'i')}
        hLast = H;
      }
      setOutput(kind == 0 ? snn_sel(hLast >= ${shaderFloat(a.vThreshold)}, 1.0, 0.0) : kind == 1 ? v : hLast);
    }`;
  return { variableNames: hasV0 ? ['X', 'V0'] : ['X'], outputShape: [rows.total, M], userCode };
}

function gradProgram(a: NeuronMultiStepAttrs, M: number): GlProgram {
  const T = a.T;
  const dxRows = a.repeated ? 1 : T;
  // Rows [0, dxRows): dx (one summed row when repeated); row dxRows: dv0.
  const userCode = `
    ${prelude(d, a)}
    void main() {
      ivec2 rc = getOutputCoords();
      int r = rc.x;
      int i = rc.y;
      int tStop = ${a.repeated ? '0' : `r == ${dxRows} ? 0 : r`};
      float dv = getDV(i);
      float acc = 0.0;
      float dxLast = 0.0;
      ${d.forDown('t', T)} {
        if (t < tStop) break;
        ${backwardStep(d, a, 't', 'i')}
        acc += dxt;
        dxLast = dxt;
      }
      setOutput(r == ${dxRows} ? dv : ${a.repeated ? 'acc' : 'dxLast'});
    }`;
  const variableNames = ['DS', 'DV', 'HS', ...(a.storeVSeq ? ['DVS'] : [])];
  return { variableNames, outputShape: [dxRows + 1, M], userCode };
}

const { forwardKernel, gradKernel } = gpuNeuronKernels('webgl', {
  forward: (backend, a, M, ins, hasV0) => (backend as WebGLLike).runWebGLProgram(forwardProgram(a, M, hasV0), ins, 'float32'),
  grad: (backend, a, M, ins) => (backend as WebGLLike).runWebGLProgram(gradProgram(a, M), ins, 'float32'),
});

/**
 * Registers the fused neuron kernels for `webgl` (the gradient config is shared, registered with
 * the JS kernels). Called by the package's `register.ts` when WebGL can exist.
 *
 * @internal
 */
export function registerWebGLNeuronKernels(): void {
  registerFusedKernel({ kernelName: NEURON_MULTI_STEP, backendName: 'webgl', kernelFunc: forwardKernel });
  registerFusedKernel({ kernelName: NEURON_MULTI_STEP_GRAD, backendName: 'webgl', kernelFunc: gradKernel });
}
