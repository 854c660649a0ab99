/**
 * @snnts/core: the engine seam of snnts. Backend registry, `Module` / `MemoryModule`, step modes,
 * errors, reproducible randomness and safetensors serialization.
 *
 * @packageDocumentation
 */
import './register.js';

export * from './errors.js';
export * from './assert.js';
export * from './global.js';
export * from './backend.js';
export * from './backends.js';
export * from './module.js';
export * from './step_mode.js';
export * from './memory_module.js';
export * from './serialization.js';
export * from './safetensors.js';
export * from './io.js';
export * from './random.js';
export * from './progress.js';
export * from './kernels/matmul_grad.js';
export type { ForwardHook, ForwardPreHook, HookHandle } from './hooks.js';
export * from './kernels/registry.js';
export * from './kernels/wasm_threads.js';
export * from './kernels/wasm_slice.js';
