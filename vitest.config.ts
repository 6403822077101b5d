import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@tootstream/core/schemas': fileURLToPath(new URL('./packages/core/src/schemas.ts', import.meta.url)),
      '@tootstream/core': source('core'),
      // Before the main entry: an alias also matches as a prefix.
      '@tootstream/testkit/ledger': fileURLToPath(new URL('./packages/testkit/src/ledger.ts', import.meta.url)),
      '@tootstream/testkit': source('testkit'),
      '@tootstream/listener': source('listener'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
