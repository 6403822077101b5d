// A stream that has delivered no notification has no notification id to page from (they are sequential, not
// time-based), so its catch-up finds the notifications created since its coverage began by their creation time:
// a bot restarted before its first mention must not lose the mentions of its downtime.
import { createFakeMastodon, defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { StreamCursor } from '../src/cursor.js';
import type { MastodonEvent } from '../src/events.js';
import type { ClientOptions, StreamOptions } from '../src/options.js';
import type { GapInfo } from '../src/stream-hooks.js';
import type { TootstreamError } from '../src/errors.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneEvent } from './support/cursors.js';
import { ALICE, TOKEN, fakePerTest } from './support/fake-per-test.js';

const startFake = fakePerTest();

/** A user-stream cursor taken after one status of alice's and no notification, with a mention from before it on the server. */
async function cursorWithoutNotifications(fake: FakeMastodon) {
  const before = fake.notify(ALICE, { type: 'mention', fromAccount: 'bob', fields: { created_at: new Date(Date.now() - 60_000).toISOString() } });
  const cursor = await cursorAfterOneEvent(fake, (client) => client.user(), () => fake.postStatus({}, { account: 'alice' }));
  expect(cursor.lastNotificationId).toBeUndefined();
  return { cursor, before };
}

/** A fake server and a cursor without notifications, after which `count` mentions were missed (from bob and carol in turn). */
async function missedMentions(count: number) {
  const server = await startFake({ heartbeatIntervalMs: 0 });
  const fake = server;
  const { cursor } = await cursorWithoutNotifications(fake);
  const missed = Array.from({ length: count }, (_, index) => fake.notify(ALICE, { type: 'mention', fromAccount: index % 2 ? 'bob' : 'carol' }));
  return { fake, cursor, missed };
}

/** The notification search's requests (the walk forward pages with min_id). */
const searchRequests = (fake: FakeMastodon) => fake.requests.filter((request) => request.path === '/api/v1/notifications' && request.query['min_id'] === undefined);

/** Resumes alice's user stream from `cursor` in a new client (with `clientOptions`), recording its gaps. */
function resumeUser(fake: FakeMastodon, cursor: StreamCursor, options: StreamOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  const gaps: GapInfo[] = [];
  const iterator = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN, ...clientOptions })
    .user({ ...options, cursor, onGap: (gap) => gaps.push(gap) })
    [Symbol.asyncIterator]();
  return { iterator, gaps };
}

const notificationIds = (events: MastodonEvent[]) => events.filter((event) => event.event === 'notification').map((event) => (event.payload as { id: string }).id);

