/**
 * The page: loads the digits, lets the user pick a backend (showing the one really active; a
 * backend that fails to load is reported, never replaced by another), trains with live charts,
 * draws a test digit's spike raster and membrane traces, and downloads the weights.
 *
 * URL parameters: `backend` (initial selection), `steps` (default 1000), `autostart=1`.
 * `window.snntsDemo` exposes the state for the browser test.
 */
import '@tensorflow/tfjs-backend-webgpu'; // registers tfjs's 'webgpu' backend (the registry's lazy import cannot reach a bundle)
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { getBackend, listBackends, setBackend } from '@snnts/core';
import { lineChart, membraneTraces, spikeRaster } from './charts.js';
import { decodeDigits, splitDigits, type DigitSet } from './data.js';
import { Trainer } from './trainer.js';

setWasmPaths(new URL('./', location.href).href);

/** What the page exposes to tests and the console. */
interface DemoState {
  status: 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';
  backend: string | null;
  step: number;
  maxSteps: number;
  losses: [number, number][];
  trainAccuracy: [number, number][];
  testAccuracy: [number, number][];
  /** Marks drawn by the last render of each chart. */
  marks: { loss: number; accuracy: number; raster: number; membrane: number };
  error: string | null;
}

const params = new URLSearchParams(location.search);
const EVAL_EVERY = 50;
const EVAL_COUNT = 500;
const TRACE_DIGIT = 0;
const state: DemoState = {
  status: 'loading',
  backend: null,
  step: 0,
  maxSteps: Number(params.get('steps') ?? 1000),
  losses: [],
  trainAccuracy: [],
  testAccuracy: [],
  marks: { loss: 0, accuracy: 0, raster: 0, membrane: 0 },
  error: null,
};
(globalThis as { snntsDemo?: DemoState }).snntsDemo = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  backend: $<HTMLSelectElement>('backend'),
  active: $('active-backend'),
  start: $<HTMLButtonElement>('start'),
  download: $<HTMLButtonElement>('download'),
  step: $('step'),
  loss: $('loss'),
  accuracy: $('accuracy'),
  status: $('status'),
  error: $('error'),
  digit: $('digit'),
  backends: $('backends'),
};
$('max-steps').textContent = String(state.maxSteps);

let data: { train: DigitSet; test: DigitSet } | null = null;
let trainer: Trainer | null = null;
let running = false;

function setStatus(s: DemoState['status'], text: string): void {
  state.status = s;
  ui.status.textContent = text;
}

function smooth(points: [number, number][], k = 10): [number, number][] {
  return points.map(([x], i) => {
    const w = points.slice(Math.max(0, i - k + 1), i + 1);
    return [x, w.reduce((a, p) => a + p[1], 0) / w.length];
  });
}

function drawCurves(): void {
  state.marks.loss = lineChart($('loss-chart'), 'training loss (MSE on firing rate)', [{ label: 'loss (smoothed)', color: '#1f4e9c', points: smooth(state.losses) }]);
  state.marks.accuracy = lineChart(
    $('accuracy-chart'),
    'accuracy',
    [
      { label: 'train batch', color: '#9ab', points: smooth(state.trainAccuracy) },
      { label: `test (${EVAL_COUNT})`, color: '#c60', points: state.testAccuracy },
    ],
    [0, 1],
  );
}

async function drawDigit(t: Trainer): Promise<void> {
  const d = await t.trace(TRACE_DIGIT);
  state.marks.raster = spikeRaster($('raster'), `hidden spikes, test digit ${TRACE_DIGIT} (label ${d.label})`, d.hiddenSpikes.map((r) => r.slice(0, 64)));
  state.marks.membrane = membraneTraces($('membrane'), `output membrane potentials (prediction ${d.prediction})`, d.outputV, d.vThreshold, d.label);
  ui.digit.textContent = `Test digit ${TRACE_DIGIT}: label ${d.label}, predicted ${d.prediction}; raster shows the first 64 hidden neurons; the traces are post-reset potentials (a neuron firing at every step stays at V_reset = 0), the bold one is the label's output neuron.`;
}

