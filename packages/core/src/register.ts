/**
 * Side effects of importing @snnts/core: the built-in backend providers and the fast matmul
 * gradient. Listed in package.json `sideEffects`.
 */
import { registerDefaultBackends } from './backends.js';
import { registerFastMatMulGrad } from './kernels/matmul_grad.js';

registerDefaultBackends();
registerFastMatMulGrad();
