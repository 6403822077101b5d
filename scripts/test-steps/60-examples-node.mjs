// The Node examples, run as a user runs them (plain `node`, built packages):
// 1. the demo for a few seconds with forced drops: status, edit, delete,
//    reconnect and catch-up lines appear and it exits by itself with code 0;
// 2. the timeline CLI on public:local, hashtag, user and list streams against a
//    testkit server: it prints the status posted, and Ctrl-C (SIGINT) ends it
//    within 2 s with exit code 0 (a clean, user-requested stop; see timeline.mjs);
// 3. against a host that accepts connections and never answers, the CLI says it
//    is still waiting within a few seconds, and Ctrl-C still ends it at once;
// 4. bad command lines for both: one line naming the flag, the usage, exit code
//    2 and no stack trace; --help prints the usage and exits 0.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { runNode } from '../node-process.mjs';
import { createFakeMastodon } from '../../packages/testkit/dist/index.js';

const failures = [];
const check = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const run = runNode;

async function checkDemo() {
  console.log('demo: node examples/node/demo.mjs --duration 9 --drop-every 3 --rate 6');
  const started = Date.now();
  const demo = run(['examples/node/demo.mjs', '--duration', '9', '--drop-every', '3', '--rate', '6'], { timeoutMs: 30_000 });
  const { code, signal, at } = await demo.exited;
  const output = demo.output();
  check(code === 0, `exits by itself with code 0 (got ${code ?? signal})`);
  check(at - started < 15_000, `stops soon after --duration (${((at - started) / 1000).toFixed(1)} s)`);
  check(/^\d\d:\d\d:\d\d   • @\S+ +\S/m.test(output), 'prints live status lines (time, • and @author, text)');
  // Edits and deletes are not checked here: one made while the fake server is down is lost by design
  // (REST cannot give it back; the stream signals a gap), so a short run may show none live.
  // checkEditAndDelete below makes both happen on an open connection.
  check(/^\d\d:\d\d:\d\d [ ↺] ◆ @\S+ +\w/m.test(output), 'prints a notification with ◆ (live or caught up)');
  check(/⟳ reconnecting in \d+\.\ds \(attempt \d+: .+\)/.test(output), 'shows "⟳ reconnecting in …s (attempt n: reason)"');
  check(/↺ caught up [1-9]\d* status/.test(output), 'shows "↺ caught up n statuses"');
  check(/^\d\d:\d\d:\d\d ↺ [•◆] @/m.test(output), 'marks events that came from catch-up with ↺');
  check(/^stopped: \d+ events \(\d+ from catch-up\), [1-9]\d* reconnects?$/m.test(output), 'prints a summary with at least one reconnect');
  check(!/peer-test-token/.test(output), 'never prints the token');
  if (failures.length > 0) console.log(`--- demo output ---\n${output}\n---`);
}

/**
 * A stream whose catch-up is not statuses: `--stream direct` (the traffic's direct messages, one action in each shuffled
 * round of 13) and `--stream notifications`. Each prints its own events, and its catch-up lines count only what it
 * catches up, also when that was nothing (never "0 statuses").
 */
async function checkDemoStream(stream, eventLine, caughtUpLine) {
  console.log(`demo: node examples/node/demo.mjs --stream ${stream} --duration 9 --drop-every 3 --rate 10`);
  const demo = run(['examples/node/demo.mjs', '--stream', stream, '--duration', '9', '--drop-every', '3', '--rate', '10'], { timeoutMs: 30_000 });
  const { code, signal } = await demo.exited;
  const output = demo.output();
  check(code === 0, `--stream ${stream}: exits by itself with code 0 (got ${code ?? signal})`);
  check(eventLine.test(output), `--stream ${stream}: prints its events (${eventLine})`);
  const caughtUp = output.match(/^\d\d:\d\d:\d\d ↺ caught up .*/gm) ?? [];
  check(caughtUp.length > 0 && caughtUp.every((line) => caughtUpLine.test(line)), `--stream ${stream}: its catch-up lines count what it catches up (${JSON.stringify(caughtUp)})`);
  if (failures.length > 0) console.log(`--- demo output ---\n${output}\n---`);
}

/** The dashboard server on a port already taken (8080 often is): one line naming the port and exit 2, no stack trace. */
async function checkServePortTaken() {
  const taken = createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address();
  try {
    const { code, signal, stderr } = await runToEnd(['examples/browser/serve.mjs', '--port', String(port)]);
    const ok = code === 2 && new RegExp(`^serve: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`).test(stderr) && !/^\s+at /m.test(stderr);
    check(ok, `serve --port ${port} (taken): exit 2, "${stderr.split('\n')[0]}", no stack trace`);
    if (!ok) console.log(`    got ${code ?? signal}\n--- stderr ---\n${stderr}---`);
  } finally {
    taken.close();
  }
}

