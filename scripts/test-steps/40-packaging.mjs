// Tests what would be published, not the workspace: each package is packed
// with `pnpm pack` (which rewrites `workspace:^` ranges), the tarball is
// linted with publint and @arethetypeswrong/cli, then all tarballs are
// installed with npm into a scratch project, whose consumer types.ts must compile
// against their declarations under the repository's TypeScript and the oldest the
// README promises, and imported from Node ESM, Node CommonJS (require(esm); no CJS
// build is shipped) and Deno, each of which opens streams against a fake Mastodon
// and must receive an event.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ensureRuntimes } from '../ensure-runtimes.mjs';
import { denoEnvironment, repoRoot, runProcess, startControlServer } from '../conformance/processes.mjs';

const PACKAGES = ['core', 'listener', 'testkit'];
// One folder per run, so that concurrent runs in one work tree cannot clobber each other.
const scratch = join(repoRoot, '.scratch', `packaging-${process.pid}`);
const packsDir = join(scratch, 'packs');
const consumerDir = join(scratch, 'consumer');
const consumersSource = join(repoRoot, 'scripts', 'conformance', 'consumers');
// pnpm's .bin entries are shell scripts: run them as commands, not with node.
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const pnpmSpec = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z
// The oldest TypeScript the core README promises ("TypeScript 5.2 or later"), the last 5.2 release. The consumer
// declares it as its own devDependency, so npm installs it from the registry with the tarballs, into the scratch
// project, on every run: nothing is cached in the work tree. The newest is the repository's own.
const OLDEST_TYPESCRIPT = '5.2.2';