async function evaluate(t: Trainer): Promise<void> {
  const acc = await t.evaluate(EVAL_COUNT);
  state.testAccuracy.push([t.step, acc]);
  ui.accuracy.textContent = acc.toFixed(3);
  await drawDigit(t);
  drawCurves();
}

async function trainLoop(): Promise<void> {
  const t = trainer!;
  running = true;
  setStatus('training', 'training...');
  ui.start.textContent = 'Pause';
  while (running && t.step < state.maxSteps && trainer === t) {
    for (let k = 0; k < 5 && t.step < state.maxSteps; k++) {
      const r = await t.trainStep();
      state.losses.push([r.step, r.loss]);
      state.trainAccuracy.push([r.step, r.accuracy]);
      if (r.step % EVAL_EVERY === 0) await evaluate(t);
    }
    state.step = t.step;
    ui.step.textContent = String(t.step);
    ui.loss.textContent = state.losses.at(-1)![1].toFixed(4);
    drawCurves();
    await tf.nextFrame();
  }
  if (trainer !== t) return;
  running = false;
  ui.start.textContent = 'Start training';
  if (t.step >= state.maxSteps) {
    if (state.testAccuracy.at(-1)?.[0] !== t.step) await evaluate(t);
    setStatus('done', `done: ${t.step} steps`);
    ui.start.disabled = true;
  } else {
    setStatus('paused', 'paused');
  }
}

function resetTrainer(): void {
  running = false;
  trainer?.dispose();
  trainer = data ? new Trainer(data.train, data.test) : null;
  Object.assign(state, { step: 0, losses: [], trainAccuracy: [], testAccuracy: [] });
  ui.step.textContent = '0';
  ui.start.disabled = !trainer;
  ui.download.disabled = !trainer;
}

/** Switches to the selected backend; shows the active one, or the error (no fallback). */
async function applyBackend(): Promise<void> {
  const wanted = ui.backend.value;
  ui.error.textContent = '';
  try {
    await setBackend(wanted === 'auto' ? undefined : wanted);
    state.backend = getBackend();
    ui.active.textContent = state.backend;
    resetTrainer();
    setStatus('ready', 'ready');
  } catch (e) {
    state.backend = null;
    state.error = e instanceof Error ? e.message : String(e);
    ui.active.textContent = `none (${wanted} failed)`;
    ui.error.textContent = state.error;
    ui.start.disabled = true;
    setStatus('error', 'backend unavailable');
  }
}

async function download(): Promise<void> {
  if (!trainer) return;
  const bytes = await trainer.weights();
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `snnts-mnist-${state.backend}-step${trainer.step}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function main(): Promise<void> {
  const res = await fetch('mnist-digits.bin');
  if (!res.ok) throw new Error(`could not fetch mnist-digits.bin (HTTP ${res.status}); run the example's build first.`);
  data = splitDigits(decodeDigits(new Uint8Array(await res.arrayBuffer())), 8000, 2000, 0);
  const rows = await listBackends();
  ui.backends.textContent = `Backends here: ${rows.map((b) => `${b.name} ${b.available ? 'available' : `unavailable (${b.reason})`}`).join('; ')}.`;
  ui.backend.value = params.get('backend') ?? 'auto';
  ui.backend.addEventListener('change', () => void applyBackend());
  ui.start.addEventListener('click', () => {
    if (running) running = false;
    else void trainLoop();
  });
  ui.download.addEventListener('click', () => void download());
  await applyBackend();
  if (params.get('autostart') === '1' && state.status === 'ready') void trainLoop();
}

main().catch((e: unknown) => {
  state.error = e instanceof Error ? e.message : String(e);
  ui.error.textContent = state.error;
  setStatus('error', 'failed');
});
