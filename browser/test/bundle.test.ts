// What the browser bundles contain (the harness page and examples/browser, both built by
// lib/setup.ts the way an app would build them): the snnts packages from their published dist
// with their registration side effects, nothing Node-only (no Node builtin or Node-only package;
// the only disabled builtins are the ones tfjs's own `browser` fields map away, and no snnts file
// imports any of them), and exactly one copy of tfjs-core (two would give two backend registries).
// A control build shows that a Node builtin import does fail the bundling.
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { HARNESS_DIR } from '../lib/bundle.js';

const DIST = join(HARNESS_DIR, 'dist');
const BUNDLES = {
  harness: { meta: 'harness.meta.json', js: join(DIST, 'harness.js') },
  example: { meta: 'example.meta.json', js: join(HARNESS_DIR, '..', 'examples', 'browser', 'dist', 'main.js') },
};

/** Modules that tfjs and its dependencies disable in browsers through their package.json `browser` field. */
const ALLOWED_DISABLED = ['crypto', 'fs', 'node-fetch', 'os', 'path', 'perf_hooks', 'string_decoder', 'util', 'worker_threads'];
/** Packages that must never reach a browser bundle. */
const NODE_ONLY = /node_modules\/(@tensorflow\/tfjs-node|@tensorflow\/tfjs-node-gpu|playwright-core|esbuild|vitest|tsx|onnxruntime-node|@resvg)\//;

const disabledName = (input: string) => input.replace(/^\(disabled\):/, '').replace(/^.*node_modules\/([^/]+)\/.*$/, '$1');

describe.each(Object.entries(BUNDLES))('the %s bundle', (_name, b) => {
  const meta = JSON.parse(readFileSync(join(DIST, b.meta), 'utf8')) as Metafile;
  const inputs = Object.keys(meta.inputs);
  const snnts = inputs.filter((i) => /(^|\/)packages\/[^/]+\//.test(i) && !i.includes('node_modules'));

  it('takes the snnts packages from their dist, registration side effects included', () => {
    expect(snnts.length).toBeGreaterThan(50);
    for (const i of snnts) expect(i).toMatch(/packages\/(core|functional|nn|optim)\/dist\//);
    expect(snnts).toEqual(expect.arrayContaining([expect.stringMatching(/packages\/core\/dist\/register\.js$/), expect.stringMatching(/packages\/functional\/dist\/register\.js$/)]));
  });

  it('contains no Node builtin and no Node-only package', () => {
    const disabled = inputs.filter((i) => i.startsWith('(disabled):'));
    expect([...new Set(disabled.map(disabledName))].sort()).toEqual(ALLOWED_DISABLED);
    for (const i of inputs) {
      expect(i).not.toMatch(NODE_ONLY);
      expect(isBuiltin(i), i).toBe(false);
    }
    const badImports = Object.entries(meta.inputs).flatMap(([file, info]) =>
      info.imports
        .filter((imp) => imp.external ? imp.path !== '<runtime>' : imp.path.startsWith('(disabled):') && snnts.includes(file))
        .map((imp) => `${file} -> ${imp.path}`),
    );
    expect(badImports).toEqual([]);
    const code = readFileSync(b.js, 'utf8');
    expect(code).not.toMatch(/(from|import\()\s*["']node:/);
  });

  it('has exactly one copy of tfjs-core', () => {
    expect(inputs.filter((i) => /@tensorflow\/tfjs-core\/dist\/engine\.js$/.test(i))).toHaveLength(1);
  });
});

describe('control', () => {
  it('bundling code that imports a Node builtin fails under the same settings', async () => {
    const attempt = build({
      stdin: { contents: "import '@snnts/core'; import { readFileSync } from 'node:fs'; console.log(readFileSync);", resolveDir: HARNESS_DIR, loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    await expect(attempt).rejects.toThrow(/node:fs/);
  });
});
