// Test runner configuration: resolves the @snnts/* packages to their TypeScript sources so the
// suite runs without a build, and gives the slower golden/backend suites enough time.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
/** Every workspace package under packages/ (each is `@snnts/<folder>`). */
const packages = readdirSync(new URL('./packages/', import.meta.url));

export default defineConfig({
  resolve: {
    alias: Object.fromEntries(packages.map((p) => [`@snnts/${p}`, src(p)])),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
