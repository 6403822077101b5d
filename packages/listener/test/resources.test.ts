import { describe, expect, it } from 'vitest';
import { createFakeMastodon } from '@tootstream/testkit';
import { runBuiltChild } from '../../core/test/support/run-built-child.js';
import { clientFor, delay, Recorder, waitFor } from './support/harness.js';

/** Timers and sockets alive in this process, by kind. */
function liveResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout' || kind.startsWith('TCP') || kind === 'Immediate') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/**
 * What is alive on top of `before`, once sockets had time to finish closing: on a loaded machine a closed socket's
 * handle can outlive a fixed 20 ms pause (the suite failed that way once). A leaked timer or socket (a 30 s watchdog,
 * a kept-alive connection) is still there after the wait, so the check keeps its teeth.
 */
async function extraResourcesAfterSettling(before: Record<string, number>): Promise<Array<[string, number]>> {
  const extra = () => Object.entries(liveResources()).filter(([kind, count]) => count > (before[kind] ?? 0));
  const deadline = Date.now() + 2_000;
  while (extra().length > 0 && Date.now() < deadline) await delay(20);
  return extra();
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
    // The runner may own a timer of its own at the start; nothing may be added on top of what was there.
    expect(await extraResourcesAfterSettling(before)).toEqual([]);
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
    expect(await extraResourcesAfterSettling(before)).toEqual([]);
  });

  it('lets the process exit by itself after a blocking call ended by its signal and an async handle closed, each with its watchdog armed', () => {
    // A leaked 45 s watchdog or 30 s timer would hold the child past its timeout (status null, signal SIGTERM).
    const run = runBuiltChild(import.meta.url, './support/exit-after-close.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter(Boolean)).toEqual(['blocking call ended by its signal: DOMException', 'async handle closed: alive false']);
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
  });

  it("survives an abort after Node's fetch rejected an instance document it cannot decode (more than five content codings), with no request timeout", () => {
    const run = runBuiltChild(import.meta.url, './support/exit-after-undecodable.mjs');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ended: AbortError\nsurvived the abort\n');
    expect(run.status).toBe(0);
  });
});
