import { defineConfig, type Options } from 'tsup';

/**
 * One build per package. ESM only: every runtime we target (browsers, Deno 2,
 * Node >= 20.19 via require(esm)) loads ESM, and ky is itself ESM-only, so a
 * CommonJS build would have to inline ky and ship two copies of our state.
 */
const shared: Options = {
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  splitting: false,
  tsconfig: 'tsconfig.build.json',
};

const packages: Options[] = [
  {
    ...shared,
    name: 'core',
    // `schemas` is a second entry; with splitting, the deep schemas become a
    // chunk shared by that entry and the dynamic import behind validate: 'full'.
    entry: { index: 'packages/core/src/index.ts', schemas: 'packages/core/src/schemas.ts' },
    splitting: true,
    outDir: 'packages/core/dist',
    external: ['ky', 'valibot'],
    // The parse module of @microsoft/fetch-event-source has no usable ESM entry
    // in Node (see ARCHITECTURE.md), so it is bundled into our dist.
    noExternal: ['@microsoft/fetch-event-source'],
  },
  {
    ...shared,
    name: 'testkit',
    // `ledger` is the node-free chaos oracle (browsers import it). With splitting,
    // the code both entries share is one chunk, so the main entry's re-exports are
    // the same functions and the same ChaosViolationError class, not copies.
    entry: { index: 'packages/testkit/src/index.ts', ledger: 'packages/testkit/src/ledger.ts' },
    splitting: true,
    outDir: 'packages/testkit/dist',
    platform: 'node',
    // tsup strips `node:` by default (its next major will not): keep what the
    // sources say, so no resolver can take `http` for an npm package of that name.
    removeNodeProtocol: false,
  },
  {
    ...shared,
    name: 'listener',
    entry: { index: 'packages/listener/src/index.ts' },
    // The listener's dynamic imports (REST checks, rare error mapping, handleStream)
    // must stay separate chunks, loaded only when used.
    splitting: true,
    outDir: 'packages/listener/dist',
    external: ['@tootstream/core'],
  },
];

// Built one package at a time (scripts/build.mjs sets TOOTSTREAM_PACKAGE) so that
// the listener's declarations can resolve the already-built core declarations.
const only = process.env.TOOTSTREAM_PACKAGE;
export default defineConfig(only ? packages.filter((options) => options.name === only) : packages);
