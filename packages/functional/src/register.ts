/**
 * Side effects of importing @snnts/functional: registers the built-in surrogates by name and the
 * fused multi-step neuron kernels in the fused-kernel registry of @snnts/core: cpu and wasm
 * always, webgl and webgpu where those backends can exist (browsers); the fused BatchNorm kernels
 * and the event-driven spike matmul kernels (cpu, wasm); and our `Conv2D` gradient in place of
 * tfjs's (see `ops/conv2d_grad.ts`).
 */
import './surrogate/register.js';
import { registerGpuNeuronKernels } from './neurons/fused/gpu_kernels.js';
import { registerJsNeuronKernels } from './neurons/fused/js_kernels.js';
import { registerJsBatchNormKernels } from './ops/batch_norm_kernels.js';
import { registerConv2dGrad } from './ops/conv2d_grad.js';
import { registerSpikeMatMulKernels } from './ops/spike_matmul_kernels.js';

registerJsNeuronKernels();
registerGpuNeuronKernels();
registerJsBatchNormKernels();
registerConv2dGrad();
registerSpikeMatMulKernels();
