// Builds the packages in dependency order: listener's .d.ts needs core's.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { settleSourceMaps } from './dist-sourcemaps.mjs';

const started = Date.now();
// tsup is silent, and the three builds with declarations take a while: say what is happening.
console.log('build: core, testkit, listener (JS and .d.ts) …');
for (const name of ['core', 'testkit', 'listener']) {
  if (!existsSync(`packages/${name}/src/index.ts`)) {
    console.warn(`build: packages/${name} has no src/index.ts yet; skipped`);
    continue;
  }
  execFileSync(process.execPath, ['node_modules/tsup/dist/cli-default.js', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, TOOTSTREAM_PACKAGE: name },
  });
  const problems = settleSourceMaps(`packages/${name}/dist`);
  if (problems.length > 0) {
    console.error(`build: source maps of ${name} name sources they do not carry:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
