// Home and list catch-ups walk a Redis feed (Mastodon 4.5's Feed#from_redis): `limit` is counted on the
// feed's entries before deleted statuses are left out, and the feed keeps its newest 800 entries. The
// testkit models both (deleteStatus's staleInHomeOf, trimming on push); these tests show that neither
// loses statuses without a signal any more, and what each check costs in requests.
import type { FakeMastodon, RecordedRequest } from '@tootstream/testkit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonApiError } from '../src/errors.js';
import type { StreamCursor } from '../src/cursor.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneEvent } from './support/cursors.js';
import { VIRTUAL_CLOCK_DEFAULTS, VirtualClock } from './support/virtual-clock.js';
import { ALICE, TOKEN, backoffTimer, fakePerTest } from './support/fake-per-test.js';

const startFake = fakePerTest();

const failures = (gaps: GapInfo[]) => gaps.filter((gap) => gap.reason !== 'not-recoverable');

/** The cursor parameters of each request to `path`, in order (`limit` left out unless `withLimit`). */
function cursorsOf(fake: FakeMastodon, path: string, withLimit = false): Array<Record<string, string>> {
  return fake.requests
    .filter((request: RecordedRequest) => request.path === path)
    .map(({ query }) => Object.fromEntries(Object.entries(query).filter(([key]) => ['min_id', 'max_id', 'since_id'].includes(key) || (withLimit && key === 'limit'))) as Record<string, string>);
}

/** Statuses by bob that reached alice's home through a followed hashtag, then were removed by a moderator: their entries stay. */
function staleRun(fake: FakeMastodon, length: number): void {
  for (let index = 0; index < length; index++) fake.deleteStatus(fake.postStatus({}, { account: 'bob', tags: ['spam'], homeOf: [ALICE] }).id, { staleInHomeOf: [ALICE] });
}

function postToList(fake: FakeMastodon, count: number): string[] {
  return Array.from({ length: count }, () => fake.postStatus({}, { account: 'bob', inListIds: ['42'] }).id);
}

/** Alice's client of the fake instance, streaming from it directly. */
function clientOf(fake: FakeMastodon) {
  return createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
}

/** The ids of `count` statuses bob posts now, oldest first. */
function postedByBob(fake: FakeMastodon, count: number): string[] {
  return Array.from({ length: count }, () => fake.postStatus({}, { account: 'bob' }).id);
}

/** A cursor of alice's home stream after it delivered one status by bob. */
async function homeCursor(fake: FakeMastodon): Promise<StreamCursor> {
  return cursorAfterOneEvent(fake, (client) => client.user(), () => fake.postStatus({}, { account: 'bob' }));
}

async function listCursor(fake: FakeMastodon): Promise<StreamCursor> {
  return cursorAfterOneEvent(fake, (client) => client.list('42'), () => fake.postStatus({}, { account: 'bob', inListIds: ['42'] }));
}

