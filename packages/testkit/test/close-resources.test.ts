import { describe, expect, it } from 'vitest';
import { createFakeMastodon, recordStream } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { upgradeRequest } from './ws-client.js';

// The README promises that close() leaves nothing behind, so a test process exits on its own
// (and vitest's --detectAsyncLeaks has nothing of the testkit's to report). Checked with Node's
// own list of what keeps the event loop alive: timers, listening servers, sockets.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const KINDS = ['Timeout', 'TCPServerWrap', 'TCPSocketWrap', 'Immediate'];

function loopHolders(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
  for (const kind of process.getActiveResourcesInfo()) if (kind in counts) counts[kind]! += 1;
  return counts;
}

describe('close()', () => {
  it('leaves no timer, server or socket behind, whatever was still going on', async () => {
    const before = loopHolders();
    const busy = await createFakeMastodon({ heartbeatIntervalMs: 1_000, webSocketPingIntervalMs: 1_000, reorderUpdatesMs: 60_000, subscribeDelayMs: 0 });
    const clients = [await RawCapture.open(busy.port, getRequest('/api/v1/streaming/public', ALICE))];
    await busy.waitForConnection();
    busy.stall((connection) => connection.id === 1);
    clients.push(await RawCapture.open(busy.port, getRequest('/api/v1/streaming/user', ALICE)));
    await busy.waitForConnection((connection) => connection.stream === 'user');
    clients.push(await RawCapture.open(busy.port, upgradeRequest('/api/v1/streaming?stream=public', ALICE)));
    await busy.waitForWebSocket();
    busy.postStatus(); // a public update held 60 s by reorder mode
    busy.failNext({ status: 503, delayMs: 60_000 });
    clients.push(await RawCapture.open(busy.port, getRequest('/api/v1/streaming/public', ALICE)));
    busy.failNext({ status: 500, paths: 'rest', holdOpen: true });
    clients.push(await RawCapture.open(busy.port, getRequest('/api/v1/timelines/public')));
    clients.push(await RawCapture.open(busy.port, 'GET /api/v1/streaming/public HTTP/1.1\r\nHost: x\r\n')); // half-sent
    const recording = await recordStream(`${busy.url}/api/v1/streaming/public/local`, { headers: ALICE, durationMs: 60_000 });
    await busy.waitForConnection((connection) => connection.stream === 'public:local');
    await busy.waitForRequest((request) => request.path === '/api/v1/timelines/public' && request.status === 500);
    // The expectation is attached now: close() rejects the wait before the test could await it.
    const pendingWaitEnded = expect(busy.waitForConnection(() => false, { timeoutMs: 60_000 })).rejects.toThrow('server closed while waiting');

    const restarting = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const down = restarting.restart({ downMs: 60_000 });

    await Promise.all([busy.close(), restarting.close()]);
    await pendingWaitEnded;
    await down;
    await Promise.all([...clients.map((client) => client.ended), recording.finished]);
    // Sockets report their close a tick after the handle goes.
    await new Promise((resolve) => setImmediate(resolve));
    // At most what was there before: the worker may still be closing what an earlier file used,
    // so a count can drop meanwhile; one of ours left behind would raise it.
    const after = loopHolders();
    for (const kind of KINDS) expect({ kind, count: after[kind] }).toEqual({ kind, count: Math.min(after[kind]!, before[kind]!) });
  });

  it('releases the listening socket before it resolves: a leak check right after `await close()` finds none of it', async () => {
    const before = loopHolders().TCPServerWrap!;
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    expect(loopHolders().TCPServerWrap).toBe(before + 1);
    await server.close();
    expect(loopHolders().TCPServerWrap).toBe(before);
  });

  it('a wait the test started and never awaited ends with close() without an unhandled rejection; one awaited still rejects', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
      void server.waitForConnection((connection) => connection.stream === 'user', { timeoutMs: 60_000 }); // never awaited
      const awaited = server.waitForRequest(() => false, { timeoutMs: 60_000 });
      await server.close();
      await expect(awaited).rejects.toThrow('FakeMastodon: server closed while waiting');
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('restart()', () => {
  it('a second restart() while the first is under way is refused with a message, and the first still comes back on its port', async () => {
    const server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    try {
      const first = server.restart({ downMs: 50 });
      await expect(server.restart({ downMs: 50 })).rejects.toThrow('FakeMastodon: restart() while an earlier restart() is still under way; await it first');
      await first;
      const answer = await fetch(`${server.url}/api/v1/streaming/health`);
      expect(answer.status).toBe(200);
      await answer.body?.cancel();
      await server.restart({ downMs: 10 }); // and once it is back, another is fine
    } finally {
      await server.close();
    }
  });
});
