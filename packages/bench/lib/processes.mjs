// Starting the server and the measurement children. Each measurement runs in
// a fresh Node process so JIT state, heap and peak RSS are its own.
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_TAG } from './child-result.mjs';

const libDir = fileURLToPath(new URL('.', import.meta.url));

/** Forks the bench server and resolves its base URL and a `stop()`. */
export async function startServer() {
  const server = fork(`${libDir}server.mjs`, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    server.once('message', (message) => resolve(message.port));
    server.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: server.pid,
    stop: () => {
      server.disconnect();
      server.kill();
    },
  };
}

let runCounter = 0;

/** A fresh scenario base URL on the server: `/run/<name>-<n>;opt=value…`. */
export function scenarioUrl(origin, name, options = {}) {
  runCounter++;
  const settings = Object.entries(options).map(([key, value]) => `;${key}=${value}`).join('');
  return `${origin}/run/${encodeURIComponent(`${name}-${process.pid}-${runCounter}${settings}`)}`;
}

/**
 * Runs `lib/<script>` with `config` as its argument and resolves the result
 * it reports. Rejects on a non-zero exit, a missing result or a timeout.
 */
export function runChild(script, config, { nodeFlags = [], timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, `${libDir}${script}`, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_TAG));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${script} ${JSON.stringify(config)} failed (${signal ?? `exit ${code}`}):\n${stderr.slice(-2000)}${stdout.slice(-500)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_TAG.length)));
    });
  });
}

/**
 * Forks `lib/<script>` as a long-lived client driven over IPC: `slice(n)`
 * resolves the `{ seconds, cpuMicros }` it reports for n statuses, `finish()`
 * stops it and resolves its final report, `exited` once the process is gone.
 */
export async function startSlicedChild(script, config, { nodeFlags = [] } = {}) {
  const child = fork(`${libDir}${script}`, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: nodeFlags });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let waiting;
  const failed = new Promise((_, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`${script} ${JSON.stringify(config)} exited (${signal ?? `exit ${code}`}):\n${stderr.slice(-2000)}`)));
  });
  failed.catch(() => {});
  child.on('message', (message) => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(message);
  });
  const next = () => Promise.race([new Promise((resolve) => (waiting = resolve)), failed]);
  await next();
  return {
    slice: (statuses) => {
      const reply = next();
      child.send({ slice: statuses });
      return reply;
    },
    finish: () => {
      const reply = next();
      child.send({ slice: 0 });
      return reply;
    },
    exited,
  };
}
