/**
 * Vitest global setup of the browser tests: bundles the harness page and builds examples/browser
 * (both from the packages' built dist, so `tsc -b` must have run), serves them and the fixtures on
 * 127.0.0.1, and hands the origin to the tests (`inject('origin')`).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildExample, DIST_DIR as EXAMPLE_DIST } from '../../examples/browser/scripts/build.js';
import { HARNESS_DIR, ROOT, bundleForBrowser } from './bundle.js';
import { serveStatic, type StaticServer } from './server.js';

/** Where the harness bundle and the metafiles go. */
export const HARNESS_DIST = join(HARNESS_DIR, 'dist');
/** Where tests write screenshots and reports. */
export const OUT_DIR = join(HARNESS_DIR, 'out');

declare module 'vitest' {
  export interface ProvidedContext {
    origin: string;
  }
}

let server: StaticServer | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync(HARNESS_DIST, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const harness = await bundleForBrowser(join(HARNESS_DIR, 'page', 'harness.ts'), join(HARNESS_DIST, 'harness.js'));
  writeFileSync(join(HARNESS_DIST, 'harness.meta.json'), JSON.stringify(harness.metafile));
  copyFileSync(join(HARNESS_DIR, 'page', 'index.html'), join(HARNESS_DIST, 'index.html'));
  const example = await buildExample();
  writeFileSync(join(HARNESS_DIST, 'example.meta.json'), JSON.stringify(example));
  server = await serveStatic({
    '/': HARNESS_DIST,
    '/example/': EXAMPLE_DIST,
    '/fixtures/golden/': join(ROOT, 'test', 'fixtures', 'golden'),
    '/fixtures/nn/': join(ROOT, 'packages', 'nn', 'test', 'fixtures'),
  });
  project.provide('origin', server.origin);
  return async () => {
    await server?.close();
  };
}
