/**
 * Bundling for the browser with esbuild, the way an application would: the @snnts/* packages
 * resolve through node_modules to their built `dist/` (their package.json `exports` and
 * `sideEffects` apply), the platform is `browser`, and the metafile is kept so a test can check
 * what went into the bundle (nothing Node-only, a single copy of tfjs-core).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** This harness's folder. */
export const HARNESS_DIR = join(ROOT, 'browser');

/** What {@link bundleForBrowser} produced. */
export interface BundleResult {
  outfile: string;
  metafile: Metafile;
  warnings: string[];
}

/**
 * Bundles `entry` (a TypeScript file) into one ES module at `outfile`. Esbuild resolves with the
 * browser conditions and `browser` fields, so a static import of a Node builtin anywhere in the
 * graph is a build error, and a package's own `"fs": false` style mappings show up as
 * `(disabled):` inputs in the metafile.
 */
export async function bundleForBrowser(entry: string, outfile: string): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    keepNames: true,
  });
  return { outfile, metafile: result.metafile, warnings: result.warnings.map((w) => w.text) };
}
