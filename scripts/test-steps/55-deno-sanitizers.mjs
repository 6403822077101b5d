// The BUILT core and listener under `deno test` with its op, resource and exit
// sanitizers on (scripts/deno-sanitizers/): a case fails if it leaves a timer,
// a pending fetch or body read, or an open HTTP resource behind, which the
// `deno run` conformance suite (50-runtimes) cannot see. The fake Mastodon
// servers run on this Node, behind the conformance control server.
//
// Deno 2.8 made the op and resource sanitizers opt-in. The cases turn them on
// themselves and this step passes the flags too; before the cases, a canary
// that leaks on purpose must fail, or the sanitizers are not doing their job
// on this Deno and a green run would mean nothing.
//
//   node scripts/test-steps/55-deno-sanitizers.mjs [--filter text]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRuntimes } from '../ensure-runtimes.mjs';
import { DENO_RUN_FLAGS, denoEnvironment, repoRoot, runProcess, startControlServer } from '../conformance/processes.mjs';

// A passing run takes under 10 s. A failing one takes longer: a case whose connection stays open waits 3 s for the
// server to see it closed, and one stuck for good is ended by its case timeout, 15 s (support.mjs). So deno test
// stops after a few failures: a library that leaks everywhere fails within a minute, with each failure's details
// (deno test prints them only at the end, which a run killed on its timeout never reaches).
const DENO_TEST_TIMEOUT_MS = 120_000;
const STOP_AFTER_FAILURES = 5;
const casesDir = join(repoRoot, 'scripts', 'deno-sanitizers');
const caseFiles = ['core.test.mjs', 'core-waits.test.mjs', 'listener.test.mjs', 'conformance.test.mjs'].map((file) => join(casesDir, file));
const canary = join(casesDir, 'canary-leaks.mjs');
const importMap = join(repoRoot, 'scripts', 'conformance', 'deno-import-map.json');

for (const name of ['core', 'testkit', 'listener']) {
  if (!existsSync(join(repoRoot, 'packages', name, 'dist', 'index.js'))) {
    console.error(`55-deno-sanitizers: packages/${name}/dist is missing; run \`node scripts/build.mjs\` (step 10) first`);
    process.exit(1);
  }
}

// `deno run`'s flags for `deno test`: the same config, lockfile, node_modules and network settings, with reads
// limited to the repository (the built packages, the cases and Deno's cache in .tools/).
const denoTestFlags = [
  'test',
  ...DENO_RUN_FLAGS.filter((flag) => flag !== 'run').map((flag) => (flag === '--allow-read' ? `--allow-read=${repoRoot}` : flag)),
  '--sanitize-ops',
  '--sanitize-resources',
  '--import-map',
  importMap,
];

/** `deno test`'s closing line: `ok | 12 passed | 0 failed (3s)` or `FAILED | 11 passed | 1 failed (4s)`. */
function tallyOf(output) {
  const match = /^(ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed/m.exec(output);
  return match && { ok: match[1] === 'ok', passed: Number(match[2]), failed: Number(match[4]) };
}

const filterIndex = process.argv.indexOf('--filter');
const filter = filterIndex > 0 ? ['--filter', process.argv[filterIndex + 1]] : [];
const { deno } = ensureRuntimes();
const control = await startControlServer();
const started = Date.now();
const problems = [];
try {
  // The canary's expected failures are not relayed (they would read as this step failing); shown only if it passed.
  const canaryRun = spawnSync(deno, [...denoTestFlags, canary, '--', '--control', control.controlUrl], { cwd: repoRoot, env: denoEnvironment(), encoding: 'utf8', timeout: 60_000 });
  const canaryOutput = `${canaryRun.stdout}${canaryRun.stderr}`;
  const canaryTally = tallyOf(canaryOutput);
  const leaksSeen = (canaryOutput.match(/Leaks detected/g) ?? []).length;
  if (canaryRun.status === 0 || canaryTally?.passed !== 0 || canaryTally.failed !== 2 || leaksSeen !== 2) {
    console.log(canaryOutput);
    problems.push(`the canary's two leaking tests must both fail with "Leaks detected" (exit ${canaryRun.status ?? canaryRun.signal}, ${canaryTally ? `${canaryTally.passed} passed, ${canaryTally.failed} failed` : 'no tally'}, ${leaksSeen} leak reports): the sanitizers are not on`);
  } else {
    console.log('canary: its leaked timer and its unread fetch body both failed their tests, so the sanitizers are on');
  }

  const { code, output, timedOut } = await runProcess(deno, [...denoTestFlags, `--fail-fast=${STOP_AFTER_FAILURES}`, ...filter, ...caseFiles, '--', '--control', control.controlUrl], {
    label: 'deno test',
    timeoutMs: DENO_TEST_TIMEOUT_MS,
    env: denoEnvironment(),
  });
  const tally = tallyOf(output);
  if (timedOut) problems.push(`deno test was killed after ${DENO_TEST_TIMEOUT_MS} ms`);
  if (tally === null) problems.push('deno test printed no "ok | N passed | M failed" summary');
  else if (!tally.ok || tally.failed > 0) problems.push(`${tally.failed} case(s) failed${tally.failed >= STOP_AFTER_FAILURES ? ` (deno test stops after ${STOP_AFTER_FAILURES}: the rest did not run)` : ''}`);
  else if (tally.passed === 0) problems.push('no test ran');
  if (code !== 0 && problems.length === 0) problems.push(`deno test exited with code ${code}`);
  if (tally) console.log(`\n55-deno-sanitizers: ${tally.passed} passed, ${tally.failed} failed`);
} finally {
  await control.stop();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (problems.length > 0) {
  console.error(`55-deno-sanitizers: FAILED in ${seconds} s: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`55-deno-sanitizers: every case passed with the op, resource and exit sanitizers on, in ${seconds} s`);
