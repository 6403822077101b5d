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
 * `execPath` runs it under another Node (masto.js needs Node ≥ 22).
 */
export async function startSlicedChild(script, config, { nodeFlags = [], execPath = process.execPath } = {}) {
  const child = fork(`${libDir}${script}`, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], execArgv: nodeFlags, execPath });
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

/** The Python that runs row (j): Debian's, where `apt-get install python3-mastodon` puts Mastodon.py. */
export const PYTHON = process.env.TOOTSTREAM_BENCH_PYTHON ?? '/usr/bin/python3';
const PYTHON_TAG = '@@bench-message ';

/**
 * `startSlicedChild` for `lib/<script>.py`: the same `slice`/`finish`/`exited`
 * over stdin/stdout lines (a status count down, a tagged JSON line back).
 * Resolves once the child is ready; its ready message is `ready`.
 */
export async function startPythonSlicedChild(script, config) {
  const child = spawn(PYTHON, [`${libDir}${script}`, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const failed = new Promise((_, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`${PYTHON} ${script} ${JSON.stringify(config)} exited (${signal ?? `exit ${code}`}):\n${stderr.slice(-2000)}`)));
  });
  failed.catch(() => {});
  let waiting;
  let buffered = '';
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line.startsWith(PYTHON_TAG)) continue;
      const resolve = waiting;
      waiting = undefined;
      resolve?.(JSON.parse(line.slice(PYTHON_TAG.length)));
    }
  });
  const next = () => Promise.race([new Promise((resolve) => (waiting = resolve)), failed]);
  const ready = await next();
  const ask = (statuses) => {
    const reply = next();
    child.stdin.write(`${statuses}\n`);
    return reply;
  };
  return { ready, slice: ask, finish: () => ask(0), exited };
}
