import { describe, expect, it } from 'vitest';
import { createFakeMastodon } from '@tootstream/testkit';

// `await using server = await createFakeMastodon()` calls this at the end of the scope; called
// directly here, so the test does not depend on the transform supporting `await using`.
describe('FakeMastodon as AsyncDisposable', () => {
  it('closes the server, as close() does, and stays idempotent', async () => {
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    // Attached before disposing, which rejects the wait at once.
    const waitEnded = expect(server.waitForConnection(undefined, { timeoutMs: Infinity })).rejects.toThrow('server closed while waiting');
    await server[Symbol.asyncDispose]();
    await waitEnded;
    await expect(fetch(`${server.url}/api/v1/instance`)).rejects.toThrow();
    await server.close();
  });
});
