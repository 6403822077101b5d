// Resuming and clocks: cursors across clients, and coverage and gap times when
// the client's clock disagrees with the server's.
import { createFakeMastodon, type FakeMastodon, type StatusJson } from '@tootstream/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import type { MastodonStream } from '../src/mastodon-stream.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneStatus } from './support/cursors.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a gap before any status was seen', () => {
  // Status ids are time-based, so "since the stream opened" is itself a cursor:
  // by the server's clock, which a client clock off by an hour must not shift.
  it.each([
    ['right', 0],
    ['an hour ahead', 3_600_000],
    ['an hour behind', -3_600_000],
  ])('is backfilled from when the stream opened by the server clock (client clock %s)', async (_direction, skewMs) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const before = server.postStatus({}, { account: 'alice' });
    // The Date header has whole seconds: open the stream in the next second so `before` is certainly older.
    await new Promise((resolve) => setTimeout(resolve, 1_001 - (Date.now() % 1_000)));
    const clock = new VirtualClock(Date.now() + skewMs);
    const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const stream = client.public({}, { stallTimeoutMs: 0 });
    const iterator = stream[Symbol.asyncIterator]();
    const events = take(iterator, 2);
    await server.waitForConnection();
    server.dropConnections();
    const sleep = await clock.waitForTimer();
    const missed = [server.postStatus({}, { account: 'alice' }), server.postStatus({}, { account: 'bob' })];
    clock.advance(sleep.delay);
    const received = await events;
    expect(ids(received)).toEqual(missed.map((status) => status.id));
    expect(ids(received)).not.toContain(before.id);
    expect(Math.abs(stream.cursor().takenAt - Date.now())).toBeLessThan(5_000);
    await iterator.return?.();
  });
});

