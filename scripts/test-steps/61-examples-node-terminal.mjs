// The Node timeline is a terminal program that prints what strangers wrote on
// other servers: this step checks what reaches the terminal, running the CLI
// as a user does (plain `node`, built packages) against a testkit server.
// 1. Control characters in a status (raw or as HTML entities: ESC sequences
//    that retitle the window or clear the screen, BEL, C1 controls, bidi
//    overrides) never reach the terminal; the visible text around them does.
// 2. Lines fit the terminal's width in columns: CJK characters and emoji take
//    two columns each, so a status in Japanese is cut shorter than one in
//    English instead of wrapping onto a second line.
// 3. Output piped into a reader that stops early (`| head`): the demo and the
//    timeline stop streaming and exit by themselves with code 0, no EPIPE
//    stack trace.
// 4. The demo pointed at an instance that does not answer (--url) gives up
//    after a few tries and says why, as the timeline does, instead of
//    retrying forever.
//
// Run alone: node scripts/test-steps/61-examples-node-terminal.mjs
import { spawn } from 'node:child_process';
import { runNode } from '../node-process.mjs';
import { createFakeMastodon } from '../../packages/testkit/dist/index.js';

const failures = [];
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const run = runNode;

/** The timeline CLI on `public` against `server`, until `body(cli)` is done; then Ctrl-C. */
async function withTimeline(server, body) {
  const cli = run(['examples/node/timeline.mjs', '--url', server.url, '--token', 'peer-test-token', '--stream', 'public']);
  try {
    await cli.waitFor(/● connected/);
    await server.waitForConnection();
    await body(cli);
  } finally {
    cli.child.kill('SIGINT');
    await cli.exited;
  }
  return cli.output();
}

// C0 controls but the line break, DEL, C1 controls, and the bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

// What terminals draw two columns wide, for the text this test posts: CJK, kana, fullwidth forms, emoji.
const WIDE = /[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff60]|\p{Emoji_Presentation}/u;
const columns = (line) => Array.from(line).reduce((sum, character) => sum + (WIDE.test(character) ? 2 : 1), 0);

async function checkWideCharacters(server) {
  const japanese = '日本語の投稿はとても長くなることがあります。ターミナルの幅を超えないように切り詰められるべきです。さらに続けて書いてみましょう。';
  const output = await withTimeline(server, async (cli) => {
    server.postStatus({ content: `<p>${japanese} end-ja</p>` }, { account: 'bob' });
    server.postStatus({ content: `<p>${'🌸🍜🚆🦀'.repeat(20)} end-emoji</p>` }, { account: 'carol' });
    await cli.waitFor(/• @bob +日本語[\s\S]*• @carol\S* +🌸/);
  });
  // Piped, the CLI assumes 100 columns (it reads process.stdout.columns on a terminal).
  const lines = output.split('\n').filter((line) => / • @(bob|carol)/.test(line));
  const widest = Math.max(...lines.map(columns));
  check(lines.length === 2 && widest <= 100 && lines.every((line) => line.endsWith('…')), `a status in Japanese or in emoji is cut to the 100 columns of the line (widest: ${widest} columns)`);
}

async function checkControlCharacters(server) {
  const output = await withTimeline(server, async (cli) => {
    server.postStatus({ content: '<p>raw \u001b]0;retitled\u0007 window and \u001b[2J\u001b[H screen \u009b31m C1 end-raw</p>' }, { account: 'bob' });
    server.postStatus({ content: '<p>entity &#x1b;[31mred&#27;[0m &#x9b;2J &#7; bell end-entities</p>' }, { account: 'carol' });
    server.postStatus({ content: '<p>bidi \u202egnp.exe and \u2067isolate\u2069 end-bidi</p>', spoiler_text: '' }, { account: 'bob' });
    server.postStatus({ content: '<p>hidden</p>', spoiler_text: 'cw \u001b[5mblink\u001b[0m end-cw' }, { account: 'bob' });
    await cli.waitFor(/end-raw[\s\S]*end-entities[\s\S]*end-bidi[\s\S]*end-cw/);
  });
  const offending = output.split('\n').filter((line) => CONTROL.test(line));
  check(offending.length === 0, `no control character reaches the terminal${offending.length ? `: ${offending.map((line) => JSON.stringify(line)).join(', ')}` : ''}`);
  check(/raw .*window and .*screen .*C1 end-raw/.test(output) && /entity .*red.* bell end-entities/.test(output), 'the text around them is still shown');
}

