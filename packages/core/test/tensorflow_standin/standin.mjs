// What @tensorflow/tfjs-node(-gpu) does on import, minus the native addon: registers a tfjs backend
// named 'tensorflow' (here with the CPU kernels) and records which package was imported.
// STANDIN_BROKEN=1 makes the import fail the way the real package does when libtensorflow or CUDA
// cannot be loaded.
import * as tf from '@tensorflow/tfjs';

export function registerStandin(pkg) {
  (globalThis.__standinImports ??= []).push(pkg);
  if (process.env.STANDIN_BROKEN === '1') {
    throw new Error(`libtensorflow.so.2: cannot open shared object file: No such file or directory (stand-in for ${pkg})`);
  }
  tf.registerBackend('tensorflow', tf.findBackendFactory('cpu'), 3);
  for (const k of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(k.kernelName, 'tensorflow');
  tf.copyRegisteredKernels('cpu', 'tensorflow');
}