const checks = [];
async function check(name, action) {
  console.log(`\n--- ${name} ---`);
  try {
    const detail = await action();
    checks.push({ name, ok: true });
    if (detail) console.log(detail);
  } catch (error) {
    checks.push({ name, ok: false });
    console.error(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function run(command, args, options = {}) {
  const result = await runProcess(command, args, { timeoutMs: 300_000, ...options });
  if (result.code !== 0) throw new Error(`${[command, ...args].join(' ').slice(0, 200)} exited with ${result.code}`);
  return result.output;
}

for (const name of PACKAGES) {
  if (!existsSync(join(repoRoot, 'packages', name, 'dist', 'index.js'))) {
    console.error(`40-packaging: packages/${name}/dist is missing; run \`node scripts/build.mjs\` (step 10) first`);
    process.exit(1);
  }
}
rmSync(scratch, { recursive: true, force: true });
mkdirSync(packsDir, { recursive: true });
mkdirSync(consumerDir, { recursive: true });

const tarballs = {};
for (const name of PACKAGES) {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8'));
  const tarball = join(packsDir, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`);
  tarballs[name] = tarball;

  await check(`${manifest.name}: pnpm pack`, async () => {
    await run('npx', ['-y', pnpmSpec, 'pack', '--pack-destination', packsDir], { cwd: join(repoRoot, 'packages', name), label: `pack ${name}` });
    const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const ranges = Object.values({ ...packed.dependencies, ...packed.peerDependencies });
    if (ranges.some((range) => String(range).startsWith('workspace:'))) throw new Error(`workspace: ranges left in the packed manifest: ${JSON.stringify(packed.dependencies)}`);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const dependencies = Object.entries(packed.dependencies ?? {}).map(([dependency, range]) => `${dependency}@${range}`);
    return `  ${files.length} files: ${files.map((file) => file.replace(/^package\//, '')).join(', ')}\n  dependencies: ${dependencies.join(', ') || 'none'}`;
  });

  // A bare `http` reads as an npm package to any resolver that does not know
  // Node's built-in names; tsup strips `node:` unless told not to.
  await check(`${manifest.name}: Node built-ins imported as node:*`, async () => {
    const scripts = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').filter((file) => file.endsWith('.js'));
    const bare = [];
    for (const file of scripts) {
      const text = execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' });
      for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)) {
        if (builtinModules.includes(specifier.split('/')[0])) bare.push(`${file}: '${specifier}'`);
      }
    }
    if (bare.length > 0) throw new Error(`bare built-in imports: ${bare.join(', ')}`);
    return `  ${scripts.length} scripts, no bare built-in import`;
  });

  // What users' tools read of the packed files: each script names its source map once, and every map carries the
  // content of each source it names (the sources are not shipped); `engines` admits only Node versions whose
  // require() loads ESM without a flag (20.19+ and 22.12+), since the README promises require() works.
  await check(`${manifest.name}: source maps and engines`, async () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const problems = [];
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      const count = execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' }).match(/^\/\/# sourceMappingURL=/gm)?.length ?? 0;
      if (count !== 1) problems.push(`${file}: ${count} sourceMappingURL comments`);
    }
    for (const file of files.filter((name) => name.endsWith('.js.map'))) {
      const map = JSON.parse(execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' }));
      map.sources.forEach((source, index) => typeof map.sourcesContent?.[index] !== 'string' && problems.push(`${file}: no content for ${source}`));
    }
    const engines = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })).engines?.node;
    if (engines !== '^20.19.0 || >=22.12.0') problems.push(`engines.node is ${JSON.stringify(engines)}`);
    if (problems.length > 0) throw new Error(problems.join('; '));
    return `  one map per script, every source's content in its map, engines ${engines}`;
  });

  // npm shows the packed README on its own: a relative link that leaves the package (../../examples) is a dead link
  // there, though it works on a clone of the repository.
  await check(`${manifest.name}: README links stay inside the package`, async () => {
    const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n'));
    const readme = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target).filter((target) => !/^[a-z][a-z+.-]*:|^#/i.test(target));
    const dead = relative.filter((target) => !files.has(`package/${target.replace(/^\.\//, '').split('#')[0]}`));
    if (dead.length > 0) throw new Error(`README links to files the tarball does not hold: ${dead.join(', ')}`);
    return `  ${relative.length} relative links, all inside the tarball`;
  });

  // Members marked @internal (constructors only a client or a stream method calls) are stripped
  // from the shipped types, and with them the internal classes their parameters named.
  await check(`${manifest.name}: no @internal member or internal class in the shipped types`, async () => {
    const declarations = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').filter((file) => file.endsWith('.d.ts'));
    const leaks = [];
    for (const file of declarations) {
      const text = execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' });
      for (const internal of ['@internal', 'class StreamSession', 'class StreamObserver', 'interface Rest ', 'interface StreamRun ']) if (text.includes(internal)) leaks.push(`${file}: ${internal}`);
    }
    if (leaks.length > 0) throw new Error(`internal types shipped: ${leaks.join(', ')}`);
    return `  ${declarations.length} declaration files, nothing internal`;
  });

  // --strict turns publint's warnings into errors; suggestions are printed, and none is waived.
  await check(`${manifest.name}: publint --strict`, async () => {
    const output = await run(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], { label: `publint ${name}` });
    if (!/All good!/.test(output)) throw new Error('publint printed messages (suggestions included): fix them or justify a waiver here');
  });

  // The esm-only profile ignores the node10 and node16-from-CJS resolutions: no
  // CommonJS build is shipped (see tsup.config.ts). `require()` of the package is
  // tested for real below, on Node's require(esm).
  await check(`${manifest.name}: attw --profile esm-only`, () =>
    run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color'], { label: `attw ${name}` }).then(() => undefined),
  );
}

await check('scratch project: npm install of the tarballs', async () => {
  const dependencies = Object.fromEntries(PACKAGES.map((name) => [`@tootstream/${name}`, `file:${tarballs[name]}`]));
  const devDependencies = { typescript: OLDEST_TYPESCRIPT };
  writeFileSync(join(consumerDir, 'package.json'), `${JSON.stringify({ name: 'tootstream-consumer', private: true, type: 'module', dependencies, devDependencies }, null, 2)}\n`);
  for (const file of ['smoke.mjs', 'node-esm.mjs', 'node-cjs.cjs', 'deno.mjs']) copyFileSync(join(consumersSource, file), join(consumerDir, file));
  // ky and valibot come from the registry, as for a real user; @tootstream/core,
  // which the listener depends on, must be satisfied by the local tarball.
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumerDir, label: 'npm install' });
  const installed = JSON.parse(readFileSync(join(consumerDir, 'node_modules', '@tootstream', 'core', 'package.json'), 'utf8'));
  return `  installed @tootstream/core ${installed.version} with ky, valibot and TypeScript ${OLDEST_TYPESCRIPT} from the registry`;
});

