// The library packages must stay browser-safe: bundling each one for the browser platform with
// esbuild must succeed (no static import of a Node-only module anywhere in its import graph), and
// no source file may statically import a Node builtin.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = readdirSync(join(root, 'packages'));
const NODE_BUILTIN = /^(node:|fs$|fs\/|path$|os$|url$|child_process$|worker_threads$|crypto$|module$|stream$|util$|zlib$)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('browser safety', () => {
  it.each(PACKAGES)('@snnts/%s has no static import of a Node builtin', (pkg) => {
    const offenders: string[] = [];
    for (const file of sources(join(root, 'packages', pkg, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s*['"]([^'"]+)['"]/gm)) {
        if (NODE_BUILTIN.test(m[1]!)) offenders.push(`${file}: ${m[1]}`);
      }
      for (const m of text.matchAll(/\bimport\(\s*(?:\/\*.*?\*\/\s*)*['"]([^'"]+)['"]/g)) {
        if (NODE_BUILTIN.test(m[1]!)) offenders.push(`${file}: dynamic literal import(${m[1]})`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it.each(PACKAGES)('@snnts/%s bundles for the browser platform', async (pkg) => {
    const result = await build({
      entryPoints: [join(root, 'packages', pkg, 'src', 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      external: ['@tensorflow/*'],
      alias: Object.fromEntries(PACKAGES.map((p) => [`@snnts/${p}`, join(root, 'packages', p, 'src', 'index.ts')])),
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:/);
  });
});
