// Mastodon gives a status its id when it is created and pushes it later, from Sidekiq: a status created just before a
// drop and pushed just after it has an id below one the stream already delivered, and a walk from that id (`min_id`)
// passes over it. After a reconnect, one page below the cursor, back to a minute before the drop, brings it back.
import type { FakeMastodon } from '@tootstream/testkit';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { systemClock } from '../src/clock.js';
import type { MastodonEvent } from '../src/events.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneEvent } from './support/cursors.js';
import { ALICE, TOKEN, fakePerTest } from './support/fake-per-test.js';

const startFake = fakePerTest();

/** The status id Mastodon gives at `epochMs` (milliseconds << 16, then a sequence). */
const idAt = (epochMs: number, sequence = 0) => ((BigInt(epochMs) << 16n) + BigInt(sequence)).toString();
const timeOf = (id: string) => Number(BigInt(id) >> 16n);

/** Starts alice's home stream, lets it deliver what `live` posts, then drops the connection. */
async function homeStreamDroppedAfter(
  fake: FakeMastodon,
  live: () => Array<{ id: string }>,
  count: number,
  options: Parameters<ReturnType<typeof createClient>['user']>[0] = {},
  clientClockAheadMs = 0,
) {
  const clock = { ...systemClock, now: () => Date.now() + clientClockAheadMs };
  const stream = createClient({ url: fake.url, accessToken: TOKEN, random: () => 0, clock }).user({ stallTimeoutMs: 0, ...options });
  const iterator = stream[Symbol.asyncIterator]();
  const delivered = take(iterator, count);
  await fake.waitForConnection((connection) => connection.stream === 'user');
  const posted = live();
  expect(ids(await delivered)).toEqual(posted.map((status) => status.id));
  fake.dropConnections((connection) => connection.stream === 'user');
  return { stream, iterator };
}

const homeRequests = (fake: FakeMastodon) => fake.requests.filter((request) => request.path === '/api/v1/timelines/home');

