import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonApiError, MastodonReconnectExhaustedError, type TootstreamError } from '../src/errors.js';
import { DEFAULT_RECONNECT_POLICY, type ClientOptions, type StreamOptions } from '../src/options.js';
import { backoffDelay } from '../src/reconnect-policy.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneStatus } from './support/cursors.js';
import { seededRandom, VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(clientOptions: Partial<ClientOptions> = {}) {
  server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  const clock = new VirtualClock();
  const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0.5, ...clientOptions, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
  return { server, clock, client };
}

const backoffTimer = (timer: { delay: number }) => timer.delay !== 45_000;

describe('reconnect with catch-up', () => {
  it('after a drop mid-frame, 100 statuses published while down arrive exactly once, in order, marked catchup', async () => {
    const { server, clock, client } = await setup();
    const gaps: GapInfo[] = [];
    const stream = client.public({}, { stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    const seen = server.postStatus({}, { account: 'alice' });
    expect(ids(await firstEvent)).toEqual([seen.id]);

    // The SDK notices the drop when the consumer pulls again.
    const backfilled = take(iterator, 100);
    server.dropConnections(undefined, { midFrame: true });
    const sleep = await clock.waitForTimer(backoffTimer);
    expect(sleep.delay).toBe(backoffDelay(DEFAULT_RECONNECT_POLICY, 1, () => 0.5));
    const missed = Array.from({ length: 100 }, (_, index) => server.postStatus({ content: `<p>missed ${index}</p>` }, { account: index % 2 ? 'alice' : 'carol' }));
    clock.advance(sleep.delay);

    const backfill = await backfilled;
    expect(ids(backfill)).toEqual(missed.map((status) => status.id));
    expect(backfill.every((event) => event.source === 'catchup')).toBe(true);
    // Pages of 40, 40 and 20: the public timeline pages in SQL, so the short page ends the walk; then the live connection is read.
    const nextEvent = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    const live = server.postStatus({}, { account: 'alice' });
    const [next] = await nextEvent;
    expect(next).toMatchObject({ event: 'update', source: 'live', payload: { id: live.id } });
    const [lookback, ...timelineCalls] = server.requests.filter((request) => request.path === '/api/v1/timelines/public');
    // First one page below the cursor (the stream delivered a status just before the drop), then the walk from it.
    expect(lookback?.query).toMatchObject({ max_id: seen.id, since_id: expect.any(String), limit: '40' });
    expect(timelineCalls[0]?.query).toMatchObject({ min_id: seen.id, limit: '40' });
    expect(timelineCalls.map((call) => call.query.min_id)).toEqual([seen.id, missed[39]?.id, missed[79]?.id]);
    expect(gaps).toEqual([{ reason: 'not-recoverable', kinds: ['deletes', 'edits'], since: expect.any(Number) }]);
    await iterator.return?.();
  });

  it('a pageSize above what Mastodon serves per page (40 statuses) pages on instead of taking the first capped page for the last', async () => {
    const { server, clock, client } = await setup();
    const gaps: GapInfo[] = [];
    const iterator = client.public({}, { stallTimeoutMs: 0, catchUp: { pageSize: 80 }, onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;

    const backfilled = take(iterator, 100);
    server.dropConnections();
    const sleep = await clock.waitForTimer(backoffTimer);
    const missed = Array.from({ length: 100 }, () => server.postStatus({}, { account: 'carol' }));
    clock.advance(sleep.delay);

    expect(ids(await backfilled)).toEqual(missed.map((status) => status.id));
    const timelineCalls = server.requests.filter((request) => request.path === '/api/v1/timelines/public');
    // The lookback below the cursor, then three pages of 40.
    expect(timelineCalls.map((request) => request.query['limit'])).toEqual(['40', '40', '40', '40']);
    expect(timelineCalls[0]?.query['max_id']).toBeDefined();
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable']);
    await iterator.return?.();
  });

  it('survives a server restart and backfills what was posted meanwhile', async () => {
    const { server, clock, client } = await setup();
    const stream = client.hashtag('rust', {}, { stallTimeoutMs: 0 });
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice', tags: ['rust'] });
    await firstEvent;
    const restarted = server.restart({ downMs: 150 });
    const whileDown = [server.postStatus({}, { account: 'bob', tags: ['rust'] }), server.postStatus({}, { account: 'carol', tags: ['rust'] })];
    server.postStatus({}, { account: 'bob', tags: ['other'] });
    const rest = take(iterator, 2);
    let attempts = 0;
    while (server.totalConnections < 2) {
      await clock.fireNext(backoffTimer, 100).catch(() => undefined);
      attempts++;
    }
    await restarted;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(ids(await rest)).toEqual(whileDown.map((status) => status.id));
    expect(stream.stats.reconnects).toBe(1);
    await iterator.return?.();
  });

  it('503, 503, then OK: retries with growing delays and calls the token function once per attempt; no gap, as nothing was covered before the first open', async () => {
    let tokenCalls = 0;
    const { server, clock, client } = await setup({ accessToken: async () => (tokenCalls++, TOKEN) });
    server.failNext({ status: 503, times: 2 });
    const reconnecting: Array<{ attempt: number; delayMs: number; error: TootstreamError }> = [];
    const gaps: GapInfo[] = [];
    const iterator = client.user({ stallTimeoutMs: 0, onReconnecting: (info) => reconnecting.push(info), onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await clock.fireNext();
    await clock.fireNext();
    await server.waitForConnection();
    const status = server.postStatus({}, { account: 'alice' });
    expect(ids(await firstEvent)).toEqual([status.id]);
    expect(reconnecting.map(({ attempt, delayMs }) => [attempt, delayMs])).toEqual([
      [1, 550],
      [2, 1050],
    ]);
    expect(reconnecting.map(({ error }) => (error as MastodonApiError).status)).toEqual([503, 503]);
    expect(tokenCalls).toBe(3);
    expect(server.requests.filter((request) => request.path === '/api/v1/streaming/user')).toHaveLength(3);
    expect(gaps).toEqual([]);
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/timelines') || request.path.startsWith('/api/v1/notifications'))).toEqual([]);
    await iterator.return?.();
  });

  it('an accessToken function that throws on a reconnect ends the loop with its own error, unchanged, and leaves nothing open', async () => {
    const refreshFailed = new Error('token refresh failed');
    let tokenCalls = 0;
    const { server, clock, client } = await setup({ accessToken: () => (tokenCalls++ === 0 ? TOKEN : Promise.reject(refreshFailed)) });
    const iterator = client.user({ stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;
    const ended = iterator.next();
    server.dropConnections();
    await clock.fireNext();
    await expect(ended).rejects.toBe(refreshFailed);
    expect(tokenCalls).toBe(2);
    expect(server.requests.filter((request) => request.path === '/api/v1/streaming/user')).toHaveLength(1);
    await server.waitForConnectionCount(0);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('429 waits at least Retry-After', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 429, headers: { 'Retry-After': '7' } });
    const iterator = client.user({ stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    // 7 s, and past it by random 0.5 of the first attempt's bound (1 s).
    const timer = await clock.waitForTimer();
    expect(timer.delay).toBe(7500);
    clock.advance(7499);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests.filter((request) => request.path === '/api/v1/streaming/user')).toHaveLength(1);
    clock.advance(1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    expect(await firstEvent).toHaveLength(1);
    await iterator.return?.();
  });

  it('401 is fatal: the iteration throws and nothing is retried', async () => {
    const { server, clock, client } = await setup({ accessToken: 'peer-test-token-revoked' });
    const iterator = client.user()[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toMatchObject({ status: 401, serverMessage: 'Invalid access token' });
    expect(clock.pending).toHaveLength(0);
    expect(server.requests.filter((request) => request.path === '/api/v1/streaming/user')).toHaveLength(1);
  });

  it('a token revoked while streaming: the clean end is retried, then the 401 ends it', async () => {
    const { server, clock, client } = await setup();
    const iterator = client.user({ stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.waitForConnection();
    server.revokeToken(TOKEN);
    await clock.fireNext();
    await expect(pending).rejects.toBeInstanceOf(MastodonApiError);
  });

  it('a stall (no byte at all) fires the watchdog and the connection is replaced', async () => {
    const { server, clock, client } = await setup();
    const stalls: number[] = [];
    const stream = client.public({}, { stallTimeoutMs: 45_000, onStalled: ({ timeoutMs }) => stalls.push(timeoutMs) });
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    const stalled = await server.waitForConnection();
    server.stall();
    await clock.fireNext((timer) => timer.delay === 45_000);
    expect(stalls).toEqual([45_000]);
    await stalled.closed;
    await clock.fireNext((timer) => timer.delay !== 45_000);
    await server.waitForConnection((connection) => connection.id !== stalled.id);
    const status = server.postStatus({}, { account: 'alice' });
    const [event] = await firstEvent;
    expect(event).toMatchObject({ payload: { id: status.id } });
    expect(stream.stats.reconnects).toBe(1);
    await iterator.return?.();
  });

  it('stallTimeoutBeforeHeartbeatMs holds until the first heartbeat (not the :) opener); stallTimeoutMs from then on', async () => {
    const { server, clock, client } = await setup();
    const stalls: number[] = [];
    const options = { stallTimeoutBeforeHeartbeatMs: 300_000, stallTimeoutMs: 45_000, onStalled: ({ timeoutMs }: { timeoutMs: number }) => stalls.push(timeoutMs) };
    const iterator = client.public({}, options)[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    const quiet = await server.waitForConnection();
    // Only the :) opener so far: 100 s of silence is fine.
    await clock.waitForTimer((timer) => timer.delay === 300_000);
    clock.advance(100_000);
    expect(stalls).toEqual([]);
    server.pushRaw(':thump\n');
    // The heartbeat switches the limit: 45 s of silence after it is a stall.
    await clock.waitForTimer((timer) => timer.delay === 45_000);
    clock.advance(45_000);
    expect(stalls).toEqual([45_000]);
    await quiet.closed;
    await clock.fireNext((timer) => timer.delay < 45_000);
    // A new connection starts over with the longer limit.
    await server.waitForConnection((connection) => connection.id !== quiet.id);
    await clock.waitForTimer((timer) => timer.delay === 300_000);
    const status = server.postStatus({}, { account: 'alice' });
    expect((await firstEvent)[0]).toMatchObject({ payload: { id: status.id } });
    await iterator.return?.();
  });

  it('a slow consumer is not a stall: the watchdog only counts while a read is pending', async () => {
    const { server, clock, client } = await setup();
    const stalls: number[] = [];
    const stream = client.public({}, { stallTimeoutMs: 45_000, onStalled: ({ timeoutMs }) => stalls.push(timeoutMs) });
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    const connection = await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;
    // The consumer is busy for five minutes: no read is pending, so nothing may fire.
    clock.advance(300_000);
    expect(stalls).toEqual([]);
    const next = take(iterator, 1);
    const status = server.postStatus({}, { account: 'alice' });
    expect((await next)[0]).toMatchObject({ payload: { id: status.id } });
    expect(connection.isClosed).toBe(false);
    expect(stream.stats.reconnects).toBe(0);
    // A read that then waits the whole timeout is a stall.
    const pending = iterator.next();
    await clock.fireNext((timer) => timer.delay === 45_000);
    expect(stalls).toEqual([45_000]);
    await connection.closed;
    await iterator.return?.();
    await pending;
  });

  it('an abort during a backoff sleep ends the loop at once and clears the timer', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 502, times: 5 });
    const controller = new AbortController();
    const iterator = client.user({ signal: controller.signal })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await clock.waitForTimer();
    controller.abort();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(clock.pending).toHaveLength(0);
  });

  it('a dead server for 10 minutes of virtual time costs no more attempts than the policy allows', async () => {
    const { server, clock } = await setup();
    const url = server.url;
    await server.close();
    const random = seededRandom(7);
    const replay = seededRandom(7);
    const policy = { ...DEFAULT_RECONNECT_POLICY, maxElapsedMs: 600_000 };
    let allowed = 0;
    for (let elapsed = 0; elapsed < 600_000; ) elapsed += backoffDelay(policy, ++allowed, replay);
    const client = createClient({ url, streamingUrl: url, accessToken: TOKEN, clock, random, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const iterator = client.user({ reconnect: { maxElapsedMs: 600_000 }, stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const outcome = iterator.next().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    let sleeps = 0;
    for (;;) {
      const timer = await Promise.race([clock.waitForTimer(() => true, 5000), outcome.then(() => undefined)]);
      if (timer === undefined) break;
      clock.advance(timer.delay);
      sleeps++;
    }
    const error = await outcome;
    expect(error).toBeInstanceOf(MastodonReconnectExhaustedError);
    expect(sleeps).toBeLessThanOrEqual(allowed);
    expect(sleeps).toBeGreaterThan(5);
    expect(clock.now() - Date.UTC(2026, 10, 28, 12)).toBeGreaterThanOrEqual(600_000 - 60_000);
    expect(clock.now() - Date.UTC(2026, 10, 28, 12)).toBeLessThanOrEqual(600_000);
  });
});

describe('with catchUp: false', () => {
  it('each reconnect is a gap of every kind the stream carries, since the broken connection last received bytes, with no REST request', async () => {
    const { server, clock, client } = await setup();
    const gaps: GapInfo[] = [];
    const stream = client.public({}, { stallTimeoutMs: 0, catchUp: false, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await first;
    const lastBytesAt: number[] = [];
    for (let drop = 1; drop <= 2; drop++) {
      const next = take(iterator, 1);
      // The virtual clock stands still until advanced: the connection's last bytes arrived at this time.
      lastBytesAt.push(clock.now());
      server.dropConnections();
      clock.advance((await clock.waitForTimer(backoffTimer)).delay);
      await until(() => stream.stats.reconnects === drop);
      const live = server.postStatus({}, { account: 'alice' });
      expect(ids(await next)).toEqual([live.id]);
    }
    expect(lastBytesAt[1]).toBeGreaterThan(lastBytesAt[0]!);
    expect(gaps).toEqual(lastBytesAt.map((since) => ({ reason: 'catch-up-off', kinds: ['statuses', 'deletes', 'edits'], since })));
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/timelines'))).toEqual([]);
    await iterator.return?.();
  });

  it('a stream resumed from a cursor reports the time since the cursor as a gap when it opens, and pages nothing', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = { ...(await cursorAfterOneStatus(fake)), takenAt: Date.now() - 60_000 };
    const gaps: GapInfo[] = [];
    const iterator = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN })
      .user({ cursor: { ...cursor, stream: 'user' }, catchUp: false, onGap: (gap) => gaps.push(gap) })
      [Symbol.asyncIterator]();
    const next = take(iterator, 1);
    await until(() => gaps.length > 0);
    const kinds = ['statuses', 'notifications', 'deletes', 'edits', 'filters_changed', 'announcements', 'notifications_merged'];
    expect(gaps).toEqual([{ reason: 'catch-up-off', kinds, since: expect.any(Number) }]);
    // On the client's clock: the fake server's clock is this machine's, so the two agree within its whole-second Date.
    expect(Math.abs(gaps[0]!.since! - cursor.takenAt)).toBeLessThan(2_000);
    fake.postStatus({}, { account: 'alice' });
    expect(await next).toMatchObject([{ source: 'live' }]);
    expect(fake.requests.filter((request) => !request.path.startsWith('/api/v1/streaming'))).toEqual([]);
    await iterator.return?.();
  });
});

describe('dedupe', () => {
  it.each<[string, StreamOptions]>([
    ['dropped', {}],
    ['delivered when dedupe is off', { dedupe: false }],
  ])('an update overtaken by its delete (the server reorders them) is %s', async (_outcome, options) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0, reorderUpdatesMs: 30 });
    const fake = server;
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const iterator = client.public({}, options)[Symbol.asyncIterator]();
    const events = take(iterator, options.dedupe === false ? 3 : 2);
    await fake.waitForConnection();
    const doomed = fake.postStatus({}, { account: 'alice' });
    fake.deleteStatus(doomed.id);
    // Let the held-back update go out, then publish in order again.
    await new Promise((resolve) => setTimeout(resolve, 80));
    fake.setReorderUpdates(0);
    const kept = fake.postStatus({}, { account: 'bob' });
    const received = (await events).map((event) => (event.event === 'delete' ? `delete ${event.payload}` : `${event.event} ${ids([event])[0]}`));
    const late = options.dedupe === false ? [`update ${doomed.id}`] : [];
    expect(received).toEqual([`delete ${doomed.id}`, ...late, `update ${kept.id}`]);
    await iterator.return?.();
  });

  it.each<[string, StreamOptions]>([
    ['dropped', {}],
    ['delivered when dedupe is off', { dedupe: false }],
  ])('an edit overtaken by the delete of its status (the server holds status.update back too) is %s', async (_outcome, options) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const iterator = client.public({}, options)[Symbol.asyncIterator]();
    const events = take(iterator, options.dedupe === false ? 4 : 3);
    await fake.waitForConnection();
    const doomed = fake.postStatus({}, { account: 'alice' });
    // protocol.md §9: update and status.update on public* wait for a database round trip, a delete does not.
    fake.setReorderUpdates(30);
    fake.editStatus(doomed.id, { content: '<p>edited just before the delete</p>' });
    fake.deleteStatus(doomed.id);
    await new Promise((resolve) => setTimeout(resolve, 80));
    fake.setReorderUpdates(0);
    const kept = fake.postStatus({}, { account: 'bob' });
    const received = (await events).map((event) => (event.event === 'delete' ? `delete ${event.payload}` : `${event.event} ${event.event === 'update' || event.event === 'status.update' ? event.payload.id : ''}`));
    const late = options.dedupe === false ? [`status.update ${doomed.id}`] : [];
    expect(received).toEqual([`update ${doomed.id}`, `delete ${doomed.id}`, ...late, `update ${kept.id}`]);
    await iterator.return?.();
  });

  it('drops the overlap between catch-up and live, but an edit is not a duplicate', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const client = createClient({ url: server.url, accessToken: TOKEN });
    const options: StreamOptions = {};
    const stream = client.public({}, options);
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    const status = server.postStatus({}, { account: 'alice' });
    await firstEvent;
    server.publish('public', 'update', status);
    server.editStatus(status.id, { content: '<p>v2</p>' });
    server.editStatus(status.id, { content: '<p>v3</p>' });
    const next = server.postStatus({}, { account: 'alice' });
    const events = await take(iterator, 3);
    expect(events.map((event) => event.event)).toEqual(['status.update', 'status.update', 'update']);
    expect(ids(events.slice(2))).toEqual([next.id]);
    expect(stream.stats.duplicatesDropped).toBe(1);
    await iterator.return?.();
  });
});