describe('a run of deleted statuses left in a home feed (at least a page of them)', () => {
  it('after a reconnect, delivers what is below the run and reports the rest as catch-up-failed, found by one probe and one repeated page', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const clock = new VirtualClock();
    const client = createClient({ url: fake.url, accessToken: TOKEN, clock, random: () => 0.5, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const stream = client.user({ stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await fake.waitForConnection();
    const seen = fake.postStatus({}, { account: 'bob' });
    expect(ids(await first)).toEqual([seen.id]);

    // Pulled before the drop: the stream reconnects while its consumer waits.
    const backfilled = take(iterator, 3);
    fake.dropConnections();
    const sleep = await clock.waitForTimer(backoffTimer);
    const below = postedByBob(fake, 3);
    staleRun(fake, 45);
    Array.from({ length: 3 }, () => fake.postStatus({}, { account: 'bob' }));
    clock.advance(sleep.delay);

    const backfill = await backfilled;
    expect(ids(backfill)).toEqual(below);
    expect(backfill.every((event) => event.source === 'catchup')).toBe(true);
    await until(() => failures(gaps).length > 0);
    const [gap] = failures(gaps);
    expect(gap).toMatchObject({ reason: 'catch-up-failed', kinds: ['statuses'], afterId: below[2] });
    expect(gap?.error).toBeInstanceOf(MastodonApiError);
    expect(gap?.error?.message).toMatch(/deleted statuses in a row that the catch-up cannot page past/);
    expect(errors).toContain(gap?.error);
    // After the lookback page below the cursor (max_id, the status came in just before the drop): the walk's short page,
    // the probe for statuses above it (newest first, so past the run), the empty page of the run, the probe again, and
    // the same page once more.
    expect(cursorsOf(fake, '/api/v1/timelines/home', true).filter((query) => query.max_id === undefined)).toEqual([
      { min_id: seen.id, limit: '40' },
      { since_id: below[2], limit: '40' },
      { min_id: below[2], limit: '40' },
      { since_id: below[2], limit: '40' },
      { min_id: below[2], limit: '40' },
    ]);

    // The stream goes on live.
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    const posted = fake.postStatus({}, { account: 'bob' });
    expect(ids(await live)).toEqual([posted.id]);
    await iterator.return?.();
  });

  it('a short run ends no walk: the statuses above it are delivered, with no gap', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await homeCursor(fake);
    const below = fake.postStatus({}, { account: 'bob' }).id;
    staleRun(fake, 39);
    const above = fake.postStatus({}, { account: 'bob' }).id;
    const gaps: GapInfo[] = [];
    const client = clientOf(fake);
    const iterator = client.user({ cursor, onGap: (gap) => gaps.push(gap) })[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 2))).toEqual([below, above]);
    await iterator.return?.();
    expect(failures(gaps)).toEqual([]);
  });

  it('a status that reaches the feed between the empty page and the probe is fetched by the repeated page, not reported as lost', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await listCursor(fake);
    const [late] = postToList(fake, 1);
    // The first page as it was before the status reached the feed.
    fake.failNext({ status: 200, paths: 'rest', body: [] });
    const gaps: GapInfo[] = [];
    const client = clientOf(fake);
    const stream = client.list('42', { cursor, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 1))).toEqual([late]);
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    postToList(fake, 1);
    await live;
    await iterator.return?.();
    expect(failures(gaps)).toEqual([]);
    expect(cursorsOf(fake, '/api/v1/timelines/list/42')).toEqual([
      { min_id: cursor.lastStatusId },
      { since_id: cursor.lastStatusId },
      { min_id: cursor.lastStatusId },
      { since_id: late },
    ]);
  });

  it('a probe that fails is reported as a failed page would be: the pages before it stay delivered, afterId is the newest', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await listCursor(fake);
    const missed = [fake.postStatus({}, { account: 'bob', inListIds: ['42'] }), fake.postStatus({}, { account: 'bob', inListIds: ['42'] })];
    // The walk's short page as the fake would serve it (without Link), then the probe after it fails.
    fake.failNext({ status: 200, paths: 'rest', body: [...missed].reverse() });
    fake.failNext({ status: 500, paths: 'rest', body: { error: 'boom' } });
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const client = clientOf(fake);
    const iterator = client.list('42', { cursor, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) })[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 2))).toEqual(missed.map((status) => status.id));
    await until(() => failures(gaps).length > 0);
    expect(failures(gaps)).toEqual([expect.objectContaining({ reason: 'catch-up-failed', kinds: ['statuses'], afterId: missed[1]?.id })]);
    expect(errors).toEqual([expect.objectContaining({ status: 500, serverMessage: 'boom' })]);
    await iterator.return?.();
    expect(cursorsOf(fake, '/api/v1/timelines/list/42')).toEqual([{ min_id: cursor.lastStatusId }, { since_id: missed[1]?.id }]);
  });

  it('costs an ordinary home catch-up nothing: the probe after its short page takes the place of the empty page that confirmed the end', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await homeCursor(fake);
    const missed = postedByBob(fake, 3);
    const gaps: GapInfo[] = [];
    const client = clientOf(fake);
    const stream = client.user({ cursor, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 3))).toEqual(missed);
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    fake.postStatus({}, { account: 'bob' });
    await live;
    await iterator.return?.();
    expect(failures(gaps)).toEqual([]);
    // Two requests, as before the probes (the second was an empty min_id page). No trim probe (max_id) either: the walk
    // is far too short for a trim.
    expect(cursorsOf(fake, '/api/v1/timelines/home')).toEqual([{ min_id: cursor.lastStatusId }, { since_id: missed[2] }]);
  });
});

