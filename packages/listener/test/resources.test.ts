import { describe, expect, it } from 'vitest';
import { createFakeMastodon } from '@tootstream/testkit';
import { clientFor, delay, Recorder, waitFor } from './support/harness.js';

/** Timers and sockets alive in this process, by kind. */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout' || kind.startsWith('TCP') || kind === 'Immediate') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('resources', () => {
  it('leaves no timer or socket behind after close(), in every state (connected, reconnect wait, stall watchdog)', async () => {
    const before = liveResources();
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const mastodon = clientFor(server);
    const options = { runAsync: true, timeout: 30, reconnectAsync: true, reconnectAsyncWaitSec: 30 } as const;

    const connected = await mastodon.streamUser(new Recorder(), options);
    const waiting = await mastodon.streamDirect(new Recorder(), options);
    await server.waitForConnectionCount(2);
    // One handle stays connected (with its 30 s stall watchdog armed); the other sits in a 30 s reconnect wait.
    server.dropConnections((c) => c.stream === 'direct');
    await waitFor(() => !waiting.isReceiving() && connected.isReceiving(), 'one handle in its reconnect wait');
    await Promise.all([connected.close(), waiting.close()]);
    await server.close();
    await delay(20);
    // The runner may own a timer of its own at the start; nothing may be added on top of what was there.
    const after = liveResources();
    const extra = Object.entries(after).filter(([kind, count]) => count > (before[kind] ?? 0));
    expect(extra).toEqual([]);
  });

  it('leaves no timer behind once the heartbeat watchdog is armed (blocking call ended by its signal, handle closed)', async () => {
    const before = liveResources();
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const mastodon = clientFor(server);
    const blocking = new Recorder();
    const controller = new AbortController();
    const done = mastodon.streamUser(blocking, { signal: controller.signal }).catch(() => {});
    const async = new Recorder();
    const handle = await mastodon.streamDirect(async, { runAsync: true, reconnectAsync: true });
    await server.waitForConnectionCount(2);
    // A heartbeat arms each run's 45 s watchdog.
    server.pushRaw(':thump\n');
    await waitFor(() => blocking.count('handleHeartbeat') === 2 && async.count('handleHeartbeat') === 2, 'the heartbeats');
    controller.abort();
    await Promise.all([done, handle.close()]);
    await server.close();
    await delay(20);
    const after = liveResources();
    const extra = Object.entries(after).filter(([kind, count]) => count > (before[kind] ?? 0));
    expect(extra).toEqual([]);
  });
});
