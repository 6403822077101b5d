// Run as a child process, against the built packages: if a stream call left anything behind once it
// was closed or aborted (a 45 s heartbeat watchdog, a reconnect timer, a socket, a listener on the
// user's signal), this process would not exit on its own before the parent's timeout. Counting
// timers inside the test process cannot tell (the runner's own timers come and go); this can.
// The testkit runs in a separate child (core's, shared), so this process holds only client handles.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Mastodon, StreamListener } from '../../dist/index.js';

const serverProcess = fork(fileURLToPath(new URL('../../../core/test/support/testkit-process.mjs', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const url = await new Promise((resolve) => serverProcess.once('message', resolve));
const mastodon = new Mastodon({ apiBaseUrl: url, streamingUrl: url, accessToken: 'peer-test-token' });

/** Resolves at the first status and the first heartbeat it sees: by then the run's watchdog is armed. */
class FirstOfEach extends StreamListener {
  constructor() {
    super();
    this.sawStatus = new Promise((resolve) => (this.onUpdate = () => resolve()));
    this.sawHeartbeat = new Promise((resolve) => (this.handleHeartbeat = () => resolve()));
  }
}

// A blocking call, ended by its signal after a heartbeat armed its watchdog (it rejects with the signal's reason).
const controller = new AbortController();
const blocking = new FirstOfEach();
const done = mastodon.streamUser(blocking, { signal: controller.signal }).then(() => 'resolved', (error) => error.constructor.name);
serverProcess.send('post');
await blocking.sawStatus;
await blocking.sawHeartbeat;
controller.abort();
console.log(`blocking call ended by its signal: ${await done}`);

// An async handle with reconnecting on, closed after a heartbeat armed its watchdog.
const async = new FirstOfEach();
const handle = await mastodon.streamUser(async, { runAsync: true, reconnectAsync: true, timeout: 30 });
serverProcess.send('post');
await async.sawStatus;
await async.sawHeartbeat;
await handle.close();
console.log(`async handle closed: alive ${handle.isAlive()}`);

serverProcess.disconnect();
serverProcess.kill();
