// Run as a child process: if anything (a timer, a socket, a listener) were
// left behind after abort/break, this process would not exit on its own
// before the parent's timeout. The testkit runs in a separate child.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '../../dist/index.js';

const serverProcess = fork(fileURLToPath(new URL('./testkit-process.mjs', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const url = await new Promise((resolve) => serverProcess.once('message', resolve));
const client = createClient({ url, accessToken: 'peer-test-token' });

const controller = new AbortController();
let count = 0;
serverProcess.send('post');
for await (const _ of client.user({ signal: controller.signal, stallTimeoutMs: 45_000 })) {
  count++;
  controller.abort();
}
console.log(`aborted: ${count} event`);

count = 0;
serverProcess.send('post');
const broken = client.user();
for await (const _ of broken) {
  count++;
  break;
}
console.log(`broke: ${count} event`);

// A break in the middle of a catch-up, while its next page is being fetched.
serverProcess.send({ backlog: 30 });
await new Promise((resolve) => serverProcess.once('message', resolve));
let source;
for await (const event of client.user({ cursor: broken.cursor(), catchUp: { pageSize: 5, maxPages: 10 } })) {
  source = event.source;
  break;
}
console.log(`broke mid-catch-up: first event from ${source}`);
serverProcess.disconnect();
serverProcess.kill();
