/**
 * Side effects of importing @snnts/functional: registers the built-in surrogates by name and the
 * fused multi-step neuron kernels (cpu, wasm) in the fused-kernel registry of @snnts/core.
 */
import './surrogate/register.js';
import { registerJsNeuronKernels } from './neurons/fused/js_kernels.js';

registerJsNeuronKernels();
