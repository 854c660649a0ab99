/**
 * @snnts/functional: the pure math of snnts. Neuron dynamics (IF, LIF, PLIF; single- and
 * multi-step), surrogate spike functions, encoders and network walkers.
 *
 * @packageDocumentation
 */
import './register.js';

export * from './surrogate/index.js';
export * from './neurons/common.js';
export * from './neurons/dynamics.js';
export * from './neurons/if.js';
export * from './neurons/lif.js';
export * from './neurons/plif.js';
export * from './net.js';
export * from './encoding/poisson.js';
export * from './ops/conv2d.js';
export * from './ops/conv2d_grad.js';
export * from './ops/batch_norm.js';
export * from './ops/spike_matmul.js';
export * from './ops/typed_array_io.js';
export * from './ops/repeat.js';
export * from './encoding/stateful_encoder.js';
export * from './encoding/latency.js';
export * from './encoding/weighted_phase.js';
export * from './neurons/fused/charge_spec.js';
export * from './neurons/fused/kernel_contract.js';
export * from './neurons/fused/scalar_surrogates.js';
export * from './neurons/fused/fused_multistep.js';
export * from './neurons/fused/surrogate_support.js';
export * from './neurons/fused/shader_surrogates.js';
export { registerGpuNeuronKernels } from './neurons/fused/gpu_kernels.js';
export * from './checkpoint.js';
