// The per-test server helper itself: a test that starts a second server must not leave the first listening.
import { describe, expect, it } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

describe('useFakeServer', () => {
  const perTest = useFakeServer();

  it('a second start() in one test closes the first server and the clients tracked on it', async () => {
    const first = await perTest.start({ heartbeatIntervalMs: 0 });
    let clientClosed = false;
    perTest.track({ close: () => void (clientClosed = true) });
    const second = await perTest.start({ heartbeatIntervalMs: 0 });
    expect(clientClosed).toBe(true);
    expect(perTest.current()).toBe(second);
    await expect(fetch(`${first.url}/api/v1/streaming/health`)).rejects.toThrow();
    expect((await fetch(`${second.url}/api/v1/streaming/health`)).status).toBe(200);
  });
});
