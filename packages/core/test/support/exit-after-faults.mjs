// Run as a child process. Each phase stops a stream (abort or break) while it
// waits on a fault: response headers that never come, an error body that never
// ends, a backoff sleep, a discovery request that hangs, a catch-up page that
// never ends, and REST calls of a user fetch that throws instead of rejecting.
// Then the server goes away and this process must exit by itself, at once:
// a timer (the REST timeout is 10 s, the connect timeout 30 s) or a socket left
// behind would keep it alive, which the parent measures.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../dist/index.js';

process.on('unhandledRejection', (error) => console.error('unhandledRejection', error));
process.on('uncaughtException', (error) => console.error('uncaughtException', error));

const TOKEN = 'peer-test-token';
const serverProcess = fork(fileURLToPath(new URL('./fault-server-process.mjs', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const url = await new Promise((resolve) => serverProcess.once('message', resolve));
const script = (message) => new Promise((resolve) => (serverProcess.once('message', resolve), serverProcess.send(message)));
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Iterates a stream until its first event, or aborts it after `ms`; says in which state it was aborted and how it ended. */
async function abortAfter(ms, open) {
  const controller = new AbortController();
  let state;
  const timer = setTimeout(() => controller.abort(), ms);
  const onStateChange = (next) => {
    if (!controller.signal.aborted) state = next;
  };
  try {
    for await (const event of open({ signal: controller.signal, onStateChange })) return `event from ${event.source}`;
    return `aborted while ${state}, ended quietly`;
  } catch (error) {
    return `threw ${error.code}`;
  } finally {
    clearTimeout(timer);
  }
}

const direct = createClient({ url, streamingUrl: url, accessToken: TOKEN });
const slowRetry = { initialDelayMs: 60_000, minDelayMs: 60_000 };

await script({ status: 200, delayMs: 60_000 });
console.log('headers never come:', await abortAfter(300, (hooks) => direct.user(hooks)));

await script({ status: 500, body: '<html>', holdOpen: true });
console.log('error body never ends:', await abortAfter(300, (hooks) => direct.user(hooks)));

await script({ status: 503 });
console.log('backoff sleep:', await abortAfter(300, (hooks) => direct.user({ ...hooks, reconnect: slowRetry })));

await script({ status: 200, paths: 'rest', delayMs: 60_000 });
console.log('discovery hangs:', await abortAfter(300, (hooks) => createClient({ url, accessToken: TOKEN }).user(hooks)));

// A cursor from a first stream, then statuses it missed: the catch-up's page never ends.
const first = direct.public();
await script({ backlog: 1 });
const cursor = first.cursor();
await first.close();
await script({ backlog: 3 });
await script({ status: 200, paths: 'rest', body: '[', holdOpen: true });
console.log('catch-up page never ends:', await abortAfter(300, (hooks) => direct.public({}, { ...hooks, cursor })));

const throwsAtOnce = () => {
  throw new TypeError('no fetch here');
};
const throwing = createClient({ url, accessToken: TOKEN, fetch: throwsAtOnce });
console.log('user fetch throws:', await throwing.health(), await throwing.streamingBaseUrl().then(() => 'base guessed'));

await delay(50);
serverProcess.disconnect();
serverProcess.kill();
const doneAt = Date.now();
process.on('exit', () => console.log(`exited ${Date.now() - doneAt} ms after the last phase`));