describe('cursors', () => {
  it("a second loop's gap starts when the first loop's connection last received bytes, not when the second loop started", async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const gaps: GapInfo[] = [];
    const stream = client.public({}, { reconnect: { maxAttempts: 0 }, onGap: (gap) => gaps.push(gap) });
    const firstLoop = stream[Symbol.asyncIterator]();
    const firstEvent = take(firstLoop, 1);
    await fake.waitForConnection();
    fake.postStatus({}, { account: 'alice' });
    await firstEvent;
    const brokeAt = Date.now();
    fake.dropConnections();
    await expect(firstLoop.next()).rejects.toMatchObject({ code: 'RECONNECT_EXHAUSTED' });
    const missed = fake.postStatus({}, { account: 'bob' });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const secondStartedAt = Date.now();
    const secondLoop = stream[Symbol.asyncIterator]();
    expect(ids(await take(secondLoop, 1))).toEqual([missed.id]);
    const since = gaps.find((gap) => gap.reason === 'not-recoverable')?.since;
    // Both ends pass through the server's clock, which the Date header gives in whole seconds: within a second.
    expect(since).toBeLessThanOrEqual(brokeAt + 1_000);
    expect(since).toBeLessThan(secondStartedAt - 1_500);
    await secondLoop.return?.();
  });

  it('a second loop after one that never opened, or beside one still running, has no gap to catch up (coverage starts at its own open)', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const gaps: GapInfo[] = [];
    fake.failNext({ status: 503 });
    const stream = client.public({}, { reconnect: { maxAttempts: 0 }, onGap: (gap) => gaps.push(gap) });
    await expect(take(stream[Symbol.asyncIterator](), 1)).rejects.toMatchObject({ code: 'RECONNECT_EXHAUSTED' });
    const again = stream[Symbol.asyncIterator]();
    const beside = stream[Symbol.asyncIterator]();
    const [first, second] = [take(again, 1), take(beside, 1)];
    await fake.waitForConnectionCount(2);
    const live = fake.postStatus({}, { account: 'alice' });
    expect(ids([...(await first), ...(await second)])).toEqual([live.id, live.id]);
    expect(gaps).toEqual([]);
    expect(fake.requests.filter((request) => request.path.startsWith('/api/v1/timelines'))).toEqual([]);
    await Promise.all([again.return?.(), beside.return?.()]);
  });

  it.each([
    ['a stream resumed from a cursor', true],
    ['a stream without one', false],
  ])('%s: a second loop over the same stream object goes on from where the first got to, with catch-up, repeating nothing', async (_label, resumed) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = resumed ? await cursorAfterOneStatus(fake) : undefined;
    const backfilled = resumed ? [fake.postStatus({}, { account: 'alice' })] : [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor });
    const firstLoop = stream[Symbol.asyncIterator]();
    const firstEvents = take(firstLoop, backfilled.length + 1);
    await fake.waitForConnection((connection) => !connection.isClosed);
    const live = fake.postStatus({}, { account: 'alice' });
    expect(ids(await firstEvents)).toEqual([...backfilled, live].map((status) => status.id));
    await firstLoop.return?.();
    await until(() => fake.connections.every((connection) => connection.isClosed));
    const afterFirst = stream.cursor();
    const missed = [fake.postStatus({}, { account: 'alice' }), fake.postStatus({}, { account: 'bob' })];
    const secondLoop = stream[Symbol.asyncIterator]();
    const secondEvents = take(secondLoop, 2);
    expect(stream.cursor().lastStatusId).toBe(afterFirst.lastStatusId);
    const received = await secondEvents;
    expect(ids(received)).toEqual(missed.map((status) => status.id));
    expect(received.map((event) => event.source)).toEqual(['catchup', 'catchup']);
    await secondLoop.return?.();
  });

  it('taken before the first iteration, is stamped by the injected clock, not the wall clock', () => {
    const clock = new VirtualClock(Date.UTC(2030, 0, 1));
    const client = createClient({ url: 'http://127.0.0.1:9', clock });
    expect(client.user().cursor()).toEqual({ version: 1, stream: 'user', params: {}, takenAt: Date.UTC(2030, 0, 1) });
    const resumed = { version: 1 as const, stream: 'hashtag' as const, params: { tag: 'rust' }, takenAt: Date.UTC(2029, 0, 1), lastStatusId: '42' };
    expect(client.hashtag('rust', {}, { cursor: resumed }).cursor()).toEqual(resumed);
  });

  it('a cursor taken in one client resumes in another with catch-up of what it missed', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const first = createClient({ url: server.url, accessToken: TOKEN });
    const stream = first.user();
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvents = take(iterator, 2);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    server.notify('1001', { type: 'favourite' });
    await firstEvents;
    const saved = JSON.parse(JSON.stringify(stream.cursor()));
    await iterator.return?.();
    await until(() => server?.connections.length === 0);

    const missedStatuses = [server.postStatus({}, { account: 'bob' }), server.postStatus({}, { account: 'alice' })];
    const missedNotification = server.notify('1001', { type: 'mention' });

    const second = createClient({ url: server.url, accessToken: TOKEN });
    const resumed = second.user({ cursor: saved })[Symbol.asyncIterator]();
    const events = await take(resumed, 3);
    expect(events.every((event) => event.source === 'catchup')).toBe(true);
    expect(ids(events).sort()).toEqual([...missedStatuses.map((status) => status.id), missedNotification.id].sort());
    expect(ids(events.filter((event) => event.event === 'update'))).toEqual(missedStatuses.map((status) => status.id));
    await resumed.return?.();
  });
});

