// The fused-kernel registry (src/kernels/registry.ts): a kernel registered for cpu runs through
// the engine (so tf.profile sees it) and its registered gradient is used; re-registering
// replaces; the global switch turns hasFusedKernel off; bad configs throw ConfigError.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, hasFusedKernel, isRecordingGradients, listFusedKernels, registerFusedGradient, registerFusedKernel, runFusedKernel, setBackend, setFusedKernelsEnabled } from '../src/index.js';

interface CpuLike {
  readSync(id: unknown): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

const scaleKernel = (k: number): tf.KernelConfig => ({
  kernelName: 'TestScale',
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs['x']!;
    const b = backend as unknown as CpuLike;
    return b.makeTensorInfo(x.shape, 'float32', b.readSync(x.dataId).map((v) => k * v));
  },
});

describe('fused-kernel registry', () => {
  beforeAll(async () => {
    await setBackend('cpu');
  });

  it('registers, runs through the engine with its gradient, replaces, and switches off', async () => {
    registerFusedKernel(scaleKernel(2));
    registerFusedGradient({ kernelName: 'TestScale', gradFunc: (dy) => ({ x: () => tf.mul(dy as tf.Tensor, 2) }) });
    expect(hasFusedKernel('TestScale')).toBe(true);
    expect(hasFusedKernel('TestScale', 'webgl')).toBe(false);
    expect(listFusedKernels().find((k) => k.kernelName === 'TestScale')?.backends).toEqual(['cpu']);
    const x = tf.tensor([1, 2, 3]);
    expect(Array.from((runFusedKernel('TestScale', { x }, {}) as tf.Tensor).dataSync())).toEqual([2, 4, 6]);
    const g = tf.grad((xi: tf.Tensor) => tf.sum(runFusedKernel('TestScale', { x: xi }, {}) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([2, 2, 2]);
    const info = await tf.profile(() => runFusedKernel('TestScale', { x }, {}) as tf.Tensor);
    expect(info.kernelNames).toContain('TestScale');
    registerFusedKernel(scaleKernel(3));
    expect(Array.from((runFusedKernel('TestScale', { x }, {}) as tf.Tensor).dataSync())).toEqual([3, 6, 9]);
    const was = setFusedKernelsEnabled(false);
    expect(hasFusedKernel('TestScale')).toBe(false);
    setFusedKernelsEnabled(was);
    expect(() => registerFusedKernel({ kernelName: '', backendName: 'cpu', kernelFunc: () => [] })).toThrowError(ConfigError);
  });
});

describe('isRecordingGradients', () => {
  it('is true exactly while a gradient tape records', () => {
    const seen: boolean[] = [isRecordingGradients()];
    tf.tidy(() => seen.push(isRecordingGradients()));
    const x = tf.variable(tf.ones([2]));
    tf.dispose(tf.grad((a: tf.Tensor) => (seen.push(isRecordingGradients()), tf.sum(a)))(x));
    const { value, grads } = tf.variableGrads(() => (seen.push(isRecordingGradients()), tf.sum(x) as tf.Scalar));
    tf.dispose([value, ...Object.values(grads), x]);
    seen.push(isRecordingGradients());
    expect(seen).toEqual([false, false, true, true, false]);
  });
});
