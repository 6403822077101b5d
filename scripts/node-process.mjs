// The example CLIs as the test steps run them: a child `node` process whose
// output (stdout and stderr together, colours off) can be waited for.
import { spawn } from 'node:child_process';

/**
 * Spawns `node args` (killed after `timeoutMs`); `waitFor(regex)` resolves
 * once stdout+stderr match, `exited` when the process is gone.
 */
export function runNode(args, { timeoutMs = 20_000, env = {} } = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const watchers = new Set();
  const onData = (chunk) => {
    output += chunk;
    for (const watcher of watchers) watcher();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise((resolve) => child.on('close', (code, signal) => (clearTimeout(killer), resolve({ code, signal, at: Date.now() }))));
  const waitFor = (pattern, waitMs = 5_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => (watchers.delete(test), reject(new Error(`timed out waiting for ${pattern}`))), waitMs);
      const test = () => {
        if (!pattern.test(output)) return;
        watchers.delete(test);
        clearTimeout(timer);
        resolve();
      };
      watchers.add(test);
      test();
    });
  return { child, exited, waitFor, output: () => output };
}
