/**
 * `SnntsNeuronMultiStep` and its gradient kernel for the `cpu` and `wasm` backends: the typed-array
 * loops of `neuron_loops.ts` (inference: `neuron_loops_eval.ts`) behind a small adapter per backend (`ops/typed_array_io.ts`),
 * registered through `@snnts/core`'s fused-kernel registry, for IF/LIF (`SnntsNeuronMultiStep`) and
 * PLIF (`SnntsPLIFMultiStep`, with the extra inputs `v0` and `k`). The gradient config is
 * backend-independent and runs `SnntsNeuronMultiStepGrad` on whichever backend is active.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFusedGradient, registerFusedKernel, runFusedKernel } from '@snnts/core';
import { NEURON_MULTI_STEP, NEURON_MULTI_STEP_GRAD, PLIF_MULTI_STEP, PLIF_MULTI_STEP_GRAD, type NeuronMultiStepAttrs } from './kernel_contract.js';
import { neuronBackward, neuronForward } from './neuron_loops.js';
import { neuronForwardNoSave } from './neuron_loops_eval.js';
import { JS_KERNEL_BACKENDS, type TypedArrayIO } from '../../ops/typed_array_io.js';

function forwardKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    const { x, v0, k } = inputs as { x: tf.TensorInfo; v0?: tf.TensorInfo; k?: tf.TensorInfo };
    const frame = a.repeated ? x.shape : x.shape.slice(1);
    const seq = [a.T, ...frame];
    const M = tf.util.sizeFromShape(frame);
    const b = io(backend);
    // Allocate every output first: on wasm an allocation may move the heap and void older views.
    // No zero-fill: the loops write every element (vLast is set or filled just below).
    const spikes = b.alloc(seq, false);
    const vLast = b.alloc(frame, false);
    const h = a.saveH ? b.alloc(seq, false) : null;
    const vSeq = a.storeVSeq ? b.alloc(seq, false) : null;
    const v = b.view(vLast);
    if (v0) v.set(b.view(v0));
    else v.fill(a.v0Value);
    const xs = b.view(x);
    const ss = b.view(spikes);
    if (!neuronForwardNoSave(a, xs, M, ss, v)) neuronForward(a, xs, M, { spikes: ss, v, h: h && b.view(h), vSeq: vSeq && b.view(vSeq) }, k ? b.view(k)[0] : 0);
    return [spikes, vLast, ...(h ? [h] : []), ...(vSeq ? [vSeq] : [])];
  };
}

function gradKernel(io: (backend: unknown) => TypedArrayIO): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    const { dSpike, dV, h, dVSeq, x, v0, k } = inputs as Record<string, tf.TensorInfo | undefined> & { dSpike: tf.TensorInfo; dV: tf.TensorInfo; h: tf.TensorInfo };
    const frame = dV.shape;
    const M = tf.util.sizeFromShape(frame);
    const b = io(backend);
    // dx accumulates over time when repeated (zeroed), else every element is written; dv is set below.
    const dx = b.alloc(a.repeated ? frame : h.shape, a.repeated);
    const dv = b.alloc(frame, false);
    const dk = k ? b.alloc([]) : null;
    const dvView = b.view(dv);
    dvView.set(b.view(dV));
    const plif = k && x && v0 ? { x: b.view(x), v0: b.view(v0) } : {};
    const bufs = { dSpike: b.view(dSpike), dVSeq: dVSeq ? b.view(dVSeq) : null, h: b.view(h), dx: b.view(dx), dv: dvView, ...plif };
    const dkValue = neuronBackward(a, M, bufs, k ? b.view(k)[0] : 0);
    if (dk) b.view(dk)[0] = dkValue;
    return dk ? [dx, dv, dk] : [dx, dv];
  };
}

/**
 * The gradient of `SnntsNeuronMultiStep` (every backend): one `SnntsNeuronMultiStepGrad` call.
 * It runs eagerly, so both input gradients come from the same call.
 */
const gradConfig: tf.GradConfig = {
  kernelName: NEURON_MULTI_STEP,
  outputsToSave: [false, false, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    if (!a.saveH) throw new Error(`${NEURON_MULTI_STEP}: run without a gradient tape, so H was not saved`);
    const dys = dy as tf.Tensor[];
    const inputs: tf.NamedTensorMap = { dSpike: dys[0]!, dV: dys[1]!, h: saved[0]! };
    if (a.storeVSeq) inputs['dVSeq'] = dys[3]!;
    const [dx, dv0] = runFusedKernel(NEURON_MULTI_STEP_GRAD, inputs, attrs) as [tf.Tensor, tf.Tensor];
    return { x: () => dx, v0: () => dv0 };
  },
};

/** The gradient of `SnntsPLIFMultiStep`: one `SnntsPLIFMultiStepGrad` call (also gives `dk`). */
const plifGradConfig: tf.GradConfig = {
  kernelName: PLIF_MULTI_STEP,
  inputsToSave: ['x', 'v0', 'k'],
  outputsToSave: [false, false, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const a = attrs as unknown as NeuronMultiStepAttrs;
    if (!a.saveH) throw new Error(`${PLIF_MULTI_STEP}: run without a gradient tape, so H was not saved`);
    const dys = dy as tf.Tensor[];
    const [x, v0, k, h] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const inputs: tf.NamedTensorMap = { dSpike: dys[0]!, dV: dys[1]!, h, x, v0, k };
    if (a.storeVSeq) inputs['dVSeq'] = dys[3]!;
    const [dx, dv0, dk] = runFusedKernel(PLIF_MULTI_STEP_GRAD, inputs, attrs) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return { x: () => dx, v0: () => dv0, k: () => dk };
  },
};

/**
 * Registers the JS fused neuron kernels for `cpu` and `wasm`, and their gradient. Called once by
 * the package's `register.ts`.
 *
 * @internal
 */
export function registerJsNeuronKernels(): void {
  for (const [backendName, io] of JS_KERNEL_BACKENDS) {
    registerFusedKernel({ kernelName: NEURON_MULTI_STEP, backendName, kernelFunc: forwardKernel(io) });
    registerFusedKernel({ kernelName: NEURON_MULTI_STEP_GRAD, backendName, kernelFunc: gradKernel(io) });
    registerFusedKernel({ kernelName: PLIF_MULTI_STEP, backendName, kernelFunc: forwardKernel(io) });
    registerFusedKernel({ kernelName: PLIF_MULTI_STEP_GRAD, backendName, kernelFunc: gradKernel(io) });
  }
  registerFusedGradient(gradConfig);
  registerFusedGradient(plifGradConfig);
}
