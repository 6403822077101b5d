// A testkit server in its own process, driven over IPC, so that the process
// under test holds only client-side handles.
import { createFakeMastodon } from '../../../testkit/dist/index.js';

const server = await createFakeMastodon({ heartbeatIntervalMs: 1000 });
process.send(server.url);
process.on('message', async () => {
  await server.waitForConnection((connection) => !connection.isClosed);
  server.postStatus({}, { account: 'alice' });
});
process.on('disconnect', () => server.close());
