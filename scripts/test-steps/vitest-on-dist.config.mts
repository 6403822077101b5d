// The listener's test suite run against the BUILT packages (step 35). Core's build
// shortens internal property names (tsup.config.ts) and bundles its chunks, and
// vitest's main run (step 30) tests the sources: here the listener's own tests, all
// against the testkit's real server, drive the dist exactly as an installed
// package would be used. The testkit stays on its sources (it is the server).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export default defineConfig({
  root: fromRoot(''),
  resolve: {
    alias: {
      '@tootstream/core/schemas': fromRoot('packages/core/dist/schemas.js'),
      '@tootstream/core': fromRoot('packages/core/dist/index.js'),
      '@tootstream/testkit/ledger': fromRoot('packages/testkit/src/ledger.ts'),
      '@tootstream/testkit': fromRoot('packages/testkit/src/index.ts'),
      '@tootstream/listener': fromRoot('packages/listener/dist/index.js'),
    },
  },
  test: {
    include: ['packages/listener/test/**/*.test.ts'],
    // These two read the listener's sources (its on-demand rule; an internal mapping function), not its behaviour.
    exclude: ['packages/listener/test/on-demand.test.ts', 'packages/listener/test/errors.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
