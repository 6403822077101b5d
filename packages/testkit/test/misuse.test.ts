import { describe, expect, it, vi } from 'vitest';
import { useFakeServer } from './fake-per-test.js';
import { importTestkitOnFakeTimers } from './fresh-testkit.js';

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

  it('a partial account object is refused at the call, naming what a whole one needs', async () => {
    const s = await perTest.start();
    const account = { id: '5000' } as unknown as 'alice';
    expect(() => s.postStatus({}, { account })).toThrow(/an account must be a known name \(alice, bob, carol\) or a whole Account with string id, username and acct; buildAccount/);
    expect(() => s.notify('1001', { fromAccount: account })).toThrow(/whole Account/);
    expect(s.postStatus().account.acct).toBe('alice');
  });

  it('notify names the unknown sender', async () => {
    const s = await perTest.start();
    const fromAccount = '1002' as unknown as 'bob';
    expect(() => s.notify('1001', { fromAccount })).toThrow(/unknown account '1002'.*alice, bob, carol/);
  });
});

describe('status ids a test gives', () => {
  it('the ids the fake issues after one a test gave stay above it, so no two statuses share an id; one below changes nothing', async () => {
    const s = await perTest.start();
    const ahead = ((BigInt(Date.now() + 5_000) << 16n) + 3n).toString();
    const late = ((BigInt(Date.now() - 5_000) << 16n) + 3n).toString();
    s.postStatus({ id: ahead });
    const next = s.postStatus({});
    expect(BigInt(next.id)).toBe(BigInt(ahead) + 1n);
    s.postStatus({ id: late });
    expect(BigInt(s.postStatus({}).id)).toBe(BigInt(ahead) + 2n);
    // Not a number: kept as given, nothing else moves.
    s.postStatus({ id: 'not-a-snowflake' });
    expect(BigInt(s.postStatus({}).id)).toBe(BigInt(ahead) + 3n);
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

  it("waitForRequest lists the latest REST requests and their answers too: a bot's reply never came because a call before it got a 404", async () => {
    const server = await perTest.start();
    const headers = { Authorization: 'Bearer peer-test-token' };
    for (const path of ['/api/v1/accounts/verify_credentials', '/api/v1/status']) {
      const answer = await fetch(`${server.url}${path}`, { method: path.endsWith('status') ? 'POST' : 'GET', headers });
      await answer.body?.cancel();
    }
    const waiting = server.waitForRequest((r) => r.method === 'POST' && r.path === '/api/v1/statuses', { timeoutMs: 50 });
    await expect(waiting).rejects.toThrow(
      /no streaming request arrived; latest other requests: GET \/api\/v1\/accounts\/verify_credentials → 404, POST \/api\/v1\/status → 404$/,
    );
  });

  it('waitForWebSocket lists the open sockets and says when nothing arrived at all', async () => {
    const server = await perTest.start();
    const waiting = server.waitForWebSocket(undefined, { timeoutMs: 50 });
    await expect(waiting).rejects.toThrow(/waiting for a WebSocket with a live subscription.*open WebSockets: none.*no streaming request arrived/s);
  });
});

describe('default wait timeouts', () => {
  it('reject with their explanation within 4 s, before a 5 s test timeout (vitest and jest) ends the test', async () => {
    // The timeouts run on real time; a copy loaded on fake timers lets the 4 s pass at once.
    const { createFakeMastodon } = await importTestkitOnFakeTimers();
    const s = await createFakeMastodon({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    try {
      const settled: string[] = [];
      const waits = [s.waitForConnection(), s.waitForConnectionCount(1), s.waitForWebSocket(), s.waitForRequest((r) => r.path === '/never')];
      for (const wait of waits) wait.catch((error: Error) => void settled.push(error.message));
      await vi.advanceTimersByTimeAsync(3_999);
      expect(settled).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(settled).toHaveLength(waits.length);
      for (const message of settled) expect(message).toMatch(/^FakeMastodon: timed out after 4000 ms waiting for .*open SSE streams: none/);
    } finally {
      vi.useRealTimers();
      await s.close();
    }
  });
});

describe('postStatus arguments plain JavaScript gets wrong', () => {
  it('a number id is refused at the call and the server goes on posting (it was stored half-way and broke every later post)', async () => {
    const s = await perTest.start();
    const partial = { id: 5 } as unknown as { id: string };
    expect(() => s.postStatus(partial)).toThrow("FakeMastodon.postStatus: id must be a string, as Mastodon's ids are (got number 5)");
    const next = s.postStatus({ content: '<p>after</p>' });
    const home = await fetch(`${s.url}/api/v1/timelines/home`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(((await home.json()) as Array<{ id: string }>).map((status) => status.id)).toEqual([next.id]);
  });

  it("a tag written with its '#' is refused: Mastodon's Tag entity has none", async () => {
    const s = await perTest.start();
    expect(() => s.postStatus({}, { tags: ['rust', '#Rust'] })).toThrow(`FakeMastodon.postStatus: tags are names without '#', as Mastodon's Tag entity has them (got "#Rust")`);
    expect(s.postStatus({}, { tags: ['Rust'] }).tags).toEqual([{ name: 'Rust', url: expect.stringMatching(/\/tags\/Rust$/) }]);
  });
});

describe('wait arguments that cannot work are refused at the call', () => {
  it('a predicate that is not a function (the stream name given for it), and a count of connections below 0 or not whole', async () => {
    const s = await perTest.start();
    const streamName = 'public' as unknown as () => boolean;
    expect(() => s.waitForConnection(streamName)).toThrow("FakeMastodon.waitForConnection: the predicate must be a function, such as (c) => c.stream === 'public' (got 'public')");
    expect(() => s.waitForWebSocket(streamName)).toThrow(/^FakeMastodon.waitForWebSocket: the predicate must be a function/);
    expect(() => s.waitForRequest({ path: '/api/v1/statuses' } as unknown as () => boolean)).toThrow(/^FakeMastodon.waitForRequest: the predicate must be a function, .* \(got object\)$/);
    expect(() => s.waitForConnectionCount(-1)).toThrow(new RangeError('FakeMastodon.waitForConnectionCount: count must be a whole number from 0, got -1'));
    expect(() => s.waitForConnectionCount(1.5)).toThrow(RangeError);
    await expect(s.waitForConnectionCount(0)).resolves.toBeUndefined();
  });
});