copyFileSync(join(consumersSource, 'types.ts'), join(consumerDir, 'types.ts'));
const compilerOptions = { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom', 'esnext.disposable'], strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true, types: [] };
writeFileSync(join(consumerDir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, files: ['types.ts'] }, null, 2)}\n`);
// A declaration only a newer compiler reads (NoInfer, 5.4) fails the oldest one; the newest reads what users of it get.
const compilers = [
  ['the repository\'s', join(repoRoot, 'node_modules', 'typescript')],
  ['the oldest the README promises', join(consumerDir, 'node_modules', 'typescript')],
];
for (const [which, typescript] of compilers) {
  const version = existsSync(typescript) ? JSON.parse(readFileSync(join(typescript, 'package.json'), 'utf8')).version : '(not installed)';
  await check(`TypeScript ${version} (${which}): the installed declarations type-check a consumer (strict, skipLibCheck off)`, async () => {
    const started = Date.now();
    await run(process.execPath, [join(typescript, 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: consumerDir, label: `tsc ${version}`, timeoutMs: 120_000 });
    return `  ${((Date.now() - started) / 1000).toFixed(1)} s`;
  });
}

// Tools that ignore `exports` (TypeScript's node10 resolution, Parcel 2 by default) find `@tootstream/core/schemas`
// only through schemas/package.json in the tarball.
copyFileSync(join(consumersSource, 'types-legacy-resolution.ts'), join(consumerDir, 'types-legacy-resolution.ts'));
const legacyOptions = { ...compilerOptions, module: 'esnext', moduleResolution: 'node10' };
writeFileSync(join(consumerDir, 'tsconfig.legacy.json'), `${JSON.stringify({ compilerOptions: legacyOptions, files: ['types-legacy-resolution.ts'] }, null, 2)}\n`);
await check('TypeScript (the repository\'s), moduleResolution node10: both entries of core and the listener resolve without `exports`', async () => {
  await run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.legacy.json'], { cwd: consumerDir, label: 'tsc node10', timeoutMs: 120_000 });
  // And at run time, as a bundler that reads `main` would: the folder's entry is the file `exports` names.
  const folder = JSON.parse(readFileSync(join(consumerDir, 'node_modules', '@tootstream', 'core', 'schemas', 'package.json'), 'utf8'));
  const root = JSON.parse(readFileSync(join(consumerDir, 'node_modules', '@tootstream', 'core', 'package.json'), 'utf8'));
  const named = (path) => join('schemas', path);
  if (named(folder.main) !== join(root.exports['./schemas'].default) || named(folder.types) !== join(root.exports['./schemas'].types)) throw new Error(`schemas/package.json points at ${folder.main} and ${folder.types}, not at what exports names`);
  return undefined;
});

const nodeEsmSource = readFileSync(join(consumersSource, 'node-esm.mjs'), 'utf8');
await check(`Node ${process.version} ESM: import and stream`, () =>
  run(process.execPath, ['--input-type=module', '-e', nodeEsmSource], { cwd: consumerDir, label: 'node esm', timeoutMs: 60_000 }).then(() => undefined),
);
await check(`Node ${process.version} CommonJS: require(esm) and stream`, () =>
  run(process.execPath, ['node-cjs.cjs'], { cwd: consumerDir, label: 'node cjs', timeoutMs: 60_000 }).then(() => undefined),
);

await check('Deno 2: import from node_modules and stream', async () => {
  const { deno } = ensureRuntimes();
  const control = await startControlServer();
  try {
    // Unlike the runtimes step, Deno reads the consumer's package.json and npm's node_modules here.
    const env = { ...denoEnvironment() };
    delete env.DENO_NO_PACKAGE_JSON;
    const flags = ['run', '--node-modules-dir=manual', '--no-lock', '--allow-net=127.0.0.1', '--allow-read', '--allow-env'];
    await run(deno, [...flags, 'deno.mjs', '--control', control.controlUrl], { cwd: consumerDir, env, label: 'deno', timeoutMs: 120_000 });
  } finally {
    await control.stop();
  }
});

console.log('\nPackaging checks:');
for (const { name, ok } of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}`);
const failed = checks.filter((result) => !result.ok).length;
if (failed === 0) rmSync(scratch, { recursive: true, force: true });
else console.log(`\nThe packed tarballs and the scratch project are kept in ${scratch} for inspection.`);
process.exit(failed === 0 ? 0 : 1);
