// No silent fallback, proven in Chromium: each backend named to setBackend is the one that really
// computes (a fresh tensor lives in a WebGLTexture on webgl, a GPUBuffer on webgpu, on SwiftShader),
// automatic selection takes the highest priority that works, and when WebGPU or WebGL is taken
// away from the page, naming it throws a BackendError and leaves the previous backend active
// instead of quietly running on another one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHarness, type HarnessSession } from '../lib/session.js';

/** Hides WebGPU from the page (as in a browser without it). */
const NO_WEBGPU = `Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });`;
/** Makes every WebGL context request fail (as with WebGL blocked or the GPU process gone). */
const NO_WEBGL = `for (const C of [HTMLCanvasElement, globalThis.OffscreenCanvas].filter(Boolean)) {
  const orig = C.prototype.getContext;
  C.prototype.getContext = function (type, ...rest) { return /webgl/.test(type) ? null : orig.call(this, type, ...rest); };
}`;

const EXPECTED = {
  cpu: { backendClass: 'MathBackendCPU', storage: 'cpu', device: null },
  wasm: { backendClass: 'BackendWasm', storage: 'cpu', device: null },
  webgl: { backendClass: 'MathBackendWebGL', storage: 'WebGLTexture', device: expect.stringMatching(/SwiftShader/) },
  webgpu: { backendClass: 'WebGPUBackend', storage: 'GPUBuffer', device: expect.stringMatching(/swiftshader/) },
} as const;

describe('backends in a Chromium with WebGL and WebGPU', () => {
  let s: HarnessSession;
  beforeAll(async () => {
    s = await openHarness(inject('origin'));
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the page is a browser: no Node globals, isNode() false', async () => {
    expect(await s.call('env')).toEqual({ isNode: false, hasProcess: false, hasRequire: false, hasBuffer: false, webgpu: true });
  });

  it('listBackends: webgpu, webgl, wasm and cpu load; tensorflow is Node-only', async () => {
    const rows = await s.call('listBackends');
    expect(rows.map((r) => [r.name, r.priority, r.available])).toEqual([
      ['webgpu', 5, true],
      ['webgl', 4, true],
      ['tensorflow', 3, false],
      ['wasm', 2, true],
      ['cpu', 1, true],
    ]);
    expect(rows.find((r) => r.name === 'tensorflow')!.reason).toBe('it runs only in Node.js');
  });

  it.each(Object.entries(EXPECTED))('setBackend(%s) runs ops on exactly that backend', async (name, expected) => {
    const r = await s.call('tryBackend', name);
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect(r.evidence).toEqual({ snnts: name, tf: name, values: [2, 2, 2, 2], ...expected });
  });

  it('automatic selection picks webgpu, the highest priority', async () => {
    await s.call('tryBackend', 'cpu');
    const r = await s.call('tryBackend', null);
    expect(r.ok).toBe(true);
    expect(r.evidence).toEqual({ snnts: 'webgpu', tf: 'webgpu', values: [2, 2, 2, 2], ...EXPECTED.webgpu });
  });

  it("with tfjs's default flags, small ops on webgl/webgpu run on the CPU kernels (why the parity runs turn the hand-off off)", async () => {
    await s.call('setCpuForward', true);
    try {
      for (const name of ['webgl', 'webgpu']) {
        const r = await s.call('tryBackend', name);
        expect(r.evidence.tf).toBe(name);
        expect(r.evidence.storage).toMatch(/^cpu \(Data is not on GPU but on CPU/);
      }
    } finally {
      await s.call('setCpuForward', false);
    }
    expect(await s.call('cpuForward')).toEqual({ webgl: false, webgpu: false });
    expect((await s.call('tryBackend', 'webgl')).evidence.storage).toBe('WebGLTexture');
  });
});

describe('a backend that cannot start is an error, never a silent fallback', () => {
  const sessions: HarnessSession[] = [];
  const open = async (initScript: string) => {
    const s = await openHarness(inject('origin'), { initScript });
    sessions.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('without navigator.gpu: setBackend(webgpu) throws a BackendError and cpu stays active; auto picks webgl', async () => {
    const s = await open(NO_WEBGPU);
    expect((await s.call('env')).webgpu).toBe(false);
    expect((await s.call('tryBackend', 'cpu')).ok).toBe(true);
    const r = await s.call('tryBackend', 'webgpu');
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({
      name: 'BackendError',
      message: "setBackend: backend 'webgpu' is unavailable: this browser exposes no navigator.gpu. Install @tensorflow/tfjs-backend-webgpu and use a browser with WebGPU (navigator.gpu).",
    });
    expect(r.evidence).toMatchObject({ snnts: 'cpu', tf: 'cpu', backendClass: 'MathBackendCPU', values: [2, 2, 2, 2] });
    const auto = await s.call('tryBackend', null);
    expect(auto.evidence).toMatchObject({ snnts: 'webgl', storage: 'WebGLTexture' });
  });

  it('without WebGL: setBackend(webgl) throws a BackendError and wasm stays active; auto picks webgpu', async () => {
    const s = await open(NO_WEBGL);
    expect((await s.call('tryBackend', 'wasm')).ok).toBe(true);
    const r = await s.call('tryBackend', 'webgl');
    expect(r.ok).toBe(false);
    expect(r.error!.name).toBe('BackendError');
    expect(r.error!.message).toMatch(/^setBackend: backend 'webgl' is unavailable: tfjs failed to initialise it/);
    expect(r.evidence).toMatchObject({ snnts: 'wasm', tf: 'wasm', backendClass: 'BackendWasm' });
    const auto = await s.call('tryBackend', null);
    expect(auto.evidence).toMatchObject({ snnts: 'webgpu', storage: 'GPUBuffer' });
  });

  it('without either: both throw, and auto picks wasm', async () => {
    const s = await open(`${NO_WEBGPU}\n${NO_WEBGL}`);
    for (const name of ['webgpu', 'webgl']) {
      const r = await s.call('tryBackend', name);
      expect(r.ok, name).toBe(false);
      expect(r.error!.name).toBe('BackendError');
    }
    const auto = await s.call('tryBackend', null);
    expect(auto.ok).toBe(true);
    expect(auto.evidence).toMatchObject({ snnts: 'wasm', tf: 'wasm', backendClass: 'BackendWasm' });
  });
});
