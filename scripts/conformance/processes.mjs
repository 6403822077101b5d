// Child processes for the cross-runtime steps (Node only): the control server
// and the runtimes under test. Every child is bounded by a timeout and killed
// when the step exits, however it exits, so no step leaves a process behind.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const liveChildren = new Set();

function killAll() {
  for (const child of liveChildren) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(1);
  });
}

function track(child) {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

/**
 * Runs a command to completion, prefixing each output line with `label` and
 * killing it after `timeoutMs`. Resolves with { code, output, timedOut }.
 */
export async function runProcess(command, args, { label, timeoutMs = 180_000, env = process.env, cwd = repoRoot } = {}) {
  const child = track(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = [];
  const relay = (stream, sink) =>
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      sink.write(`${label ? `[${label}] ` : ''}${line}\n`);
    });
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [code, signal] = await once(child, 'close').catch((error) => [null, String(error)]);
  clearTimeout(timer);
  if (timedOut) output.push(`(killed after ${timeoutMs} ms)`);
  return { code: code ?? (signal ? 128 : 1), output: output.join('\n'), timedOut };
}

/**
 * Starts scripts/conformance/control-server.mjs on the current Node and
 * resolves with its URL. Its stdin stays open until stop(): if this process
 * dies, the pipe closes and the control server exits on its own.
 */
export async function startControlServer({ timeoutMs = 30_000 } = {}) {
  const script = join(repoRoot, 'scripts', 'conformance', 'control-server.mjs');
  const child = track(spawn(process.execPath, [script], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = createInterface({ input: child.stdout });
  const controlUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('control server did not start in time')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`control server exited early (code ${code})`)));
    lines.on('line', (line) => {
      try {
        const { controlUrl: url } = JSON.parse(line);
        clearTimeout(timer);
        resolve(url);
      } catch {
        process.stdout.write(`[control] ${line}\n`);
      }
    });
  });
  return {
    controlUrl,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Environment for Deno: its caches in .tools/, no update check, no colours, npm: specifiers from the registry. */
export function denoEnvironment() {
  return {
    ...process.env,
    DENO_DIR: join(repoRoot, '.tools', 'deno-cache'),
    DENO_NO_UPDATE_CHECK: '1',
    // Resolve npm: specifiers like a Deno user without a package.json would, not through pnpm's node_modules.
    DENO_NO_PACKAGE_JSON: '1',
    NO_COLOR: '1',
  };
}

/** `deno run` flags shared by the steps. The network is limited to 127.0.0.1: the tests must talk to nothing else (npm: downloads are not subject to it). */
export const DENO_RUN_FLAGS = ['run', '--no-config', '--no-lock', '--node-modules-dir=none', '--allow-net=127.0.0.1', '--allow-read', '--allow-env'];