describe('a cursor covers only what the consumer got', () => {
  /** Resumes `cursor` on the public stream in a new client and collects `count` events. */
  async function resume(cursor: unknown, count: number) {
    const client = createClient({ url: server!.url, accessToken: TOKEN });
    const iterator = client.public({}, { cursor: JSON.parse(JSON.stringify(cursor)) })[Symbol.asyncIterator]();
    const events = await take(iterator, count);
    await iterator.return?.();
    return events;
  }

  /** Takes `stream`'s cursor now, checks it ends at `lastDelivered`, ends the loop, and checks a resume brings `undelivered`. */
  async function expectCursorBefore(stream: MastodonStream, iterator: AsyncIterator<unknown>, lastDelivered: StatusJson | undefined, undelivered: StatusJson[]) {
    const cursor = stream.cursor();
    expect(cursor.lastStatusId).toBe(lastDelivered?.id);
    await iterator.return?.();
    const events = await resume(cursor, undelivered.length);
    expect(ids(events)).toEqual(undelivered.map((status) => status.id));
  }

  it('taken after two of ten statuses that arrived together, it resumes with the other eight', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const stream = createClient({ url: server.url, accessToken: TOKEN }).public();
    const iterator = stream[Symbol.asyncIterator]();
    const handled = take(iterator, 2);
    await server.waitForConnection();
    const posted = Array.from({ length: 10 }, () => server!.postStatus({}, { account: 'alice' }));
    await handled;
    // Time for the rest of the read (and core's read-ahead) to be parsed and queued.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expectCursorBefore(stream, iterator, posted[1], posted.slice(2));
  });

  it('taken after the first event of a catch-up page, it resumes with the rest of the page', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const before = await cursorAfterOneStatus(fake);
    const missed = Array.from({ length: 6 }, () => fake.postStatus({}, { account: 'bob' }));
    const stream = createClient({ url: fake.url, accessToken: TOKEN }).public({}, { cursor: before, catchUp: { pageSize: 40 } });
    const iterator = stream[Symbol.asyncIterator]();
    const [first] = await take(iterator, 1);
    expect(first?.source).toBe('catchup');
    await expectCursorBefore(stream, iterator, missed[0], missed.slice(1));
  });

  it('taken before any status, during an outage, it resumes with what the outage held', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const clock = new VirtualClock(Date.now());
    const stream = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0, streamDefaults: VIRTUAL_CLOCK_DEFAULTS }).public({}, { stallTimeoutMs: 0 });
    const iterator = stream[Symbol.asyncIterator]();
    const pending = iterator.next();
    await server.waitForConnection();
    // The Date header has whole seconds: let the outage's statuses be certainly newer than the stream's start.
    await new Promise((resolve) => setTimeout(resolve, 1_001 - (Date.now() % 1_000)));
    server.dropConnections();
    await clock.waitForTimer();
    const missed = [server.postStatus({}, { account: 'alice' }), server.postStatus({}, { account: 'bob' })];
    const cursor = stream.cursor();
    expect(cursor.lastStatusId).toBeDefined();
    await iterator.return?.();
    await pending;
    const events = await resume(cursor, 2);
    expect(ids(events)).toEqual(missed.map((status) => status.id));
  });
});

