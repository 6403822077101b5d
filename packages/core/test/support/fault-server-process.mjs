// A testkit server in its own process, driven over IPC (see testkit-process.mjs):
// each message is a scripted failure for the next matching requests, or
// { backlog } to post statuses nobody streams. Answers every message once done.
import { createFakeMastodon } from '../../../testkit/dist/index.js';

const server = await createFakeMastodon({ heartbeatIntervalMs: 1000 });
process.send(server.url);
process.on('message', (message) => {
  if (message.backlog !== undefined) {
    for (let index = 0; index < message.backlog; index++) server.postStatus({}, { account: 'bob' });
  } else {
    server.failNext(message);
  }
  process.send('ok');
});
process.on('disconnect', () => server.close());
