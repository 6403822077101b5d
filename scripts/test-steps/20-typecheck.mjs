// Strict TypeScript over sources, tests, examples and bench, then the @example rule for public exports,
// then the READMEs' ts/js code samples, type-checked under the same options.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
// …and the documentation rule for what they export.
execFileSync(process.execPath, ['scripts/check-examples.mjs'], { stdio: 'inherit' });
// …and the samples users paste first.
execFileSync(process.execPath, ['scripts/check-readme-samples.mjs'], { stdio: 'inherit' });
