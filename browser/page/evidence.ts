/**
 * Proof of which backend really runs: not just the name tfjs reports, but where a freshly computed
 * tensor lives (a WebGLTexture for webgl, a GPUBuffer for webgpu), the device behind it (WebGL
 * renderer string, WebGPU adapter) and that it computes the right numbers. A silent fallback to
 * another backend cannot produce this evidence.
 */
import * as tf from '@tensorflow/tfjs';
import { getBackend } from '@snnts/core';

/** What {@link backendEvidence} found. */
export interface BackendEvidence {
  /** snnts's active backend. */
  snnts: string;
  /** tfjs's active backend. */
  tf: string;
  /** The class of the tfjs backend instance (e.g. MathBackendWebGL). */
  backendClass: string;
  /**
   * Where a computed tensor is stored: 'WebGLTexture', 'GPUBuffer', or 'cpu ...' (no GPU handle:
   * a CPU backend, or a GPU backend that handed the small op to its CPU kernels).
   */
  storage: string;
  /** WebGL renderer or WebGPU adapter description, when there is one. */
  device: string | null;
  /** `1 + 1` computed on that backend, four times. */
  values: number[];
}

/** Inspects the active backend. */
export async function backendEvidence(): Promise<BackendEvidence> {
  const name = tf.getBackend();
  if (!name || !tf.findBackend(name)) {
    return { snnts: getBackend(), tf: name ?? 'none', backendClass: 'none', storage: 'none', device: null, values: [] };
  }
  const backend = tf.backend() as unknown as {
    gpgpu?: { gl: WebGL2RenderingContext };
    adapterInfo?: { vendor?: string; architecture?: string };
  };
  const x = tf.tidy(() => tf.add(tf.ones([4]), tf.scalar(1)));
  let storage = 'cpu';
  if (name === 'webgl' || name === 'webgpu') {
    try {
      const g = x.dataToGPU() as { texture?: unknown; buffer?: unknown; tensorRef: tf.Tensor };
      if (g.texture !== undefined) storage = g.texture instanceof WebGLTexture ? 'WebGLTexture' : 'unknown texture';
      else if (g.buffer !== undefined) {
        const GPUBufferClass = (globalThis as { GPUBuffer?: new () => unknown }).GPUBuffer;
        storage = GPUBufferClass && g.buffer instanceof GPUBufferClass ? 'GPUBuffer' : 'unknown buffer';
      }
      g.tensorRef.dispose();
    } catch (e) {
      // tfjs ran the op on its CPU kernels (WEBGL_CPU_FORWARD / WEBGPU_CPU_FORWARD for small inputs).
      storage = `cpu (${e instanceof Error ? e.message : String(e)})`;
    }
  }
  let device: string | null = null;
  if (backend.gpgpu) {
    const gl = backend.gpgpu.gl;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    device = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  } else if (backend.adapterInfo) {
    device = `${backend.adapterInfo.vendor ?? ''} ${backend.adapterInfo.architecture ?? ''}`.trim();
  }
  const values = Array.from(await x.data());
  x.dispose();
  return { snnts: getBackend(), tf: name, backendClass: (tf.backend() as object).constructor.name, storage, device, values };
}
