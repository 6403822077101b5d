// The listener's test suite against the built core and listener (see vitest-on-dist.config.mts):
// the dist that users install, with its shortened property names and its chunks, behaves as the sources do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

for (const dist of ['packages/core/dist/index.js', 'packages/listener/dist/index.js']) {
  if (!existsSync(dist)) {
    console.error(`35-vitest-on-dist: ${dist} is missing; run \`node scripts/build.mjs\` (step 10) first`);
    process.exit(1);
  }
}
execFileSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'scripts/test-steps/vitest-on-dist.config.mts'], { stdio: 'inherit' });