describe('gaps of a resumed stream', () => {
  it.each([
    ['an hour ahead', 3_600_000],
    ['an hour behind', -3_600_000],
  ])("report `since` on the resuming client's clock (client clock %s), not on the server time of the cursor", async (_direction, skewMs) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const first = createClient({ url: server.url, accessToken: TOKEN });
    const stream = first.public();
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;
    const saved = stream.cursor();
    await iterator.return?.();

    const gaps: GapInfo[] = [];
    const clock = new VirtualClock(Date.now() + skewMs);
    const second = createClient({ url: server.url, accessToken: TOKEN, clock, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const resumed = second.public({}, { cursor: saved, stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    const missed = server.postStatus({}, { account: 'bob' });
    const [event] = await take(resumed, 1);
    expect(event?.source).toBe('catchup');
    expect(ids([event!])).toEqual([missed.id]);
    // Public streams cannot backfill deletes and edits, so the catch-up reports that gap.
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(Math.abs((gap.since ?? 0) - (saved.takenAt + skewMs))).toBeLessThan(5_000);
    await resumed.return?.();
  });
});

describe('where a gap begins', () => {
  // Whatever fetch still held when a connection broke is lost with it, so
  // the gap starts at the last bytes received, not when the break was noticed.
  it('is the last time bytes arrived on the broken connection, not the time the break was noticed', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const clock = new VirtualClock();
    const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 0, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const gaps: GapInfo[] = [];
    const iterator = client.public({}, { stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;
    const lastBytesAt = clock.now();
    clock.advance(10_000);
    const next = take(iterator, 1);
    server.dropConnections();
    const sleep = await clock.waitForTimer();
    const missed = server.postStatus({}, { account: 'bob' });
    clock.advance(sleep.delay);
    expect(ids(await next)).toEqual([missed.id]);
    expect(gaps.map((gap) => gap.since)).toEqual([lastBytesAt]);
    await iterator.return?.();
  });
});

describe('a resume cursor ahead of what the server has issued', () => {
  const DAY_MS = 86_400_000;
  /** Resumes the public stream from `cursor` with the client's clock `clientSkewMs` off; what its loop ends with, and the REST requests made. */
  async function resumeFrom(cursor: object, clientSkewMs = 0, stream: 'public' | 'user' = 'public') {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const clock = new VirtualClock(Date.now() + clientSkewMs);
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN, clock, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const resumed = { version: 1, stream, params: {}, takenAt: Date.now() - 60_000, ...cursor } as const;
    const iterator = client.stream(stream, {}, { cursor: resumed, stallTimeoutMs: 0, onError: () => {} })[Symbol.asyncIterator]();
    const outcome = take(iterator, 1).catch((error: unknown) => error);
    const restRequests = () => fake.requests.filter((request) => !request.path.startsWith('/api/v1/streaming'));
    const settled = await Promise.race([outcome, until(() => restRequests().length > 0).then(() => 'paged')]);
    await iterator.return?.();
    return { settled, restRequests: restRequests() };
  }
  const idAt = (epochMs: number) => (BigInt(epochMs) << 16n).toString();

  it.each([
    ['a status id two days ahead of the server clock', { lastStatusId: idAt(Date.now() + 2 * DAY_MS) }, 'public'],
    ['a takenAt two days ahead, with no status id', { takenAt: Date.now() + 2 * DAY_MS }, 'public'],
    ['a notification id beyond any snowflake of the server clock', { lastStatusId: idAt(Date.now() - 60_000), lastNotificationId: idAt(Date.now() + 2 * DAY_MS) }, 'user'],
  ] as const)('%s ends the loop with a MastodonArgumentError at the first connection, before any catch-up (it would ask for nothing and lose every gap)', async (_case, cursor, stream) => {
    const { settled, restRequests } = await resumeFrom(cursor, 0, stream);
    expect(settled).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('ahead of the server') });
    expect(restRequests).toEqual([]);
  });

  it.each([
    ['the client clock two days slow', -2 * DAY_MS],
    ['the client clock two days fast', 2 * DAY_MS],
  ])("a cursor the server issued resumes with %s (the bound is the server's clock)", async (_case, skewMs) => {
    const { settled } = await resumeFrom({ lastStatusId: idAt(Date.now() - 60_000) }, skewMs);
    expect(settled).toBe('paged');
  });
});

describe("under a test's faked Date (the testkit README's way to fix ids)", () => {
  afterEach(() => void vi.useRealTimers());

  it.each([
    ['in the past', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['in the future', Date.UTC(2030, 0, 1)],
  ])('a gap before any status is backfilled, and a resume does not repeat a handled status (Date %s)', async (_label, fakedNow) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(fakedNow);
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const quickRetry = { reconnect: { initialDelayMs: 10, minDelayMs: 1 } };
    const stream = client.public({}, quickRetry);
    const iterator = stream[Symbol.asyncIterator]();
    const missedOne = take(iterator, 1);
    await fake.waitForConnection();
    fake.dropConnections();
    // The faked Date stands still: time moves only when the test sets it.
    vi.setSystemTime(fakedNow + 2_000);
    const missed = fake.postStatus({}, { account: 'alice' });
    expect(ids(await missedOne)).toEqual([missed.id]);
    const cursor = stream.cursor();
    expect(cursor.lastStatusId).toBe(missed.id);
    await iterator.return?.();

    vi.setSystemTime(fakedNow + 4_000);
    const later = fake.postStatus({}, { account: 'bob' });
    const resumed = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN }).public({}, { cursor })[Symbol.asyncIterator]();
    expect(ids(await take(resumed, 1))).toEqual([later.id]);
    await resumed.return?.();
  });
});