/** Runs `node args` to its end (killed after `timeoutMs`), stdout and stderr apart. */
function runToEnd(args, { timeoutMs = 10_000, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => (clearTimeout(killer), resolve({ code, signal, stdout, stderr })));
  });
}

/**
 * Bad flags and values: `program: <one line naming the flag>` on stderr, then the usage, exit code 2,
 * no stack frame, nothing started (so it ends at once; the old demo ran forever on --duration abc).
 * None of these reach a server: each fails before connecting, the URL-less demo before its fake instance.
 */
async function checkBadCommandLines() {
  console.log('bad command lines and --help:');
  const demo = 'examples/node/demo.mjs';
  const timeline = 'examples/node/timeline.mjs';
  const serve = 'examples/browser/serve.mjs';
  const url = ['--url', 'http://127.0.0.1:9'];
  const bad = [
    [demo, ['--bogus-flag'], /unknown flag --bogus-flag/],
    [demo, ['-x'], /unknown flag -x/],
    [demo, ['--stream'], /--stream needs a value/],
    [demo, ['--stream', '--rate', '6'], /--stream needs a value/],
    [demo, ['--stream', 'nope'], /--stream expects one of public, /],
    [demo, ['--stream', 'list:'], /--stream expects one of /],
    [demo, ['--url', 'mastodon social'], /--url expects the instance's address/],
    // REST (discovery, catch-up) goes to --url too, which a WebSocket URL cannot take.
    [demo, ['--url', 'wss://mastodon.social'], /--url expects the instance's address/],
    [demo, ['--help=yes'], /--help takes no value/],
    [demo, ['--duration', '10', 'extra'], /unexpected argument "extra"/],
    [demo, ['--duration', 'abc'], /--duration expects seconds/],
    [demo, ['--duration', '-1'], /--duration expects seconds/],
    [demo, ['--duration', '99999999'], /--duration expects seconds/],
    [demo, ['--duration='], /--duration expects seconds/],
    [demo, ['--drop-every', 'abc'], /--drop-every expects seconds between drops/],
    [demo, ['--drop-every', '-3'], /--drop-every expects seconds between drops/],
    [demo, ['--drop-every', '0.01'], /--drop-every expects seconds between drops/],
    [demo, ['--drop-every', '1e9'], /--drop-every expects seconds between drops/],
    [demo, ['--rate', 'abc'], /--rate expects events per second/],
    [demo, ['--rate', '-1'], /--rate expects events per second/],
    [demo, ['--rate', '0'], /--rate expects events per second/],
    [demo, ['--rate', 'Infinity'], /--rate expects events per second/],
    [demo, ['--rate', '5000'], /--rate expects events per second/],
    [demo, ['--token', 'abc'], /--token goes with --url/],
    [demo, [...url, '--rate', '6'], /--rate applies to the fake instance only/],
    [demo, [...url, '--drop-every', '3'], /--drop-every applies to the fake instance only/],
    [timeline, [], /--url \(or MASTODON_URL\) is required/],
    [timeline, ['--bogus-flag', ...url], /unknown flag --bogus-flag/],
    [timeline, [...url, '--stream'], /--stream needs a value/],
    [timeline, ['--url'], /--url needs a value/],
    [timeline, ['--url', 'not a url'], /--url expects the instance's address/],
    [timeline, ['--url', 'ws://127.0.0.1:9'], /--url expects the instance's address/],
    [timeline, [...url, '--stream', 'nope'], /--stream expects one of public, /],
    [timeline, [...url, '--token'], /--token needs a value/],
    [timeline, [...url, 'public'], /unexpected argument "public"/],
    // A token pasted without --token is not echoed to the terminal.
    [timeline, [...url, 'ZA3xQ9-kTq7Lw2mYb8Vn4Rc6Hs1Jp0Ue5Gd3Fi9Ko7M'], /^(?![\s\S]*ZA3xQ9-kTq7Lw2mYb8Vn4Rc6Hs1Jp0Ue5Gd3Fi9Ko7M)[\s\S]*an unexpected argument of 43 characters \(not shown/],
    [serve, ['--bogus-flag'], /unknown flag --bogus-flag/],
    [serve, ['--rate', 'abc'], /--rate expects events per second/],
    [serve, ['--port', '99999'], /--port expects a port number/],
    [serve, ['--heartbeat-ms', '-1'], /--heartbeat-ms expects milliseconds/],
    [serve, ['--drop-every', '0.5'], /--drop-every expects seconds between drops/],
  ];
  const env = { MASTODON_URL: '', MASTODON_TOKEN: '' };
  // Four at a time: dozens of Node processes starting at once on a 2-core machine took longer than the 10 s each is given.
  const results = [];
  for (let start = 0; start < bad.length; start += 4) {
    results.push(...(await Promise.all(bad.slice(start, start + 4).map(([script, args]) => runToEnd([script, ...args], { env })))));
  }
  bad.forEach(([script, args, message], index) => {
    const { code, signal, stdout, stderr } = results[index];
    const name = script.split('/').pop().replace('.mjs', '');
    const what = `${name} ${args.join(' ') || '(no flags)'}`;
    const firstLine = stderr.split('\n')[0];
    const ok = code === 2 && new RegExp(`^${name}: `).test(firstLine) && message.test(firstLine) && /\nUsage: node examples\/(node|browser)\//.test(stderr) && !/^\s+at /m.test(stderr) && stdout === '';
    check(ok, `${what}: exit 2, "${firstLine}", then the usage, no stack trace`);
    if (!ok) console.log(`    got ${code ?? signal}\n--- stderr ---\n${stderr}--- stdout ---\n${stdout}---`);
  });

  const flagsOf = {
    demo: ['--url', '--token', '--stream', '--duration', '--drop-every', '--rate', '--help'],
    timeline: ['--url', '--token', '--stream', '--help'],
    serve: ['--port', '--heartbeat-ms', '--rate', '--drop-every', '--test-endpoints', '--help'],
  };
  for (const [script, args] of [[demo, ['--help']], [demo, ['--', '--help']], [demo, ['-h', '--rate', 'abc']], [timeline, ['--help']], [timeline, ['-h']], [serve, ['--help']]]) {
    const { code, signal, stdout, stderr } = await runToEnd([script, ...args], { env });
    const name = script.split('/').pop().replace('.mjs', '');
    const what = `${name} ${args.join(' ')}`;
    const flags = flagsOf[name];
    const ok = code === 0 && /^Usage: node examples\/(node|browser)\//.test(stdout) && flags.every((flag) => stdout.includes(flag)) && stderr === '';
    check(ok, `${what}: prints the usage (${flags.join(', ')}) and exits 0`);
    if (!ok) console.log(`    got ${code ?? signal}\n--- stderr ---\n${stderr}--- stdout ---\n${stdout}---`);
  }
}

/** One CLI run per stream kind: connect, see the posted status, Ctrl-C, prompt exit 0. */
async function checkCli(server, stream, post) {
  const cli = run(['examples/node/timeline.mjs', '--url', server.url, '--token', 'peer-test-token', '--stream', stream], { timeoutMs: 20_000 });
  try {
    await cli.waitFor(/● connected/);
    await server.waitForConnection();
    post();
    await cli.waitFor(/• @\S+ +.*SIGINT check/);
    check(true, `timeline --stream ${stream}: prints the status posted`);
    check(cli.output().includes(`… streaming ${stream} from ${server.url.replace(/\/$/, '')}\n`), `timeline --stream ${stream}: names the stream and the instance it reads`);
  } catch (error) {
    check(false, `timeline --stream ${stream}: ${error.message}\n${cli.output()}`);
  }
  const interruptedAt = Date.now();
  cli.child.kill('SIGINT');
  const { code, signal, at } = await cli.exited;
  check(code === 0, `timeline --stream ${stream}: Ctrl-C exits with code 0 (got ${code ?? signal})`);
  check(at - interruptedAt < 2_000, `timeline --stream ${stream}: …within 2 s (${at - interruptedAt} ms), no hanging handles`);
  check(/^stopped: [1-9]\d* events/m.test(cli.output()), `timeline --stream ${stream}: prints its summary on the way out`);
  await server.waitForConnectionCount(0).catch(() => check(false, `timeline --stream ${stream}: the server saw the connection close`));
}

/** The CLI on `user`: a status, then its edit and its delete, each printed with its mark. */
async function checkEditAndDelete(server) {
  const cli = run(['examples/node/timeline.mjs', '--url', server.url, '--token', 'peer-test-token', '--stream', 'user'], { timeoutMs: 20_000 });
  try {
    await cli.waitFor(/● connected/);
    await server.waitForConnection();
    const status = server.postStatus({ content: '<p>soon edited, then deleted</p>' }, { account: 'bob', media: 2 });
    await cli.waitFor(/• @bob +soon edited, then deleted \[2 media\]$/m);
    // Longer than the line: the text is cut, the media tag kept.
    server.editStatus(status.id, { content: `<p>edited once ${'and made much longer '.repeat(8)}</p>` });
    await cli.waitFor(/^\d\d:\d\d:\d\d   ✎ @bob +edited once and made much longer .*… \[2 media\]$/m);
    check(true, 'timeline: marks an edit with ✎, its text cut to the line and its media tag kept');
    server.deleteStatus(status.id);
    await cli.waitFor(/^\d\d:\d\d:\d\d   ✗ @bob +deleted: edited once/m);
    check(true, 'timeline: marks a delete with ✗, naming what went');
  } catch (error) {
    check(false, `timeline: edit and delete marks: ${error.message}\n${cli.output()}`);
  }
  cli.child.kill('SIGINT');
  await cli.exited;
  await server.waitForConnectionCount(0).catch(() => check(false, 'timeline (edit and delete): the server saw the connection close'));
}

/** The CLI against a host that accepts connections and never answers: it says it is still waiting, and Ctrl-C still ends it at once. */
async function checkSilentHost() {
  const sockets = new Set();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${silent.address().port}`;
  const cli = run(['examples/node/timeline.mjs', '--url', url, '--token', 'peer-test-token', '--stream', 'public'], { timeoutMs: 20_000 });
  try {
    const started = Date.now();
    await cli.waitFor(/no answer from/, 10_000);
    check(cli.output().includes(`… no answer from ${url} yet; still trying\n`) && Date.now() - started < 10_000, `timeline against a silent host: says it is still waiting within 10 s (${Date.now() - started} ms)`);
  } catch (error) {
    check(false, `timeline against a silent host: ${error.message}\n${cli.output()}`);
  }
  const interruptedAt = Date.now();
  cli.child.kill('SIGINT');
  const { code, signal, at } = await cli.exited;
  check(code === 0 && at - interruptedAt < 2_000, `timeline against a silent host: Ctrl-C exits with code 0 within 2 s (got ${code ?? signal} after ${at - interruptedAt} ms)`);
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
}

/** The CLI against a host that refuses connections: it says why it reconnects, and never that there was no answer yet. */
async function checkRefusingHost() {
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((resolve) => closed.close(resolve));
  const cli = run(['examples/node/timeline.mjs', '--url', url, '--token', 'peer-test-token', '--stream', 'public'], { timeoutMs: 20_000 });
  try {
    await cli.waitFor(/ECONNREFUSED/, 10_000);
    // Past the 5 s of the quiet notice, which the refusal (an answer) must have cancelled.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    check(!cli.output().includes('no answer from'), `timeline against a refusing host: names the refusal and never says "no answer … yet"${cli.output().includes('no answer from') ? `\n${cli.output()}` : ''}`);
  } catch (error) {
    check(false, `timeline against a refusing host: ${error.message}\n${cli.output()}`);
  }
  cli.child.kill('SIGINT');
  await cli.exited;
}

await checkBadCommandLines();
await checkSilentHost();
await checkRefusingHost();
await checkServePortTaken();
await checkDemo();
await checkDemoStream('direct', /^\d\d:\d\d:\d\d   ✉ @\S+ +@alice \S/m, /caught up \d+ conversations?$/);
await checkDemoStream('notifications', /^\d\d:\d\d:\d\d [ ↺] ◆ @\S+ +\w/m, /caught up \d+ notifications?$/);

console.log('timeline CLI against a testkit server:');
const server = await createFakeMastodon({ heartbeatIntervalMs: 1_000 });
try {
  const text = (words) => ({ content: `<p>${words} — SIGINT check</p>` });
  await checkCli(server, 'public:local', () => server.postStatus(text('local post'), { account: 'bob' }));
  await checkCli(server, 'hashtag:rust', () => server.postStatus(text('tagged post'), { account: 'carol', tags: ['rust'] }));
  await checkCli(server, 'user', () => server.postStatus(text('home post'), { account: 'bob' }));
  await checkCli(server, 'list:42', () => server.postStatus(text('list post'), { account: 'bob', inListIds: ['42'] }));
  await checkEditAndDelete(server);
} finally {
  await server.close();
}

if (failures.length > 0) {
  console.error(`\n60-examples-node: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\n60-examples-node: all checks passed');
