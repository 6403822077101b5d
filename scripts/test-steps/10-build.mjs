// Builds every package (dist/ is what the packaging and runtime steps test).
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