/** `args` with stdout piped to a reader that closes after the first status line. */
async function checkClosedPipe(name, args) {
  const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise((resolve) => child.on('close', (code, signal) => (clearTimeout(killer), resolve({ code, signal }))));
  const sawStatus = await new Promise((resolve) => {
    let stdout = '';
    const timer = setTimeout(() => resolve(false), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      if (/ • @/.test(stdout)) (clearTimeout(timer), resolve(true));
    });
  });
  const closedAt = Date.now();
  child.stdout.destroy(); // what `| head -5` does after its fifth line
  const { code, signal } = await exited;
  const ms = Date.now() - closedAt;
  check(sawStatus && code === 0 && ms < 3_000 && !/EPIPE|^\s+at /m.test(stderr), `${name} | head: exits by itself with code 0 within 3 s, no stack trace (got ${code ?? signal} after ${ms} ms${stderr ? `, stderr: ${JSON.stringify(stderr.slice(0, 300))}` : ''})`);
}

/** A port on 127.0.0.1 that refuses connections (it was free a moment ago). */
async function refusedPort() {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolves with the checks' outcomes, to be reported after the rest: it runs beside them, as it mostly waits. */
async function checkUnreachableInstance() {
  const url = `http://127.0.0.1:${await refusedPort()}`;
  const outcomes = [];
  // Both at once: each waits out its backoff (six tries take up to about a minute).
  await Promise.all(
    ['timeline', 'demo'].map(async (script) => {
      const started = Date.now();
      const cli = run([`examples/node/${script}.mjs`, '--url', url, '--token', 'secret-token-abc'], { timeoutMs: 120_000 });
      const { code, signal } = await cli.exited;
      const seconds = (Date.now() - started) / 1000;
      const output = cli.output();
      const said = new RegExp(`^${script}: Gave up reconnecting after \\d+ attempts: .*ECONNREFUSED`, 'm').test(output);
      outcomes.push([code === 1 && said && seconds < 90 && !/secret-token-abc/.test(output), `${script} --url (refused): gives up with code 1 in ${seconds.toFixed(1)} s, naming the last failure (got ${code ?? signal}${said ? '' : `; last lines: ${JSON.stringify(output.trim().split('\n').slice(-2))}`})`]);
    }),
  );
  return outcomes;
}

// Started first: its CLIs spend about 40 s waiting out their backoff, which the checks below overlap.
const unreachable = checkUnreachableInstance();
const server = await createFakeMastodon({ heartbeatIntervalMs: 1_000 });
try {
  console.log('timeline CLI: what strangers wrote reaches the terminal as text only');
  await checkControlCharacters(server);
  await checkWideCharacters(server);
  console.log('output piped into a reader that stops early:');
  await checkClosedPipe('demo', ['examples/node/demo.mjs', '--rate', '20', '--drop-every', '0']);
  const feed = setInterval(() => server.postStatus({ content: '<p>one more</p>' }, { account: 'bob' }), 50);
  try {
    await checkClosedPipe('timeline', ['examples/node/timeline.mjs', '--url', server.url, '--token', 'peer-test-token', '--stream', 'public']);
  } finally {
    clearInterval(feed);
  }
  console.log('an instance that does not answer:');
  for (const [ok, what] of await unreachable) check(ok, what);
} finally {
  await server.close();
}

if (failures.length > 0) {
  console.error(`\n61-examples-node-terminal: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\n61-examples-node-terminal: all checks passed');
