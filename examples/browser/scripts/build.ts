/**
 * Builds the page into examples/browser/dist: `main.js` (esbuild bundle of src/main.ts; the
 * @snnts/* packages resolve like any npm dependency, to their built `dist/`, so run `pnpm build`
 * at the root first), `index.html`, the digits file and the tfjs wasm binaries.
 * Run `pnpm --filter @snnts/example-browser build`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { writeDigits } from './digits.js';

/** This example's folder. */
export const EXAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built page goes. */
export const DIST_DIR = join(EXAMPLE_DIR, 'dist');

/** Builds the page; returns esbuild's metafile (what went into main.js). */
export async function buildExample(outDir = DIST_DIR): Promise<Metafile> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(EXAMPLE_DIR, 'src', 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  copyFileSync(join(EXAMPLE_DIR, 'index.html'), join(outDir, 'index.html'));
  const digits = join(outDir, 'mnist-digits.bin');
  if (!existsSync(digits)) writeDigits(digits);
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(outDir, f));
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildExample();
  process.stdout.write(`built ${DIST_DIR}\n`);
}
