import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
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

/**
 * Property names that exist only inside core (its internal classes, the objects
 * its modules and chunks hand each other), shortened by esbuild in core's dist:
 * about 190 B gz off what every user downloads. An explicit list, never a
 * pattern, because a renamed public field, wire or JSON field, or member of a
 * built-in would break users silently (the unit tests run the sources, not the
 * dist). The listener, built on its own, reaches core only through the public
 * API, so its JavaScript keeps working. {@link checkInternalProperties} fails
 * the build if a name here is any of those.
 */
const CORE_INTERNAL_PROPERTIES = [
  // StreamSession's context, the stream request, a catch-up run's fields
  'prepareAttempt', 'apiBase', 'resolvedRequest', 'settledOptions', 'randomSource', 'clockSource', 'loadRest', 'streamObserver', 'liveSessions',
  'pathAndQuery', 'streamLabel', 'resumeCursor',
  // StreamObserver
  'delivered', 'duplicate', 'heartbeatArrived', 'opened', 'catchingUp',
  'attemptStarted', 'retryScheduled', 'sessionClosed', 'errorOccurred', 'callHook',
  // StreamLoops
  'startLoop', 'latestCursor', 'closeLoops',
  // SseConnection
  'heartbeat', 'lastReceivedAt', 'serverClockOffsetMs', 'openStream', 'readChunk', 'closeNow', 'streamUrl', 'requestHeaders', 'fetchStream',
  // EventQueue
  'queueEvent', 'queueReport', 'nextEvent', 'discardAll',
  // the SSE parsers
  'feed', 'takePending', 'onSseMessage', 'onComment', 'onInvalidUtf8',
  // ResumePoint, RetryBudget, the dedupe caches
  'statusCursor', 'notificationCursor', 'toCursor', 'assertIssued', 'spent', 'spend', 'lost', 'remember', 'admit', 'trackDelivered', 'failedAt',
  // the event decoder, the REST side and a catch-up run's fields
  'decodeMessage', 'passes', 'explain', 'fromObject', 'gapSince', 'catchUpPolicy', 'streamingBase', 'forgetStreamingBase', 'discoveredDocument', 'cachedDocument', 'isHealthy', 'decoder', 'resumePoint', 'coverageStart',
  // the kit handed to the on-demand chunks (up-front-kit.ts), keyed by its own names: a public name is kept
  'sleep', 'toNetworkError', 'normalizeStreamingBase',
  'ApiError', 'ArgumentError', 'ContentTypeError', 'NetworkError', 'EventTooLargeError', 'isTootstream', 'compareIdStrings',
];

/**
 * The listener's own internal property names (its run, handle, options and instance-check context),
 * shortened the same way and held by the same guard, with core's emitted declarations in place of
 * ky's and valibot's: the listener reaches core only through them, so a name there must stay whole.
 */
const LISTENER_INTERNAL_PROPERTIES = [
  'handlerErrorsStop', 'hideStreamLabel', 'handlerFailure', 'execute', 'alive', 'receiving',
  'core', 'kit', 'coreFetch', 'hasToken', 'feed', 'instanceChecks', 'runChecks', 'backoffSources',
  // the run's outcomes and verdicts
  'runKind', 'thrown', 'mayRestart',
  // a call's resolved options
  'coreOptions', 'userSignal',
  // a run's spec and the run
  'runListener', 'runOptions', 'openCoreStream', 'coreStream', 'stopRun',
  // a client's instance-check context
  'clientOptions', 'instanceUrl', 'requestTimeoutMs', 'versionMode', 'instanceDocument',
];

/**
 * Every identifier, keyword used as a name, and string or template text in TypeScript declaration
 * files, from a real parse: a bare scanner loses track after the first template literal type and
 * skips thousands of names in TypeScript's lib and valibot.
 */
function declaredNames(files: string[]): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) names.add(node.text);
    else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  for (const file of files) visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false));
  return names;
}

const declarationFiles = (directory: string): string[] =>
  existsSync(directory) ? readdirSync(directory, { recursive: true }).map(String).filter((file) => /\.d\.[cm]?ts$/.test(file)).map((file) => join(directory, file)) : [];

/**
 * The guard of {@link CORE_INTERNAL_PROPERTIES} and {@link LISTENER_INTERNAL_PROPERTIES}, run on the
 * finished build: a name must not be a member of a built-in (TypeScript's lib) or of what the package
 * calls in its dependencies (ky and valibot for core, core's public API for the listener), must not
 * appear in the package's emitted declarations (its public API, payload types included), and must not
 * be a string or an export name in its emitted JavaScript (a property read by name, or a chunk's export
 * read through its namespace, would not be renamed with it).
 */
