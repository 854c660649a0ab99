// Test runner configuration: resolves the @snnts/* packages to their TypeScript sources so the
// suite runs without a build, and gives the slower golden/backend suites enough time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@snnts/core': src('core'),
      '@snnts/functional': src('functional'),
      '@snnts/nn': src('nn'),
      '@snnts/optim': src('optim'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
