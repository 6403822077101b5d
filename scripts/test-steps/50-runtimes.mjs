// The streaming conformance suite (scripts/conformance/) on every server-side
// runtime we claim: the machine's Node 20, Node 24 and Deno 2 (both installed
// into .tools/ from npm). Each imports the BUILT packages and drives a fake
// Mastodon through the control server, which runs here on the current Node
// because the testkit needs node:http. Fails if any runtime fails.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRuntimes } from '../ensure-runtimes.mjs';
import { DENO_RUN_FLAGS, denoEnvironment, repoRoot, runProcess, startControlServer } from '../conformance/processes.mjs';

const RUNTIME_TIMEOUT_MS = 240_000;
const suite = join(repoRoot, 'scripts', 'conformance', 'run.mjs');
const denoImportMap = join(repoRoot, 'scripts', 'conformance', 'deno-import-map.json');

for (const name of ['core', 'testkit', 'listener']) {
  if (!existsSync(join(repoRoot, 'packages', name, 'dist', 'index.js'))) {
    console.error(`50-runtimes: packages/${name}/dist is missing; run \`node scripts/build.mjs\` (step 10) first`);
    process.exit(1);
  }
}

// The import map pins ky and valibot for Deno: the versions the lockfile resolves core's ranges to, which the
// other runtimes test (a range in the map would let Deno pick a newer release than the rest of the suite).
const coreDependencies = JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'package.json'), 'utf8')).dependencies;
const lockfile = readFileSync(join(repoRoot, 'pnpm-lock.yaml'), 'utf8');
const coreImporter = lockfile.slice(lockfile.indexOf('\n  packages/core:\n'));
const mapped = JSON.parse(readFileSync(denoImportMap, 'utf8')).imports;
for (const [dependency, range] of Object.entries(coreDependencies)) {
  const locked = new RegExp(`\\n {6}${dependency}:\\n {8}specifier: [^\\n]+\\n {8}version: ([^\\s(]+)`).exec(coreImporter)?.[1];
  if (locked === undefined || mapped[dependency] !== `npm:${dependency}@${locked}`) {
    console.error(`50-runtimes: deno-import-map.json maps ${dependency} to ${mapped[dependency]}, but the lockfile resolves core's ${dependency}@${range} to ${locked}`);
    process.exit(1);
  }
}

const { node24, deno } = ensureRuntimes();
const control = await startControlServer();
console.log(`control server: ${control.controlUrl}`);

const runtimes = [
  { label: `node ${process.version}`, command: process.execPath, args: [suite] },
  { label: 'node 24', command: node24, args: [suite] },
  { label: 'deno 2', command: deno, args: [...DENO_RUN_FLAGS, '--import-map', denoImportMap, suite], env: denoEnvironment() },
];

const results = [];
try {
  for (const runtime of runtimes) {
    console.log(`\n--- ${runtime.label} ---`);
    const { code, output } = await runProcess(runtime.command, [...runtime.args, '--control', control.controlUrl], {
      label: runtime.label,
      timeoutMs: RUNTIME_TIMEOUT_MS,
      ...(runtime.env ? { env: runtime.env } : {}),
    });
    const tally = /(\d+) passed, (\d+) failed/.exec(output);
    results.push({ label: runtime.label, ok: code === 0 && tally !== null && tally[2] === '0', tally: tally?.[0] ?? 'no tally', code });
  }
} finally {
  await control.stop();
}

console.log('\nConformance by runtime:');
for (const { label, ok, tally, code } of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label.padEnd(14)} ${tally}${ok ? '' : ` (exit ${code})`}`);
const failedRuntimes = results.filter((result) => !result.ok).length;
process.exit(failedRuntimes === 0 ? 0 : 1);
