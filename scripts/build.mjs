// Builds the packages in dependency order: listener's .d.ts needs core's.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { settleSourceMaps } from './dist-sourcemaps.mjs';

/**
 * Classes only the package itself constructs: their constructor is `@internal`, so the declarations lose it, and
 * TypeScript would then take them to have a public one without parameters (`new MastodonStream()` compiled, and
 * crashed on first use). A `private constructor();` in their place keeps `instanceof` and refuses `new`.
 */
const MADE_BY_THE_PACKAGE = { core: ['MastodonStream'], listener: ['StreamHandle'] };

function closeConstructors(name) {
  const file = `packages/${name}/dist/index.d.ts`;
  let text = readFileSync(file, 'utf8');
  for (const className of MADE_BY_THE_PACKAGE[name] ?? []) {
    const opening = new RegExp(`(declare class ${className}\\b[^{]*\\{\\n(\\s*)#private;\\n)`);
    if (!opening.test(text)) {
      console.error(`build: ${file} has no "declare class ${className} { #private;" to give a private constructor`);
      process.exit(1);
    }
    text = text.replace(opening, (match, _whole, indent) => `${match}${indent}private constructor();\n`);
  }
  writeFileSync(file, text);
}

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
  closeConstructors(name);
  const problems = settleSourceMaps(`packages/${name}/dist`);
  if (problems.length > 0) {
    console.error(`build: source maps of ${name} name sources they do not carry:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
