// Vitest configuration of the browser tests (`pnpm test:browser` at the root): Node-side test files
// that drive headless Chromium. One file at a time (each launches its own browser; CI has 2 cores).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    globalSetup: ['lib/setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
