import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * Runs a support script (`script`, relative to the test file at `testFileUrl`) in a child Node process that imports the
 * package's built dist, as a user's program would. Whatever keeps a process alive (a timer, a socket) shows as a child
 * still running at the 20 s timeout: status null, signal SIGTERM. Core's and the listener's exit checks share it.
 *
 * @example
 * const run = runBuiltChild(import.meta.url, './support/exit-after-abort.mjs');
 * expect(run.status).toBe(0);
 */
export function runBuiltChild(testFileUrl: string, script: string): SpawnSyncReturns<string> {
  const built = fileURLToPath(new URL('../dist/index.js', testFileUrl));
  const packageDir = /packages\/[^/]+/.exec(built)?.[0] ?? built;
  expect(existsSync(built), `${packageDir}/dist is missing: run \`node scripts/build.mjs\` first`).toBe(true);
  return spawnSync(process.execPath, [fileURLToPath(new URL(script, testFileUrl))], { encoding: 'utf8', timeout: 20_000 });
}
