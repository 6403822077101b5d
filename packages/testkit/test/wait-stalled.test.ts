import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { StreamReader } from './sse-client.js';
import { connectWebSocket, type RawWebSocket } from './ws-client.js';

// A plain wait is for a stream the test can publish into. One the test stalled gets nothing published, so
// "stall, then wait for the client's replacement" must not be handed the stalled stream back at once.

const perTest = useFakeServer<StreamReader | RawWebSocket>();
const start = (): Promise<FakeMastodon> => perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
const openSse = async (s: FakeMastodon, path = 'public'): Promise<StreamReader> => perTest.track(await StreamReader.open(`${s.url}/api/v1/streaming/${path}`, 'peer-test-token'));
const openWebSocket = async (s: FakeMastodon) => {
  const opened = await connectWebSocket(s, '/api/v1/streaming?stream=public', { Authorization: 'Bearer peer-test-token' });
  perTest.track(opened.ws);
  return opened;
};

describe('plain waits and stalled streams', () => {
  it('waitForConnection() passes over a stalled SSE stream and finds the next one', async () => {
    const s = await start();
    await openSse(s);
    const stalled = await s.waitForConnection();
    s.stall();

    const next = s.waitForConnection(undefined, { timeoutMs: 2_000 });
    const replacement = await openSse(s, 'public');
    const found = await next;

    expect(found.id).not.toBe(stalled.id);
    expect(found.isStalled).toBe(false);
    s.publish('public', 'delete', '1');
    await replacement.until((reader) => reader.events.some((event) => event.data === '1'));
  });

  it('a predicate still sees a stalled stream, and a plain wait with only stalled ones times out saying so', async () => {
    const s = await start();
    await openSse(s);
    const stalled = await s.waitForConnection();
    s.stall();

    expect((await s.waitForConnection((c) => c.isStalled)).id).toBe(stalled.id);
    await expect(s.waitForConnection(undefined, { timeoutMs: 50 })).rejects.toThrow(/waiting for a subscribed connection, not stalled/);
  });

  it('waitForWebSocket() passes over a stalled socket', async () => {
    const s = await start();
    const first = await openWebSocket(s);
    await s.waitForWebSocket();
    s.stallWebSockets();

    const next = s.waitForWebSocket(undefined, { timeoutMs: 2_000 });
    await openWebSocket(s);
    const found = await next;

    expect(found.id).not.toBe(first.session.id);
    expect(found.isStalled).toBe(false);
    expect((await s.waitForWebSocket((socket) => socket.isStalled)).id).toBe(first.session.id);
  });
});
