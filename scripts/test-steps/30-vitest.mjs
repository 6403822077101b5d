// Unit, integration (against the testkit's real HTTP server) and type tests on the current Node.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run'], { stdio: 'inherit' });
