/**
 * Registration of the fused GPU neuron kernels (`webgl`, `webgpu`): each backend's kernels, plus
 * its surrogate-support check (the shader expression registry), registered only where that
 * backend can exist (a browser; never in Node). No backend package is imported: the kernels talk
 * to the backend object tfjs hands them.
 */
import { registerFusedSurrogateSupport } from './surrogate_support.js';
import { gpuBackendPossible } from './gpu_kernel_util.js';
import { shaderSurrogateGrad } from './shader_surrogates.js';
import { registerWebGLNeuronKernels } from './webgl_kernels.js';
import { registerWebGPUNeuronKernels } from './webgpu_kernels.js';

/**
 * Registers the fused neuron kernels of every GPU backend that can exist here; returns their
 * names. Called by the package's `register.ts`; call it again after loading a GPU backend by hand
 * in an unusual environment (e.g. a worker without `document` that imports tfjs-backend-webgl).
 *
 * @example
 * ```ts
 * import { registerGpuNeuronKernels } from '@snnts/functional';
 * registerGpuNeuronKernels(); // ['webgl', 'webgpu'] in a browser with WebGPU, [] in Node
 * ```
 */
export function registerGpuNeuronKernels(): string[] {
  const done: string[] = [];
  for (const [name, register] of [['webgl', registerWebGLNeuronKernels], ['webgpu', registerWebGPUNeuronKernels]] as const) {
    if (!gpuBackendPossible(name)) continue;
    register();
    registerFusedSurrogateSupport(name, (sg, params) => shaderSurrogateGrad(sg, params) !== undefined);
    done.push(name);
  }
  return done;
}