describe('catch-up lookback below the cursor', () => {
  it('brings back a status created before the drop but pushed after it, and drops what the stream had delivered', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    let delivered: Array<{ id: string }> = [];
    // Carol's status 5 ms after bob's, so an id can sit between them that neither has (the fake's ids count up by 1 within a millisecond).
    const posts = () => (delivered = [fake.postStatus({}, { account: 'bob' }), fake.postStatus({ id: idAt(Date.now() + 5) }, { account: 'carol' })]);
    const { iterator } = await homeStreamDroppedAfter(fake, posts, 2);
    const cursor = delivered[1]!.id;
    // While down: a status whose id was given 2 ms before the cursor's (its push lagged in Sidekiq), and a new one.
    const late = fake.postStatus({ id: idAt(timeOf(cursor) - 2, 0x7fff) }, { account: 'bob', homeOf: [ALICE] });
    expect(BigInt(late.id) > BigInt(delivered[0]!.id) && BigInt(late.id) < BigInt(cursor)).toBe(true);
    // (An explicit id: the fake's own ids do not count past an explicit one, so one could equal the cursor's.)
    const missed = fake.postStatus({ id: idAt(Math.max(Date.now(), timeOf(cursor)) + 1) }, { account: 'carol', homeOf: [ALICE] });

    const backfill = await take(iterator, 2);
    expect(backfill.map((event: MastodonEvent) => [event.source, ids([event])[0]])).toEqual([
      ['catchup', late.id],
      ['catchup', missed.id],
    ]);
    // One page below the cursor (newest first, back to a minute before the drop), then the walk from the cursor.
    const [lookback, walk] = homeRequests(fake).map((request) => request.query);
    expect(lookback).toMatchObject({ max_id: cursor, limit: '40' });
    expect(timeOf(lookback!['since_id']!)).toBeGreaterThan(Date.now() - 70_000);
    expect(walk).toMatchObject({ min_id: cursor });
    await iterator.return?.();
  });

  // The minute before the drop is counted on the server's clock (its Date header), which issued the ids: a client clock
  // 90 s ahead used to put the floor above the cursor and turn the lookback off; one 10 minutes behind, to widen it.
  it.each([
    ['ahead by 90 s', 90_000],
    ['behind by 10 minutes', -600_000],
  ])('looks back the same minute with the client clock %s', async (_, clientClockAheadMs) => {
    const fake = await startFake({ heartbeatIntervalMs: 0 });
    let delivered: Array<{ id: string }> = [];
    const posts = () => (delivered = [fake.postStatus({}, { account: 'bob' })]);
    // Resumed from a cursor taken five minutes ago, so the floor is the minute before the drop, not the stream's first open.
    const cursorOfAnEarlierRun = { version: 1, stream: 'user', params: {}, takenAt: Date.now() - 300_000 } as const;
    const { iterator } = await homeStreamDroppedAfter(fake, posts, 1, { cursor: cursorOfAnEarlierRun }, clientClockAheadMs);
    const cursor = delivered[0]!.id;
    const droppedAt = Date.now();
    const late = fake.postStatus({ id: idAt(timeOf(cursor) - 2) }, { account: 'carol', homeOf: [ALICE] });
    expect(ids(await take(iterator, 1))).toEqual([late.id]);
    const lookback = homeRequests(fake).find((request) => request.query['max_id'] !== undefined);
    expect(lookback?.query).toMatchObject({ max_id: cursor });
    // A minute before the drop by the server's clock (Date has whole seconds: up to a second early).
    expect(timeOf(lookback!.query['since_id']!)).toBeGreaterThanOrEqual(droppedAt - 62_000);
    expect(timeOf(lookback!.query['since_id']!)).toBeLessThanOrEqual(droppedAt - 59_000);
    await iterator.return?.();
  });

  it('asks for nothing more when the last status delivered is older than a minute before the drop', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    // The stream's newest status was created two minutes ago (a boost of an old status, say, or a quiet feed).
    const old = idAt(Date.now() - 120_000);
    const { iterator } = await homeStreamDroppedAfter(fake, () => [fake.postStatus({ id: old }, { account: 'bob' })], 1);
    const missed = fake.postStatus({}, { account: 'carol', homeOf: [ALICE] });
    expect(ids(await take(iterator, 1))).toEqual([missed.id]);
    expect(homeRequests(fake).length).toBeGreaterThan(0);
    // The lookback is the request with max_id (the walk pages with min_id; the feed probe after its empty page asks since_id alone).
    expect(homeRequests(fake).every((request) => request.query['max_id'] === undefined)).toBe(true);
    await iterator.return?.();
  });

  it('looks back at nothing with dedupe off (it would deliver twice) nor below a cursor resumed in a new process', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const { iterator } = await homeStreamDroppedAfter(fake, () => [fake.postStatus({}, { account: 'bob' })], 1, { dedupe: false });
    const missed = fake.postStatus({}, { account: 'carol', homeOf: [ALICE] });
    expect(ids(await take(iterator, 1))).toEqual([missed.id]);
    expect(homeRequests(fake).every((request) => request.query['max_id'] === undefined)).toBe(true);
    await iterator.return?.();
    await until(() => fake.connections.every((connection) => connection.isClosed));

    // What the cursor's process delivered below its last status, this process's dedupe never saw.
    const cursor = await cursorAfterOneEvent(fake, (client) => client.user(), () => fake.postStatus({}, { account: 'bob' }));
    const before = homeRequests(fake).length;
    const next = fake.postStatus({}, { account: 'carol', homeOf: [ALICE] });
    const resumed = createClient({ url: fake.url, accessToken: TOKEN }).user({ stallTimeoutMs: 0, cursor })[Symbol.asyncIterator]();
    expect(ids(await take(resumed, 1))).toEqual([next.id]);
    await until(() => homeRequests(fake).length > before);
    expect(homeRequests(fake).slice(before).every((request) => request.query['max_id'] === undefined)).toBe(true);
    await resumed.return?.();
  });

  it('looks back at nothing when dedupe remembers fewer than two pages (it would deliver what the stream had delivered again)', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const live = () => Array.from({ length: 5 }, () => fake.postStatus({}, { account: 'bob' }));
    const { iterator } = await homeStreamDroppedAfter(fake, live, 5, { dedupe: { capacity: 10 } });
    const missed = fake.postStatus({ id: idAt(Date.now() + 5) }, { account: 'carol', homeOf: [ALICE] });
    const next = await take(iterator, 1);
    expect(next.map((event) => [event.source, ids([event])[0]])).toEqual([['catchup', missed.id]]);
    expect(homeRequests(fake).filter((request) => request.query['max_id'] !== undefined)).toEqual([]);
    await iterator.return?.();
  });

  it('a lookback that fails holds up nothing: the walk delivers the gap, and the failure is a gap and an error', async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    const errors: unknown[] = [];
    const gaps: GapInfo[] = [];
    const { iterator } = await homeStreamDroppedAfter(fake, () => [fake.postStatus({}, { account: 'bob' })], 1, { onError: (error) => errors.push(error), onGap: (gap) => gaps.push(gap) });
    // The next REST request after the drop is the lookback.
    fake.failNext({ status: 502, paths: 'rest', body: { error: 'Bad gateway' } });
    const missed = [fake.postStatus({ id: idAt(Date.now() + 5) }, { account: 'carol', homeOf: [ALICE] }), fake.postStatus({ id: idAt(Date.now() + 6) }, { account: 'bob', homeOf: [ALICE] })];
    expect(ids(await take(iterator, 2))).toEqual(missed.map((status) => status.id));
    await until(() => gaps.some((gap) => gap.reason === 'catch-up-failed'));
    expect(gaps.filter((gap) => gap.reason === 'catch-up-failed')).toEqual([expect.objectContaining({ kinds: ['statuses'], error: expect.objectContaining({ status: 502 }) })]);
    expect(errors).toEqual([expect.objectContaining({ status: 502 })]);
    expect(homeRequests(fake)[0]?.query['max_id']).toBeDefined();
    await iterator.return?.();
  });

  it("a walk stops where the live connection surely covers (the first page's Date, plus a margin), instead of chasing a busy stream to the budget", async () => {
    const server = await startFake({ heartbeatIntervalMs: 0 });
    const fake = server;
    // A stream busier than a page per round trip: before each page of the walk, 40 statuses created after it opened.
    let created = 0;
    const busy: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/api/v1/timelines/public' && url.searchParams.has('min_id')) {
        for (let index = 0; index < 40; index++) fake.postStatus({ id: idAt(Date.now() + 10_000, created++) }, { account: 'bob' });
      }
      return fetch(input, init);
    };
    const gaps: GapInfo[] = [];
    const stream = createClient({ url: fake.url, accessToken: TOKEN, random: () => 0, fetch: busy }).public({}, { stallTimeoutMs: 0, onGap: (gap) => gaps.push(gap) });
    const iterator = stream[Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await fake.waitForConnection();
    fake.postStatus({}, { account: 'alice' });
    await first;
    fake.dropConnections();
    const missed = fake.postStatus({}, { account: 'carol' });
    const backfill = await take(iterator, 41);
    expect(ids(backfill).slice(0, 1)).toEqual([missed.id]);
    await until(() => stream.stats.state === 'open');
    await iterator.return?.();
    // One page of the walk held statuses past the live connection's coverage: it ends there, with no false gap.
    expect(fake.requests.filter((request) => request.path === '/api/v1/timelines/public' && request.query['min_id'] !== undefined)).toHaveLength(1);
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable']);
  });
});
