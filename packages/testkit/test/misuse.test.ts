import { describe, expect, it, vi } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// What a user's test sees when it misuses the fake or waits for something that never comes:
// the error must say what went wrong, not crash somewhere inside the fake.
const perTest = useFakeServer();

describe('unknown fixture accounts', () => {
  it('postStatus names the unknown account and the known ones', async () => {
    const s = await perTest.start();
    // A JavaScript caller (or a cast) can pass any name; the type only covers TypeScript users.
    const account = 'dave' as unknown as 'alice';
    expect(() => s.postStatus({}, { account })).toThrow(/unknown account 'dave'.*alice, bob, carol.*buildAccount/);
    expect(s.requests).toHaveLength(0);
  });

  it('notify names the unknown sender', async () => {
    const s = await perTest.start();
    const fromAccount = '1002' as unknown as 'bob';
    expect(() => s.notify('1001', { fromAccount })).toThrow(/unknown account '1002'.*alice, bob, carol/);
  });
});

describe('timeouts say what the server saw', () => {
  it('waitForConnection lists the open streams and the refused stream requests', async () => {
    const server = await perTest.start();
    const refused = await fetch(`${server.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer wrong-token' } });
    await refused.body?.cancel();
    const open = await fetch(`${server.url}/api/v1/streaming/public`, { headers: { Authorization: 'Bearer peer-test-token' } });
    await server.waitForConnection();
    const waiting = server.waitForConnection((c) => c.stream === 'user', { timeoutMs: 50 });
    await expect(waiting).rejects.toThrow(
      /timed out after 50 ms waiting for a subscribed connection.*open SSE streams: #\d+ public \(account 1001\).*GET \/api\/v1\/streaming\/user → 401/s,
    );
    await open.body?.cancel();
  });

  it('waitForWebSocket lists the open sockets and says when nothing arrived at all', async () => {
    const server = await perTest.start();
    const waiting = server.waitForWebSocket(undefined, { timeoutMs: 50 });
    await expect(waiting).rejects.toThrow(/waiting for a matching WebSocket.*open WebSockets: none.*no streaming request arrived/s);
  });
});

describe('default wait timeouts', () => {
  it('reject with their explanation within 4 s, before a 5 s test timeout (vitest and jest) ends the test', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const settled: string[] = [];
      const waits = [s.waitForConnection(), s.waitForConnectionCount(1), s.waitForWebSocket(), s.waitForRequest((r) => r.path === '/never')];
      for (const wait of waits) wait.catch((error: Error) => void settled.push(error.message));
      await vi.advanceTimersByTimeAsync(4_000);
      expect(settled).toHaveLength(waits.length);
      for (const message of settled) expect(message).toMatch(/^FakeMastodon: timed out after \d+ ms waiting for .*open SSE streams: none/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('failNext checks its script when it is given', () => {
  it('refuses a status Node cannot send, and a paths value it does not know', async () => {
    const s = await perTest.start();
    // Caught here, not later as a confusing 500 on whichever request the script met.
    expect(() => s.failNext({ status: 5030 })).toThrow(/failNext: status must be an integer from 100 to 599, got 5030/);
    expect(() => s.failNext({ status: '503' as unknown as number })).toThrow(/got '503'/);
    expect(() => s.failNext({ status: 503, paths: 'stream' as 'streaming' })).toThrow(/paths must be 'streaming', 'rest' or 'all', got 'stream'/);
    const response = await fetch(`${s.url}/api/v1/streaming/public`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });
});
