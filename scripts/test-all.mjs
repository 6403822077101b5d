// The whole test suite, as the README's second command runs it: every step
// in scripts/test-steps/ in name order. Each step is a Node script that exits
// non-zero on failure. A summary line counts passed and failed steps.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stepsDir = new URL('./test-steps/', import.meta.url);
const only = process.argv.slice(2);
const steps = readdirSync(stepsDir)
  .filter((file) => file.endsWith('.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();

if (steps.length === 0) {
  console.error('No test steps found');
  process.exit(1);
}

const results = [];
for (const step of steps) {
  const started = Date.now();
  console.log(`\n=== ${step} ===`);
  const run = spawnSync(process.execPath, [fileURLToPath(new URL(step, stepsDir))], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  results.push({ step, ok, seconds });
  console.log(`=== ${step}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds}s ===`);
}

console.log('\nSteps:');
for (const { step, ok, seconds } of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${step} (${seconds}s)`);
const failed = results.filter((result) => !result.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
