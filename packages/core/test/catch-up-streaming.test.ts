// A backfill is delivered while it is fetched: the consumer's pulls drive the
// REST pages, one page ahead at most, so a long gap never sits in memory whole.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { StreamCursor } from '../src/cursor.js';
import { MastodonApiError } from '../src/errors.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneEvent, cursorAfterOneStatus } from './support/cursors.js';
import { VIRTUAL_CLOCK_DEFAULTS, VirtualClock } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('streaming catch-up', () => {
  it('fetches a long backfill page by page as the consumer pulls, one page ahead at most, and delivers it exactly once in order', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    const missed = Array.from({ length: 50 }, (_, index) => fake.postStatus({}, { account: index % 2 ? 'alice' : 'bob' }));
    const timelineRequests = () => fake.requests.filter((request) => request.path === '/api/v1/timelines/public').length;

    const gaps: GapInfo[] = [];
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, catchUp: { pageSize: 5, maxPages: 20 }, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();

    const first = await take(iterator, 1);
    expect(ids(first)[0]).toBe(missed[0]?.id);
    // Page 1 was delivered from; page 2 may be on its way; nothing beyond.
    expect(timelineRequests()).toBeLessThanOrEqual(2);

    const next = await take(iterator, 10);
    expect(timelineRequests()).toBeLessThanOrEqual(4);

    const rest = await take(iterator, 39);
    const delivered = [...first, ...next, ...rest];
    expect(ids(delivered)).toEqual(missed.map((status) => status.id));
    expect(delivered.every((event) => event.source === 'catchup')).toBe(true);
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable']);

    expect(stream.stats.state).toBe('catching-up');
    // The next pull finds the backfill over; then the live connection is read.
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    const posted = fake.postStatus({}, { account: 'alice' });
    const [liveEvent] = await live;
    expect(ids([liveEvent!])[0]).toBe(posted.id);
    expect(liveEvent?.source).toBe('live');
    await iterator.return?.();
  });

  it('merges statuses and notifications by creation time across many pages of each', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(
      fake,
      (client) => client.user(),
      () => {
        fake.postStatus({}, { account: 'alice' });
        fake.notify('1001', { type: 'favourite' });
      },
      2,
    );
    const missed: Array<{ id: string; created_at: string }> = [];
    const start = Date.now();
    for (let index = 0; index < 24; index++) {
      // Distinct milliseconds (the fake's statuses have whole seconds), so creation order is unambiguous.
      const created_at = new Date(start + index).toISOString();
      missed.push(index % 3 === 0 ? fake.notify('1001', { type: 'mention', fields: { created_at } }) : fake.postStatus({ created_at }, { account: 'alice' }));
    }

    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const iterator = client.user({ cursor, catchUp: { pageSize: 3, maxPages: 20 } })[Symbol.asyncIterator]();
    const events = await take(iterator, missed.length);
    expect(ids(events)).toEqual(missed.map((item) => item.id));
    expect(events.map((event) => event.event)).toEqual(missed.map((_, index) => (index % 3 === 0 ? 'notification' : 'update')));
    await iterator.return?.();
  });

  it('a consumer that stops mid-backfill aborts the page being fetched and leaves nothing running', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    for (let index = 0; index < 30; index++) fake.postStatus({}, { account: 'alice' });
    const errors: unknown[] = [];
    const client = createClient({ url: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, catchUp: { pageSize: 5, maxPages: 20 }, onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toHaveLength(3);
    await iterator.return?.();
    expect(stream.stats.state).toBe('closed');
    const requestsAtClose = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests.length).toBe(requestsAtClose);
    expect(errors).toEqual([]);
    await until(() => fake.connections.every((connection) => connection.isClosed));
  });

  it.each([
    ['is not JSON', '{"truncated": ', 'not a JSON array', SyntaxError],
    ['is JSON but no array', '{"error":"stale"}', 'not a JSON array', undefined],
    ['holds an error object instead of statuses', '[{"error":"stale"}]', 'an item without an id', undefined],
    ['holds null', '[null]', 'an item without an id', undefined],
    ['has ids as JSON numbers (a rewriting proxy)', '[{"id":117701415913717760,"content":"x"}]', 'an item without an id', undefined],
  ])('a page that %s is a catch-up failure (an API error and a gap), and the stream goes on live', async (_label, body, message, causeClass) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    fake.postStatus({}, { account: 'bob' });
    fake.failNext({ status: 200, paths: 'rest', body, headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-9b1c' } });
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open' && stream.stats.reconnects === 0 && gaps.length === 2);
    const posted = fake.postStatus({}, { account: 'alice' });
    const [event] = await live;
    expect(ids([event!])[0]).toBe(posted.id);
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable', 'catch-up-failed']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MastodonApiError);
    expect((errors[0] as MastodonApiError).message).toContain(message);
    // What an operator needs to find the page in the server's logs, and what JSON.parse said of it.
    expect(errors[0]).toMatchObject({ status: 200, requestId: 'req-9b1c', url: expect.stringContaining('/api/v1/timelines/public') });
    if (causeClass) expect((errors[0] as MastodonApiError).cause).toBeInstanceOf(causeClass);
    else expect((errors[0] as MastodonApiError).cause).toBeUndefined();
    await iterator.return?.();
  });

  it.each([
    [404, undefined, 'Record not found'],
    [500, { error: 'Something went wrong on our end' }, 'Something went wrong on our end'],
    [502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', '502 Bad Gateway'],
  ])("an HTTP %i on a catch-up page is reported with the server's reason and request id, as a stream's own answer is", async (status, body, reason) => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    fake.postStatus({}, { account: 'bob' });
    fake.failNext({ status, paths: 'rest', ...(body === undefined ? {} : { body }), headers: { 'X-Request-Id': 'req-7f3a' } });
    const gaps: GapInfo[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, onGap: (gap) => gaps.push(gap), onError: () => {} });
    const iterator = stream[Symbol.asyncIterator]();
    void take(iterator, 1).catch(() => {});
    await until(() => gaps.some((gap) => gap.reason === 'catch-up-failed'));
    const failed = gaps.find((gap) => gap.reason === 'catch-up-failed');
    expect(failed?.error).toBeInstanceOf(MastodonApiError);
    expect(failed?.error).toMatchObject({ status, serverMessage: reason, requestId: 'req-7f3a', url: expect.stringContaining('/api/v1/timelines/public') });
    expect(failed?.error?.message).toBe(`Mastodon answered ${status}: ${reason}`);
    // The first page failed: everything after the cursor is missing, and the gap says where to page from.
    expect(failed?.afterId).toBe(cursor.lastStatusId);
    await iterator.return?.();
  });

  it('a malformed `prev` Link falls back to paging by the newest id, and nothing is lost', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    const missed = Array.from({ length: 8 }, () => fake.postStatus({}, { account: 'alice' }));
    // The first page as the server would send it (newest first), with a Link no URL parser accepts.
    const firstPage = missed.slice(0, 5).reverse();
    fake.failNext({ status: 200, paths: 'rest', body: firstPage, headers: { Link: '<http://[::1>; rel="prev"' } });
    const errors: unknown[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const iterator = client.public({}, { cursor, catchUp: { pageSize: 5, maxPages: 5 }, onError: (error) => errors.push(error) })[Symbol.asyncIterator]();
    const events = await take(iterator, 8);
    expect(ids(events)).toEqual(missed.map((status) => status.id));
    expect(errors).toEqual([]);
    const pageRequests = fake.requests.filter((request) => request.path === '/api/v1/timelines/public');
    expect(pageRequests.at(-1)?.query.min_id).toBe(missed[4]?.id);
    await iterator.return?.();
  });

  it('a REST failure in the middle of the walk keeps what was delivered, reports the gap, and goes on live', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.public(), () => fake.postStatus({}, { account: 'alice' }));
    const missed = Array.from({ length: 20 }, () => fake.postStatus({}, { account: 'alice' }));
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, reconnect: false, catchUp: { pageSize: 5, maxPages: 10 }, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    const firstPage = await take(iterator, 5);
    // The next page may already be on its way; the one after it fails for sure.
    fake.failNext({ status: 500, paths: 'rest', times: 5 });
    const delivered = [...firstPage];
    const live = (async () => {
      for (;;) {
        const [event] = await take(iterator, 1);
        if (event === undefined) return undefined;
        if (event.source === 'live') return event;
        delivered.push(event);
      }
    })();
    await until(() => stream.stats.state === 'open');
    const posted = fake.postStatus({}, { account: 'bob' });
    expect(ids([(await live)!])[0]).toBe(posted.id);
    expect(delivered.length % 5).toBe(0);
    expect(delivered.length).toBeLessThan(15);
    expect(ids(delivered)).toEqual(missed.slice(0, delivered.length).map((status) => status.id));
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable', 'catch-up-failed']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MastodonApiError);
    await iterator.return?.();
  });
});

