// Runs examples/deno/timeline.ts exactly as its header tells a Deno user to
// (with its deno.json), against a testkit server, and checks that it prints
// the statuses posted while it streams (control characters in them dropped)
// and exits by itself after --limit.
import { spawn } from 'node:child_process';
import { createFakeMastodon } from '../../packages/testkit/dist/index.js';
import { denoEnvironment, repoRoot } from '../conformance/processes.mjs';
import { ensureRuntimes } from '../ensure-runtimes.mjs';

const { deno } = ensureRuntimes();
const server = await createFakeMastodon({ heartbeatIntervalMs: 1000 });
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

try {
  const child = spawn(
    deno,
    ['run', '--config', 'examples/deno/deno.json', '--allow-net=127.0.0.1', '--allow-env', 'examples/deno/timeline.ts', '--url', server.url, '--token', 'peer-test-token', '--stream', 'hashtag:deno', '--limit', '3'],
    { cwd: repoRoot, env: denoEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);

  await server.waitForConnection((connection) => connection.stream === 'hashtag', { timeoutMs: 110_000 });
  const posted = [
    server.postStatus({ content: '<p>Deno says hi 🦕</p>' }, { account: 'alice', tags: ['deno'] }),
    // Long enough to be cut; an odd cut in UTF-16 units would split an emoji's surrogate pair.
    server.postStatus({ content: `<p>second post ${'🦕'.repeat(80)}</p>` }, { account: 'carol', tags: ['deno'] }),
    // Control characters from a stranger's post (raw, and as entities) must not reach the terminal.
    server.postStatus({ content: '<p>third \u001b]0;retitled\u0007post &#x1b;[2J\u202e</p>' }, { account: 'bob', tags: ['deno'] }),
  ];
  const code = await exited;
  clearTimeout(killer);
  console.log(output.trim().split('\n').map((line) => `  | ${line}`).join('\n'));
  check(code === 0, `the example exits by itself with code 0 after --limit 3 (got ${code})`);
  check(output.includes('Deno says hi 🦕') && output.includes('second post') && /third .*post/.test(output), 'it printed the three statuses posted while it streamed');
  check(posted.length === 3 && !output.includes('peer-test-token'), 'the token never appears in its output');
  check(/second post 🦕+…/u.test(output) && !output.includes('\uFFFD') && !/\p{Cs}/u.test(output), 'a long status is cut between characters (no half emoji), with …');
  const controls = output.split('\n').filter((line) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(line));
  check(controls.length === 0, `no control character from a status reaches the terminal${controls.length ? `: ${controls.map((line) => JSON.stringify(line)).join(', ')}` : ''}`);
  check(server.connections.length === 0, 'its connection is closed when it exits');
} finally {
  await server.close();
}

// Run without --allow-net for the instance (a common first mistake): Deno refuses every fetch the same way, so the
// stream must end at once with that reason and exit 1, not back off and retry forever.
{
  const unreachable = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  try {
    const child = spawn(deno, ['run', '--no-prompt', '--config', 'examples/deno/deno.json', '--allow-net=example.invalid', '--allow-env', 'examples/deno/timeline.ts', '--url', unreachable.url, '--stream', 'user'], {
      cwd: repoRoot,
      env: denoEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const started = Date.now();
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => (clearTimeout(killer), resolve(exitCode ?? signal))));
    const seconds = (Date.now() - started) / 1000;
    const ok = code === 1 && /allow-net/.test(stderr) && !/reconnecting/.test(stderr) && unreachable.requests.length === 0 && seconds < 30;
    check(ok, `no --allow-net for the instance: exit 1 naming --allow-net in ${seconds.toFixed(1)} s, no retries${ok ? '' : ` (got ${code}: ${JSON.stringify(stderr.slice(-300))})`}`);
  } finally {
    await unreachable.close();
  }
}

// A token the server refuses: the example says what happened, does not claim to be reconnecting (a 401 stops the
// handle), and exits with code 1 and the server's reason.
{
  const refusing = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  try {
    const child = spawn(deno, ['run', '--config', 'examples/deno/deno.json', '--allow-net=127.0.0.1', '--allow-env', 'examples/deno/timeline.ts', '--url', refusing.url, '--token', 'revoked-token-value', '--stream', 'user'], {
      cwd: repoRoot,
      env: denoEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => (clearTimeout(killer), resolve(exitCode ?? signal))));
    const ok = code === 1 && /401|Unauthorized|invalid/i.test(stderr) && !/reconnecting/.test(stderr) && !stderr.includes('revoked-token-value');
    check(ok, `a refused token: exit 1 with the reason, no "reconnecting", no token${ok ? '' : ` (got ${code}: ${JSON.stringify(stderr.slice(0, 300))})`}`);
  } finally {
    await refusing.close();
  }
}

// Command-line mistakes: one line naming the flag, the usage, exit code 2, no stack trace.
for (const [args, message] of [
  [['--stream', 'nope'], /--stream expects/],
  [['--url', 'not a url'], /--url expects the instance's address/],
  [['--url', 'wss://mastodon.social'], /--url expects the instance's address/],
  [['public'], /unexpected argument "public"/],
  [['ZA3xQ9-kTq7Lw2mYb8Vn4Rc6Hs1Jp0Ue5Gd3Fi9Ko7M'], /^(?![\s\S]*ZA3xQ9-kTq7Lw2mYb8Vn4Rc6Hs1Jp0Ue5Gd3Fi9Ko7M)[\s\S]*an unexpected argument of 43 characters \(not shown/],
  [['--tokn', 'x'], /unknown flag --tokn/],
  [['--limit', 'abc'], /--limit expects a number/],
]) {
  const url = args[0] === '--url' ? [] : ['--url', 'http://127.0.0.1:9'];
  const child = spawn(deno, ['run', '--config', 'examples/deno/deno.json', '--allow-net=127.0.0.1', '--allow-env', 'examples/deno/timeline.ts', ...url, ...args], {
    cwd: repoRoot,
    env: { ...denoEnvironment(), MASTODON_URL: '', MASTODON_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000); // a flag taken for a stream would stream on
  const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => (clearTimeout(killer), resolve(exitCode ?? signal))));
  const first = stderr.split('\n')[0];
  const ok = code === 2 && /^timeline: /.test(first) && message.test(first) && /\nUsage: deno run/.test(stderr) && !/^\s+at /m.test(stderr);
  check(ok, `timeline.ts ${args.join(' ')}: exit 2, "${first}", the usage, no stack trace${ok ? '' : ` (got ${code}: ${JSON.stringify(stderr.slice(0, 300))})`}`);
}

if (failures.length > 0) {
  console.error(`65-examples-deno: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('65-examples-deno: all checks passed');