function checkInternalProperties(pkg: MangledPackage): string[] {
  const { outDir, names, dependencyDeclarations } = MANGLED[pkg];
  const problems: string[] = [];
  const builtIns = declaredNames(declarationFiles('node_modules/typescript/lib'));
  const dependencies = declaredNames(dependencyDeclarations());
  const emittedDeclarations = declarationFiles(outDir);
  if (emittedDeclarations.length === 0) problems.push(`${outDir} has no declarations to check`);
  const published = declaredNames(emittedDeclarations);
  const scripts = readdirSync(outDir).filter((file) => file.endsWith('.js')).map((file) => readFileSync(join(outDir, file), 'utf8'));
  const exported = new Set(scripts.flatMap((text) => [...text.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((match) => match[1]!.match(/[\w$]+/g) ?? [])));
  for (const name of names) {
    if (builtIns.has(name)) problems.push(`${name} is a name in TypeScript's lib`);
    if (dependencies.has(name)) problems.push(`${name} is a name in the declarations of ${pkg}'s dependencies`);
    if (published.has(name)) problems.push(`${name} is in ${pkg}'s emitted declarations`);
    if (exported.has(name)) problems.push(`${name} is an export name of a ${pkg} chunk`);
    if (scripts.some((text) => new RegExp(`["'\`]${name}["'\`]`).test(text))) problems.push(`${name} is a string in ${pkg}'s JavaScript`);
  }
  return problems;
}

type MangledPackage = 'core' | 'listener';
const MANGLED: Record<MangledPackage, { outDir: string; names: string[]; dependencyDeclarations: () => string[] }> = {
  core: {
    outDir: 'packages/core/dist',
    names: CORE_INTERNAL_PROPERTIES,
    dependencyDeclarations: () => ['ky', 'valibot'].flatMap((name) => declarationFiles(`packages/core/node_modules/${name}`)),
  },
  listener: { outDir: 'packages/listener/dist', names: LISTENER_INTERNAL_PROPERTIES, dependencyDeclarations: () => declarationFiles('packages/core/dist') },
};

// tsup writes the declarations in a worker after the JavaScript (and after
// onSuccess), so the guard runs once the whole build is done.
const built = new Set<MangledPackage>();
process.once('beforeExit', () => {
  for (const pkg of built) {
    const problems = checkInternalProperties(pkg);
    if (problems.length === 0) continue;
    console.error(`tsup.config.ts: ${pkg}'s mangled property names are not internal (its dist is deleted):\n  ${problems.join('\n  ')}`);
    // A dist with a public or built-in name renamed must not be tested, packed or measured by a later step.
    rmSync(MANGLED[pkg].outDir, { recursive: true, force: true });
    process.exitCode = 1;
  }
});

const mangling = (names: string[]): NonNullable<Options['esbuildOptions']> => (options) => {
  options.mangleProps = new RegExp(`^(${names.join('|')})$`);
};

/**
 * fetch-event-source ships `lib/esm/parse.js` with a source map that points at its `src/parse.ts`, which the
 * package does not ship: esbuild follows that map and our map then names a missing file with no content (Vite
 * warns about it, debuggers show nothing). Without the comment, our map holds the bundled JavaScript itself.
 */
function withoutInputSourceMap(filter: RegExp): NonNullable<Options['esbuildPlugins']>[number] {
  return {
    name: 'without-input-source-map',
    setup(build) {
      build.onLoad({ filter }, (args) => ({
        contents: readFileSync(args.path, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''),
        loader: 'js',
      }));
    },
  };
}

const packages: Options[] = [
  {
    ...shared,
    name: 'core',
    // `schemas` is a second entry; with splitting, the deep schemas become a
    // chunk shared by that entry and the dynamic import behind validate: 'full'.
    // The modules behind core's dynamic imports are entries too, only so that their
    // files are named without a content hash (`rest.js`, not `rest-FGSVQ5RZ.js`): an
    // app's bundler adds its own hash to the name, so the import specifiers that every
    // user downloads carried two (about 40 B gz). They get no declarations: not public.
    entry: {
      index: 'packages/core/src/index.ts',
      schemas: 'packages/core/src/schemas.ts',
      rest: 'packages/core/src/rest.ts',
      'api-errors': 'packages/core/src/api-errors.ts',
      'sse-cr-lines': 'packages/core/src/sse-cr-lines.ts',
      'full-schemas': 'packages/core/src/full-schemas.ts',
    },
    dts: { entry: { index: 'packages/core/src/index.ts', schemas: 'packages/core/src/schemas.ts' } },
    splitting: true,
    outDir: 'packages/core/dist',
    external: ['ky', 'valibot'],
    // The parse module of @microsoft/fetch-event-source has no usable ESM entry
    // in Node (see ARCHITECTURE.md), so it is bundled into our dist.
    noExternal: ['@microsoft/fetch-event-source'],
    esbuildPlugins: [withoutInputSourceMap(/[\\/]@microsoft[\\/]fetch-event-source[\\/]/)],
    esbuildOptions: mangling(CORE_INTERNAL_PROPERTIES),
    onSuccess: async () => {
      built.add('core');
    },
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
    // The listener's dynamic imports (instance checks, rare paths, restart) must stay
    // separate chunks, loaded only when used; entries only for plain file names, as core's.
    entry: {
      index: 'packages/listener/src/index.ts',
      'instance-checks': 'packages/listener/src/instance-checks.ts',
      'rare-paths': 'packages/listener/src/rare-paths.ts',
      restart: 'packages/listener/src/restart.ts',
    },
    dts: { entry: { index: 'packages/listener/src/index.ts' } },
    splitting: true,
    outDir: 'packages/listener/dist',
    external: ['@tootstream/core'],
    esbuildOptions: mangling(LISTENER_INTERNAL_PROPERTIES),
    onSuccess: async () => {
      built.add('listener');
    },
  },
];

// Built one package at a time (scripts/build.mjs sets TOOTSTREAM_PACKAGE) so that
// the listener's declarations can resolve the already-built core declarations.
const only = process.env.TOOTSTREAM_PACKAGE;
export default defineConfig(only ? packages.filter((options) => options.name === only) : packages);
