/**
 * Builds `child.ts` into one plain-JS file (`bench/out/child.mjs`) that imports the `@snnts/*`
 * packages from their built `dist/` and everything else from `node_modules`, so each measured run
 * is `node child.mjs`: what a user's compiled program runs. Running the child under `tsx` instead
 * added its loader thread and in-process transpiling, about 90 MB of peak RSS that is not snnts's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** `@snnts/x` -> `packages/x/dist/index.js` (must be built: `pnpm build`); other packages stay bare imports. */
function externals(root: string): Plugin {
  return {
    name: 'snnts-dist-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const m = /^@snnts\/([a-z-]+)$/.exec(args.path);
        if (!m) return { path: args.path, external: true };
        const dist = join(root, 'packages', m[1]!, 'dist', 'index.js');
        if (!existsSync(dist)) throw new Error(`${args.path}: ${dist} is missing; run pnpm build first`);
        return { path: dist, external: true };
      });
    },
  };
}

/**
 * Bundles `bench/src/child.ts` for plain `node`; returns the output path.
 *
 * @example
 * ```ts
 * const child = await buildChild('/path/to/repo'); // then: node <child> --workload W1 ...
 * ```
 */
export async function buildChild(root: string): Promise<string> {
  const outfile = join(root, 'bench', 'out', 'child.mjs');
  await build({
    entryPoints: [join(root, 'bench', 'src', 'child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    plugins: [externals(root)],
    logLevel: 'error',
  });
  return outfile;
}
