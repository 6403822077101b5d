import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a child process ended. */
export interface ChildRun {
  output: string;
  code: number | null;
  elapsedMs: number;
}

/**
 * Runs `script` (an ES module that imports the testkit from `./testkit.mjs`)
 * in its own Node process and reports how it ended. A process that exits by
 * itself, soon, proves that `close()` left no socket or timer behind; one
 * still running after 8 s is killed.
 */
export async function runInChildProcess(script: string): Promise<ChildRun> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'testkit-child-'));
  try {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'testkit.mjs'), logLevel: 'silent' });
    writeFileSync(join(dir, 'main.mjs'), script);
    const started = Date.now();
    const child = spawn(process.execPath, [join(dir, 'main.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      child.on('exit', (exitCode) => {
        clearTimeout(killer);
        resolve(exitCode);
      });
    });
    return { output, code, elapsedMs: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
