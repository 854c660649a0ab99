// examples/browser in headless Chromium: pick webgl in the backend selector (the page shows the
// backend really active, also after switching to cpu and back), train 300 steps, then check test
// accuracy > 0.5 on 500 digits, that the loss/accuracy charts, the spike raster and the membrane
// traces drew marks and pixels, that "Download weights" gives a safetensors file which, loaded into
// the same network in Node on cpu, reproduces the page's accuracy, and save a screenshot to
// browser/out/example-browser.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeSafetensors, loadSafetensors, setBackend } from '@snnts/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DIST_DIR } from '../../examples/browser/scripts/build.js';
import { decodeDigits, splitDigits } from '../../examples/browser/src/data.js';
import { Trainer } from '../../examples/browser/src/trainer.js';
import { launchChromium } from '../lib/chromium.js';
import { OUT_DIR, writeReport } from './helpers.js';
import type { Browser, Page } from 'playwright-core';

const STEPS = 300;

interface DemoState {
  status: string;
  backend: string | null;
  step: number;
  losses: [number, number][];
  testAccuracy: [number, number][];
  marks: Record<'loss' | 'accuracy' | 'raster' | 'membrane', number>;
  error: string | null;
}

describe('examples/browser', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const demo = () => page.evaluate(() => (globalThis as unknown as { snntsDemo: DemoState }).snntsDemo);
  const active = () => page.textContent('#active-backend');

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1040, height: 1100 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${inject('origin')}/example/index.html?backend=webgl&steps=${STEPS}`);
    await page.waitForFunction(() => (globalThis as unknown as { snntsDemo?: DemoState }).snntsDemo?.status === 'ready', undefined, { timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the backend really active, and follows the selector', async () => {
    expect(await active()).toBe('webgl');
    await page.selectOption('#backend', 'cpu');
    await page.waitForFunction(() => document.getElementById('active-backend')!.textContent === 'cpu');
    expect((await demo()).backend).toBe('cpu');
    await page.selectOption('#backend', 'webgl');
    await page.waitForFunction(() => document.getElementById('active-backend')!.textContent === 'webgl');
    expect((await demo()).status).toBe('ready');
    expect(await page.textContent('#backends')).toMatch(/webgpu available; webgl available; tensorflow unavailable \(it runs only in Node\.js\); wasm available; cpu available/);
  });

  it(`trains ${STEPS} steps on webgl to test accuracy > 0.5 with every chart drawn`, async () => {
    const t0 = Date.now();
    await page.click('#start');
    await page.waitForFunction(() => (globalThis as unknown as { snntsDemo: DemoState }).snntsDemo.status === 'done', undefined, { timeout: 170_000 });
    const s = await demo();
    expect(errors).toEqual([]);
    expect(s.error).toBeNull();
    expect(s.backend).toBe('webgl');
    expect(s.step).toBe(STEPS);
    expect(s.losses).toHaveLength(STEPS);
    const acc = s.testAccuracy.at(-1)!;
    expect(acc[0]).toBe(STEPS);
    expect(acc[1]).toBeGreaterThan(0.5);
    expect(s.marks.loss).toBe(STEPS);
    expect(s.marks.accuracy).toBe(STEPS + s.testAccuracy.length);
    expect(s.marks.raster).toBeGreaterThan(0);
    expect(s.marks.membrane).toBe(8 * 10);
    expect(await page.textContent('#accuracy')).toBe(acc[1].toFixed(3));
    const inked = await page.evaluate(() =>
      ['loss-chart', 'accuracy-chart', 'raster', 'membrane'].map((id) => {
        const c = document.getElementById(id) as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) n++;
        return n;
      }),
    );
    for (const n of inked) expect(n).toBeGreaterThan(300);
    await page.screenshot({ path: join(OUT_DIR, 'example-browser.png'), fullPage: true });
    writeReport('example', { backend: s.backend, steps: s.step, testAccuracy: s.testAccuracy, lastLoss: s.losses.at(-1), seconds: (Date.now() - t0) / 1000, inkedPixels: inked });
  });

  it('downloads safetensors weights that give the same accuracy in Node on cpu', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(`snnts-mnist-webgl-step${STEPS}.safetensors`);
    const file = join(OUT_DIR, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = new Uint8Array(readFileSync(file));
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      '0.1.weight': [128, 784],
      '0.1.bias': [128],
      '2.0.weight': [10, 128],
      '2.0.bias': [10],
    });
    expect(metadata['snnts.className']).toBe('Sequential');
    tf.dispose(Object.values(tensors));

    await setBackend('cpu');
    const digits = decodeDigits(new Uint8Array(readFileSync(join(DIST_DIR, 'mnist-digits.bin'))));
    const { train, test } = splitDigits(digits, 8000, 2000, 0);
    const trainer = new Trainer(train, test, { hidden: 128 });
    loadSafetensors(trainer.snn.net, bytes);
    const nodeAccuracy = await trainer.evaluate(500);
    trainer.dispose();
    const pageAccuracy = (await demo()).testAccuracy.at(-1)![1];
    expect(Math.abs(nodeAccuracy - pageAccuracy)).toBeLessThanOrEqual(0.01);
  });
});
