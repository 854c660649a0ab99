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
import { reshaper, splitRows } from './gpu_kernel_util.js';
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

const forwardKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as NeuronMultiStepAttrs;
  const { x, v0 } = inputs as { x: tf.TensorInfo; v0?: tf.TensorInfo };
  const frame = a.repeated ? x.shape : x.shape.slice(1);
  const M = frame.reduce((p, q) => p * q, 1);
  const view = reshaper('webgl', backend);
  const ins = [view.as(x, a.repeated ? [M] : [a.T, M]), ...(v0 ? [view.as(v0, [M])] : [])];
  const combined = (backend as unknown as WebGLLike).runWebGLProgram(forwardProgram(a, M, v0 !== undefined), ins, 'float32');
  view.release();
  const rows = forwardRows(a);
  const seq = [a.T, ...frame];
  return splitRows('webgl', backend, combined, [
    { row0: 0, n: a.T, shape: seq },
    { row0: a.T, n: 1, shape: frame },
    ...(a.saveH ? [{ row0: rows.h, n: a.T, shape: seq }] : []),
    ...(a.storeVSeq ? [{ row0: rows.vSeq, n: a.T, shape: seq }] : []),
  ]);
};

const gradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as NeuronMultiStepAttrs;
  const { dSpike, dV, h, dVSeq } = inputs as { dSpike: tf.TensorInfo; dV: tf.TensorInfo; h: tf.TensorInfo; dVSeq?: tf.TensorInfo };
  const frame = dV.shape;
  const M = frame.reduce((p, q) => p * q, 1);
  const view = reshaper('webgl', backend);
  const seq = (t: tf.TensorInfo): tf.TensorInfo => view.as(t, [a.T, M]);
  const ins = [seq(dSpike), view.as(dV, [M]), seq(h), ...(dVSeq ? [seq(dVSeq)] : [])];
  const combined = (backend as unknown as WebGLLike).runWebGLProgram(gradProgram(a, M), ins, 'float32');
  view.release();
  const dxRows = a.repeated ? 1 : a.T;
  return splitRows('webgl', backend, combined, [
    { row0: 0, n: dxRows, shape: a.repeated ? frame : h.shape },
    { row0: dxRows, n: 1, shape: frame },
  ]);
};

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