describe('a server that ignores min_id', () => {
  // Not Mastodon (which has honoured min_id since 2.6), but API-compatible servers vary:
  // one that always answers with its newest page must not be polled for the whole page budget.
  it('stops after the first page that brings nothing new, and says so with a catch-up-failed gap', async () => {
    const statusIds = Array.from({ length: 12 }, (_, index) => String(110_000_000_000_000_000n + BigInt(index) * 65_536n));
    let timelineRequests = 0;
    const raw = createServer((request, response) => {
      if (request.url?.startsWith('/api/v1/streaming/')) {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.write(':)\n');
        return;
      }
      timelineRequests++;
      const newestFive = statusIds.slice(-5).reverse();
      const status = (id: string) => ({ id, created_at: '2026-11-28T12:00:00.000Z', content: '', visibility: 'public', account: { id: '1', acct: 'alice' }, reblog: null, media_attachments: [] });
      response.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
      response.end(JSON.stringify(newestFive.map(status)));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const cursor: StreamCursor = { version: 1, stream: 'public', params: {}, takenAt: Date.now(), lastStatusId: statusIds[0] as string };
      const gaps: GapInfo[] = [];
      const errors: unknown[] = [];
      const client = createClient({ url, streamingUrl: url, accessToken: TOKEN });
      const iterator = client
        .public({}, { cursor, catchUp: { pageSize: 5, maxPages: 10 }, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) })
        [Symbol.asyncIterator]();
      expect(ids(await take(iterator, 5))).toEqual(statusIds.slice(-5));
      await until(() => gaps.some((gap) => gap.reason === 'catch-up-failed'));
      expect(timelineRequests).toBe(2);
      expect(gaps.find((gap) => gap.reason === 'catch-up-failed')).toMatchObject({ kinds: ['statuses'], error: { serverMessage: expect.stringContaining('min_id') } });
      expect(errors).toEqual([expect.any(MastodonApiError)]);
      await iterator.return?.();
    } finally {
      raw.closeAllConnections();
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});

describe('the end of a catch-up walk (protocol.md §12.2: an empty page)', () => {
  it('a short page does not end the walk: Mastodon leaves out a deleted status its Redis feed still lists, so only an empty page proves the end', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.list('42'), () => fake.postStatus({}, { account: 'bob', inListIds: ['42'] }));
    const missed = Array.from({ length: 8 }, () => fake.postStatus({}, { account: 'bob', inListIds: ['42'] }));
    // The first page as Mastodon serves it when the third status was deleted after Redis listed it:
    // the oldest five ids above the cursor, newest first, less the deleted one.
    const deleted = missed[2]!;
    fake.deleteStatus(deleted.id);
    const firstPage = missed.slice(0, 5).filter((status) => status !== deleted).reverse();
    fake.failNext({ status: 200, paths: 'rest', body: firstPage });

    const gaps: GapInfo[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const iterator = client.list('42', { cursor, catchUp: { pageSize: 5, maxPages: 10 }, onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    const delivered = await take(iterator, 7);
    expect(ids(delivered)).toEqual(missed.filter((status) => status !== deleted).map((status) => status.id));
    expect(delivered.every((event) => event.source === 'catchup')).toBe(true);
    expect(gaps.filter((gap) => gap.reason !== 'not-recoverable')).toEqual([]);
    await iterator.return?.();
  });

  it('on the public timeline a short page ends the walk (it pages in SQL, every filter in the query): one request, where a busy stream paged on to the budget', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneStatus(fake);
    const missed = Array.from({ length: 3 }, () => fake.postStatus({}, { account: 'alice' }));
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const stream = client.public({}, { cursor, catchUp: { pageSize: 5, maxPages: 10 } });
    const iterator = stream[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 3))).toEqual(missed.map((status) => status.id));
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    fake.postStatus({}, { account: 'alice' });
    await live;
    expect(fake.requests.filter((request) => request.path === '/api/v1/timelines/public').map((request) => request.query.min_id)).toEqual([cursor.lastStatusId]);
    await iterator.return?.();
  });
});

describe('a home feed being regenerated', () => {
  it('answers 206 (protocol.md §12.2: retry later): the page is asked for again, and the gap is backfilled', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.user(), () => fake.postStatus({}, { account: 'bob' }));
    const missed = Array.from({ length: 3 }, () => fake.postStatus({}, { account: 'bob' }));
    // Mastodon serves what the feed holds so far, with 206, until the regeneration is done.
    fake.failNext({ status: 206, paths: 'rest', body: [] });
    const gaps: GapInfo[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const iterator = client.user({ cursor, onGap: (gap) => gaps.push(gap), onError: () => {} })[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 3))).toEqual(missed.map((status) => status.id));
    expect(gaps.filter((gap) => gap.reason === 'catch-up-failed')).toEqual([]);
    expect(fake.requests.filter((request) => request.path === '/api/v1/timelines/home').length).toBeGreaterThanOrEqual(2);
    await iterator.return?.();
  });

  it('waits as long as its Mastodon-Async-Refresh header says (retry=5), not the 1 s of a 503 without Retry-After', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneEvent(fake, (client) => client.user(), () => fake.postStatus({}, { account: 'bob' }));
    const missed = fake.postStatus({}, { account: 'bob' });
    fake.failNext({ status: 206, paths: 'rest', body: [], headers: { 'Mastodon-Async-Refresh': 'id="ImhvbWUi", retry=5, result_count=0' } });
    const clock = new VirtualClock();
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN, clock, random: () => 0 });
    const iterator = client.user({ cursor, ...VIRTUAL_CLOCK_DEFAULTS, onError: () => {} })[Symbol.asyncIterator]();
    const delivered = take(iterator, 1);
    // The catch-up's wait (the watchdog's and the REST timeout's timers are longer).
    const wait = await clock.waitForTimer((timer) => timer.delay >= 1_000 && timer.delay < 10_000);
    expect(wait.delay).toBe(5_000);
    clock.advance(wait.delay);
    expect(ids(await delivered)).toEqual([missed.id]);
    await iterator.return?.();
  });
});
