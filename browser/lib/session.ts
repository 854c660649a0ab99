/**
 * One Chromium page on the harness, for a test file: `call('neurons', 'webgl')` runs
 * `window.snnts.neurons('webgl')` in the page and returns its (JSON) result. Console errors and
 * page errors are collected so a test can show them when something fails.
 */
import type { Browser, Page } from 'playwright-core';
import type { SnntsHarness } from '../page/harness.js';
import { launchChromium } from './chromium.js';

/** An open harness page. */
export interface HarnessSession {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors so far. */
  errors: string[];
  call<K extends keyof SnntsHarness>(name: K, ...args: Parameters<SnntsHarness[K]>): Promise<Awaited<ReturnType<SnntsHarness[K]>>>;
  close(): Promise<void>;
}

/** Options of {@link openHarness}. */
export interface OpenOptions {
  /** A script run in the page before any of its own (e.g. to hide WebGL or WebGPU). */
  initScript?: string;
}

/** Launches Chromium and opens the harness page served at `origin`. */
export async function openHarness(origin: string, options: OpenOptions = {}): Promise<HarnessSession> {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || process.env['SNNTS_BROWSER_DEBUG']) errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => 'snnts' in globalThis, undefined, { timeout: 30_000 });
  return {
    browser,
    page,
    errors,
    call: (name, ...args) =>
      page.evaluate(
        ([n, a]) => (globalThis as unknown as { snnts: Record<string, (...x: unknown[]) => unknown> }).snnts[n]!(...a),
        [name, args] as [string, unknown[]],
      ) as never,
    close: () => browser.close(),
  };
}
