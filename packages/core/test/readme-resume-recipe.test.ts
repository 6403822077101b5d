// The README's "A bot that resumes" recipe, run as written (types stripped, the instance and the import pointed at the
// testkit and the built core) in a child process, as a bot would run. Its saves in onOpen and after each event once
// wrote and renamed the same temp file at the same time: on a busy stream one rename failed with ENOENT, and the bot
// died (the loop threw, or onOpen's discarded save was an unhandled rejection).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createFakeMastodon, readRealCapture, type FakeMastodon } from '@tootstream/testkit';
import { transform } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './support/collect.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const BUILT_CORE = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

let server: FakeMastodon | undefined;
let directory: string | undefined;
afterEach(async () => {
  await server?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
  server = directory = undefined;
});

/** The recipe's code block, as plain JavaScript that streams from `url`. */
async function recipeFor(url: string): Promise<string> {
  const readme = readFileSync(README, 'utf8');
  const [, code] = /\*\*A bot that resumes\*\*[^\n]*\n+```ts\n([\s\S]*?)```/.exec(readme) ?? [];
  if (code === undefined) throw new Error('the README has no "A bot that resumes" recipe');
  const pointed = code.replace("'https://mastodon.social'", JSON.stringify(url)).replace("'@tootstream/core'", JSON.stringify(BUILT_CORE));
  return (await transform(pointed, { loader: 'ts', format: 'esm' })).code;
}

/** A preload that makes the bot's first `rename` fail, as a busy disk or a virus scanner holding the file does. */
const FIRST_RENAME_FAILS = `
import { createRequire, syncBuiltinESMExports } from 'node:module';
const promises = createRequire(import.meta.url)('node:fs/promises');
const rename = promises.rename;
let failed = false;
promises.rename = async (...args) => {
  if (failed) return rename(...args);
  failed = true;
  throw Object.assign(new Error('EBUSY: resource busy or locked, rename'), { code: 'EBUSY' });
};
syncBuiltinESMExports();
`;

/** Runs the recipe against a replay of Mastodon's user capture until it saved the capture's last event (or died), then SIGINTs it. */
async function runRecipe(preload?: string): Promise<{ stderr: string; exitCode: number | null; saved: unknown }> {
  server = await createFakeMastodon();
  const dir = (directory = mkdtempSync(join(tmpdir(), 'tootstream-recipe-')));
  writeFileSync(join(dir, 'bot.mjs'), await recipeFor(server.url));
  if (preload) writeFileSync(join(dir, 'preload.mjs'), preload);
  const args = preload ? ['--import', './preload.mjs', 'bot.mjs'] : ['bot.mjs'];
  const bot = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, MASTODON_TOKEN: 'peer-test-token' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  bot.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
  try {
    // Mastodon's own bytes, written at once: the events are there as the stream opens, so the loop's first save
    // starts while onOpen's is still writing, as on a busy home timeline.
    server.replayNext(readRealCapture('sse-user'), { timeScale: 0 });
    const cursorFile = join(dir, 'cursor.json');
    const saved = () => (existsSync(cursorFile) ? (JSON.parse(readFileSync(cursorFile, 'utf8')) as { lastStatusId?: string; lastNotificationId?: string }) : undefined);
    // The capture's status is 201 and its notification 301.
    await until(() => saved()?.lastNotificationId === '301' || bot.exitCode !== null, 10_000);
    // A bot that died before saving the last event is reported with its exit code, not killed here.
    if (bot.exitCode === null) bot.kill('SIGINT');
    const exitCode = await exited;
    return { stderr, exitCode, saved: saved() };
  } finally {
    bot.kill('SIGKILL');
  }
}

describe("the README's resume recipe", () => {
  it('survives events that arrive with the stream opening, saved from onOpen and the loop at once; SIGINT ends it with the last cursor saved', async () => {
    const run = await runRecipe();
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.saved).toMatchObject({ lastStatusId: '201', lastNotificationId: '301' });
  });

  it("a save that fails once (onOpen's: a busy disk) is reported, and the saves after it still save: the chain once failed every later save, and the loop threw", async () => {
    const run = await runRecipe(FIRST_RENAME_FAILS);
    // onOpen's failed save reaches onError (core's default prints it), and nothing else went wrong.
    expect(run.stderr.match(/EBUSY/g)).toHaveLength(1);
    expect(run.exitCode).toBe(0);
    expect(run.saved).toMatchObject({ lastStatusId: '201', lastNotificationId: '301' });
  });
});
