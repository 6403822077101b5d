// A testkit server in its own process, driven over IPC, so that the process
// under test holds only client-side handles. Each 'post' goes to a stream
// opened after the previous one, so a connection still closing from the last
// loop can never take the status meant for the next.
import { createFakeMastodon } from '../../../testkit/dist/index.js';

const server = await createFakeMastodon({ heartbeatIntervalMs: 1000 });
let lastServed = 0;
process.send(server.url);
process.on('message', async (message) => {
  if (message?.backlog !== undefined) {
    // Statuses posted while nobody streams: what a resumed stream must catch up.
    for (let index = 0; index < message.backlog; index++) server.postStatus({}, { account: 'bob' });
    process.send('posted');
    return;
  }
  const connection = await server.waitForConnection((candidate) => !candidate.isClosed && candidate.id > lastServed);
  lastServed = connection.id;
  server.postStatus({}, { account: 'alice' });
});
process.on('disconnect', () => server.close());