describe('catching up notifications before the first one was delivered', () => {
  it('a resume delivers the mentions created since the cursor, oldest first, and none from before it', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const { cursor, before } = await cursorWithoutNotifications(fake);
    const missed = [fake.notify(ALICE, { type: 'mention', fromAccount: 'bob' }), fake.notify(ALICE, { type: 'mention', fromAccount: 'carol' })];
    const { iterator, gaps } = resumeUser(fake, cursor);
    const events = await take(iterator, 2);
    expect(notificationIds(events)).toEqual(missed.map((notification) => notification.id));
    expect(events.every((event) => event.source === 'catchup')).toBe(true);
    expect(notificationIds(events)).not.toContain(before.id);
    expect(gaps.flatMap((gap) => gap.kinds)).not.toContain('notifications');
    // No REST list shows a merge of accepted notification requests (Mastodon 4.3): the gap names it, so the app refreshes.
    expect(gaps.filter((gap) => gap.reason === 'not-recoverable').flatMap((gap) => gap.kinds)).toContain('notifications_merged');
    // By default each route asks for as many items as Mastodon serves it: 80 notifications, 40 statuses (a page of 40
    // notifications doubled the requests of a notification walk, each one counted against Mastodon's paging limit).
    const limits = (path: string) => new Set(fake.requests.filter((request) => request.path === path).map((request) => request.query['limit']));
    expect(limits('/api/v1/notifications')).toEqual(new Set(['80']));
    expect(limits('/api/v1/timelines/home')).toEqual(new Set(['40']));
    // Delivered, so the next gap pages forward from its id.
    const live = take(iterator, 1);
    const next = fake.notify(ALICE, { type: 'mention', fromAccount: 'bob' });
    expect(notificationIds(await live)).toEqual([next.id]);
    await iterator.return?.();
  });

  it('a cursor taken while a mention was read but not yet delivered (a slow consumer) resumes with that mention', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const stream = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN }).user();
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await fake.waitForConnection();
    fake.postStatus({}, { account: 'alice' });
    await first;
    const unpulled = [fake.notify(ALICE, { type: 'mention', fromAccount: 'bob' }), fake.postStatus({}, { account: 'alice' })];
    // Taken in a later second than the mention's creation (the server's Date has whole seconds), without pulling it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const cursor = stream.cursor();
    expect(cursor.lastNotificationId).toBeUndefined();
    await iterator.return?.();
    await fake.waitForConnectionCount(0);

    const { iterator: resumed } = resumeUser(fake, cursor);
    // Both come back (in creation order per kind; the fake's statuses have whole seconds, so not across kinds).
    expect(ids(await take(resumed, 2)).sort()).toEqual(unpulled.map((item) => item.id).sort());
    await resumed.return?.();
  });

  it('searches back through as many pages as the gap holds, and goes forward from the newest notification before it', async () => {
    const { fake, cursor, missed } = await missedMentions(170);
    const { iterator } = resumeUser(fake, cursor, { catchUp: { maxPages: 10 } });
    expect(notificationIds(await take(iterator, missed.length))).toEqual(missed.map((notification) => notification.id));
    const searches = searchRequests(fake);
    expect(searches.map((request) => request.query['max_id'] !== undefined)).toEqual([false, true, true]);
    await iterator.return?.();
  });

  it('a server that ignores max_id is searched twice, not for the whole page budget, and the gap is reported as budget-exhausted', async () => {
    const { fake, cursor, missed } = await missedMentions(100);
    // The server is the real testkit one; only max_id is dropped on the way, as a server that ignores it would.
    const withoutMaxId: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      url.searchParams.delete('max_id');
      return fetch(new Request(url, request));
    };
    const { iterator, gaps } = resumeUser(fake, cursor, { catchUp: { maxPages: 10 } }, { fetch: withoutMaxId });
    // The newest 80 come back, from the oldest of them on.
    expect(notificationIds(await take(iterator, 80))).toEqual(missed.slice(20).map((notification) => notification.id));
    const searches = searchRequests(fake);
    expect(searches).toHaveLength(2);
    // Reported when the walk forward ends, which its read-ahead finds after the last page.
    await until(() => gaps.some((gap) => gap.reason === 'budget-exhausted'));
    expect(gaps).toContainEqual({ reason: 'budget-exhausted', kinds: ['notifications'], since: expect.any(Number) });
    await iterator.return?.();
  });

  // The search reads up to maxPages pages, and the walk forward from where it stopped up to maxPages again.
  it('a gap larger than the page budget is delivered from the oldest notification the search reached, and reported as budget-exhausted', async () => {
    const { fake, cursor, missed } = await missedMentions(100);
    const { iterator, gaps } = resumeUser(fake, cursor, { catchUp: { maxPages: 1, pageSize: 40 } });
    // The search's one page holds the newest 80: the walk forward starts at the oldest of them, one page of 40.
    expect(notificationIds(await take(iterator, 40))).toEqual(missed.slice(20, 60).map((notification) => notification.id));
    expect(gaps).toContainEqual({ reason: 'budget-exhausted', kinds: ['notifications'], since: expect.any(Number) });
    // What is missing lies on both sides of what was delivered (older than the search reached, newer than the walk): no
    // single id to page on from.
    expect(gaps.find((gap) => gap.reason === 'budget-exhausted')).not.toHaveProperty('afterId', expect.anything());
    await iterator.return?.();
  });
});

describe('a user stream whose token cannot read notifications', () => {
  it('reports no failed notification catch-up after a reconnect: the stream carries no notifications either', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0, tokens: { ...defaultTokens(), 'statuses-only': { accountId: ALICE, scopes: ['read:statuses'] } } });
    const fake = server;
    const gaps: GapInfo[] = [];
    const errors: TootstreamError[] = [];
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: 'statuses-only' });
    const options: StreamOptions = { reconnect: { initialDelayMs: 10, minDelayMs: 10 }, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) };
    const iterator = client.user(options)[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await fake.waitForConnection();
    fake.postStatus({}, { account: 'alice' });
    await first;
    fake.dropConnections();
    const missed = fake.postStatus({}, { account: 'alice' });
    expect(await take(iterator, 1)).toMatchObject([{ event: 'update', source: 'catchup', payload: { id: missed.id } }]);
    await until(() => fake.requests.some((request) => request.path === '/api/v1/notifications' && request.status === 403));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable']);
    expect(errors).toEqual([]);
    await iterator.return?.();
  });
});