describe('a home or list feed trimmed past the cursor (Mastodon keeps the newest 800 entries)', () => {
  it('with a budget for the whole gap, delivers what the feed holds and reports the trim as catch-up-failed, without afterId', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await listCursor(fake);
    const posted = postToList(fake, 850);
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const client = clientOf(fake);
    const iterator = client
      .list('42', { cursor, catchUp: { pageSize: 40, maxPages: 30 }, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) })
      [Symbol.asyncIterator]();
    const delivered = await take(iterator, 800);
    expect(ids(delivered)).toEqual(posted.slice(50));
    await until(() => failures(gaps).length > 0);
    const [gap] = failures(gaps);
    expect(gap).toMatchObject({ reason: 'catch-up-failed', kinds: ['statuses'], afterId: undefined });
    expect(gap?.error).toBeInstanceOf(MastodonApiError);
    expect(gap?.error?.message).toMatch(/no longer reaches back to the cursor/);
    expect(errors).toEqual([gap?.error]);
    await iterator.return?.();
    const requests = cursorsOf(fake, '/api/v1/timelines/list/42', true);
    // 20 full pages, the empty one, its probe (nothing above), then the one below the cursor (max_id exclusive).
    expect(requests).toHaveLength(23);
    expect(requests.at(-1)).toEqual({ max_id: String(BigInt(cursor.lastStatusId ?? '') + 1n), limit: '40' });
  });

  it('with the default budget (10 pages of 40), reports the trim with afterId where the budget stopped the walk', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    const cursor = await homeCursor(fake);
    const posted = postedByBob(fake, 850);
    const gaps: GapInfo[] = [];
    const client = clientOf(fake);
    const iterator = client.user({ cursor, onGap: (gap) => gaps.push(gap), onError: () => {} })[Symbol.asyncIterator]();
    expect(ids(await take(iterator, 400))).toEqual(posted.slice(50, 450));
    await until(() => failures(gaps).length > 0);
    expect(failures(gaps)).toEqual([expect.objectContaining({ reason: 'catch-up-failed', kinds: ['statuses'], afterId: posted[449] })]);
    await iterator.return?.();
    expect(cursorsOf(fake, '/api/v1/timelines/home').at(-1)).toEqual({ max_id: String(BigInt(cursor.lastStatusId ?? '') + 1n) });
  });

  it('a long walk on a feed that still holds the cursor asks once and reports nothing; a shorter one does not ask', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    for (const [count, probes] of [[400, 1], [300, 0]] as const) {
      const cursor = await listCursor(fake);
      const posted = postToList(fake, count);
      const before = fake.requests.length;
      const gaps: GapInfo[] = [];
      const client = clientOf(fake);
      const stream = client.list('42', { cursor, catchUp: { pageSize: 40, maxPages: 30 }, onGap: (gap) => gaps.push(gap) });
      const iterator = stream[Symbol.asyncIterator]();
      expect(ids(await take(iterator, count))).toEqual(posted);
      const live = take(iterator, 1);
      await until(() => stream.stats.state === 'open');
      postToList(fake, 1);
      await live;
      await iterator.return?.();
      await until(() => fake.connections.every((connection) => connection.isClosed));
      expect(failures(gaps)).toEqual([]);
      const walk = fake.requests.slice(before).filter((request) => request.path === '/api/v1/timelines/list/42');
      expect(walk.filter((request) => request.query.max_id !== undefined)).toHaveLength(probes);
    }
  });

  it('a brand-new account (empty feed) reports no gap, even while its feed is being regenerated (206)', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    // No status seen yet: the cursor is the moment the stream was covered from.
    const cursor: StreamCursor = { version: 1, stream: 'user', params: {}, takenAt: Date.now() - 1_000 };
    fake.failNext({ status: 206, paths: 'rest', body: [], headers: { 'Mastodon-Async-Refresh': 'id="ImhvbWUi", retry=0, result_count=0' } });
    const gaps: GapInfo[] = [];
    const errors: unknown[] = [];
    const client = clientOf(fake);
    const stream = client.user({ cursor, onGap: (gap) => gaps.push(gap), onError: (error) => errors.push(error) });
    const iterator = stream[Symbol.asyncIterator]();
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    fake.postStatus({}, { account: 'bob' });
    await live;
    await iterator.return?.();
    expect(failures(gaps)).toEqual([]);
    expect(errors).toEqual([]);
    expect(cursorsOf(fake, '/api/v1/timelines/home').filter((query) => query.max_id !== undefined)).toEqual([]);
  });
});
