import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import { MastodonApiError, MastodonReconnectExhaustedError } from '../src/errors.js';
import { DEFAULT_RECONNECT_POLICY, type StreamOptions } from '../src/options.js';
import { backoffDelay, MAX_RETRY_AFTER_MS } from '../src/reconnect-policy.js';
import type { CatchUpProgress, GapInfo, StreamState } from '../src/stream-hooks.js';
import { take, until } from './support/collect.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('backoffDelay', () => {
  const policy = DEFAULT_RECONNECT_POLICY;

  it('grows by the factor up to the cap, with full jitter between the floor and the bound', () => {
    expect([1, 2, 3, 4, 7, 8, 30].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([1000, 2000, 4000, 8000, 60000, 60000, 60000]);
    expect(backoffDelay(policy, 1, () => 0)).toBe(DEFAULT_RECONNECT_POLICY.minDelayMs);
    for (let attempt = 1; attempt < 12; attempt++) {
      const delay = backoffDelay(policy, attempt, Math.random);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(Math.min(60_000, 1000 * 2 ** (attempt - 1)));
    }
  });

  it('never waits less than a server-requested Retry-After', () => {
    expect(backoffDelay(policy, 1, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelay({ ...DEFAULT_RECONNECT_POLICY, jitter: 'none' }, 1, () => 1, 30_000)).toBe(30_000);
  });

  it("waits past a Retry-After by up to half of it (at most the bound), so a herd the server sent away at once comes back spread", () => {
    // The first attempt's bound is 1 s: 5 s asked, 5–6 s waited.
    expect(backoffDelay(policy, 1, () => 1, 5_000)).toBe(6_000);
    // A later attempt's bound (4 s) is more than half the wait: 5–7.5 s.
    expect(backoffDelay(policy, 3, () => 1, 5_000)).toBe(7_500);
    // 200 clients told to come back in 5 s spread over the second after, instead of arriving at the same instant.
    const waits = Array.from({ length: 200 }, () => backoffDelay(policy, 1, Math.random, 5_000));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(5_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(6_000);
    expect(new Set(waits).size).toBeGreaterThan(100);
  });

  it('honours a Retry-After up to an hour (or maxDelayMs, if longer), not the 24.8 days a proxy can ask for', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
    expect(backoffDelay(policy, 1, () => 0, 999_999_999_000)).toBe(MAX_RETRY_AFTER_MS);
    // A maintenance window announced as an hour is waited, not knocked on every 5 minutes.
    expect(backoffDelay(policy, 1, () => 0, 3_600_000)).toBe(3_600_000);
    expect(backoffDelay({ ...DEFAULT_RECONNECT_POLICY, maxDelayMs: 7_200_000 }, 1, () => 0, 999_999_999_000)).toBe(7_200_000);
  });

  it('jitter none waits the bound', () => {
    expect(backoffDelay({ ...DEFAULT_RECONNECT_POLICY, jitter: 'none' }, 3, () => 0)).toBe(4000);
  });
});

async function setup() {
  server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
  const clock = new VirtualClock();
  const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 1, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
  return { server, clock, client };
}

/** A public stream (stall watchdog off) whose reconnect delays are recorded, as the healthy-period cases read them. */
function publicRecordingDelays(client: ReturnType<typeof createClient>, options: StreamOptions = {}) {
  const delays: number[] = [];
  const stream = client.public({}, { stallTimeoutMs: 0, ...options, onReconnecting: ({ delayMs }) => delays.push(delayMs) });
  return { stream, delays };
}

describe('classification', () => {
  it.each([400, 403, 404, 410])('%i is fatal and never retried', async (status) => {
    const { server, clock, client } = await setup();
    server.failNext({ status, times: 3 });
    await expect(client.user()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ status });
    expect(clock.pending).toHaveLength(0);
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/streaming/'))).toHaveLength(1);
  });

  it('a 200 that is not an event stream (a wrong host, a proxy, a captive portal) is fatal, as protocol.md §6 says', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 200, body: '<html>sign in</html>', headers: { 'Content-Type': 'text/html' }, times: 3 });
    await expect(client.user()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'UNEXPECTED_CONTENT_TYPE', contentType: 'text/html' });
    expect(clock.pending).toHaveLength(0);
    expect(server.requests.filter((request) => request.path.startsWith('/api/v1/streaming/'))).toHaveLength(1);
  });

  it('an unknown channel (400 from the real routing) is fatal', async () => {
    const { server, clock } = await setup();
    const client = createClient({ url: server.url, streamingUrl: `${server.url}/nope`, accessToken: TOKEN, clock });
    await expect(client.user()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ status: 400, serverMessage: 'Unknown channel requested' });
    expect(clock.pending).toHaveLength(0);
  });

  it('maxAttempts ends retrying with the last error as cause', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 500, times: 10 });
    const pending = client.user({ reconnect: { maxAttempts: 2 }, stallTimeoutMs: 0 })[Symbol.asyncIterator]().next();
    await clock.fireNext();
    await clock.fireNext();
    const error = await pending.catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'RECONNECT_EXHAUSTED', attempts: 2 });
    expect((error as Error).cause).toBeInstanceOf(MastodonApiError);
  });
});

describe('a Retry-After no policy should obey', () => {
  it('is waited for at most a rate-limit window', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 503, headers: { 'Retry-After': '999999999' } });
    const iterator = client.user({ stallTimeoutMs: 0 })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    // random 1: the hour, then the jitter's most (the first attempt's bound, 1 s).
    expect((await clock.waitForTimer()).delay).toBe(MAX_RETRY_AFTER_MS + 1_000);
    clock.advance(MAX_RETRY_AFTER_MS + 1_000);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    expect(await firstEvent).toHaveLength(1);
    await iterator.return?.();
  });

  it('beyond maxElapsedMs gives up at once, with the server\'s answer as the cause', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 429, headers: { 'Retry-After': 'Fri, 01 Jan 2100 00:00:00 GMT' } });
    const iterator = client.user({ stallTimeoutMs: 0, reconnect: { maxElapsedMs: 1_500, maxDelayMs: 1_000 } })[Symbol.asyncIterator]();
    const error = await iterator.next().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'RECONNECT_EXHAUSTED', cause: { status: 429 } });
    expect(clock.pending).toHaveLength(0);
  });
});

describe('maxElapsedMs', () => {
  it('the last retry is made within the budget: a delay that would end past it is cut to end at it', async () => {
    const { server, clock, client } = await setup();
    server.failNext({ status: 503, times: 10 });
    const delays: number[] = [];
    const startedAt = clock.now();
    const stream = client.user({ stallTimeoutMs: 0, reconnect: { jitter: 'none', initialDelayMs: 4_000, factor: 1, maxElapsedMs: 10_000 }, onReconnecting: ({ delayMs }) => delays.push(delayMs) });
    const outcome = stream[Symbol.asyncIterator]().next().catch((thrown: unknown) => thrown);
    let lastAttemptAt = startedAt;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => delays.length === attempt);
      await clock.fireNext();
      await until(() => server.requests.length === attempt + 1);
      lastAttemptAt = clock.now();
    }
    const exhausted = (await outcome) as Error & { cause: Error };
    expect(exhausted).toMatchObject({ code: 'RECONNECT_EXHAUSTED', cause: { status: 503 } });
    expect(exhausted.message).toBe(`Gave up reconnecting after 3 attempts: ${exhausted.cause.message}`);
    expect(new MastodonReconnectExhaustedError(1).message).toBe('Gave up reconnecting after 1 attempt');
    expect(exhausted.cause.message).toMatch(/503/);
    expect(delays).toEqual([4_000, 4_000, 2_000]);
    expect(lastAttemptAt - startedAt).toBe(10_000);
    expect(clock.pending).toHaveLength(0);
  });
});

describe('healthy period', () => {
  it('a connection that delivers no event counts as failed until it stayed up for resetAfterMs', async () => {
    const { server, clock, client } = await setup();
    const { stream, delays } = publicRecordingDelays(client);
    const iterator = stream[Symbol.asyncIterator]();
    const pending = iterator.next();
    const dropAndReconnect = async () => {
      server.endStreams();
      await clock.fireNext();
      await until(() => stream.stats.state === 'open');
    };
    await until(() => stream.stats.state === 'open');
    await dropAndReconnect();
    await dropAndReconnect();
    // This connection stays up for a whole healthy period before it drops (without it: [1000, 2000, 4000]).
    clock.advance(60_000);
    await dropAndReconnect();
    expect(delays).toEqual([1000, 2000, 1000]);
    void pending.catch(() => {});
    await iterator.return?.();
  });

  it('a connection that delivered a live event was healthy, however short: drops every few seconds never exhaust maxAttempts', async () => {
    const { server, clock, client } = await setup();
    const { stream, delays } = publicRecordingDelays(client, { reconnect: { maxAttempts: 2 } });
    const iterator = stream[Symbol.asyncIterator]();
    let next = iterator.next();
    for (let connection = 1; connection <= 5; connection++) {
      // Posted once any catch-up is over, so the status arrives live.
      await until(() => stream.stats.state === 'open');
      server.postStatus({}, { account: 'alice' });
      expect(await next).toMatchObject({ done: false, value: { source: 'live' } });
      // Pulling on, so the session reads and sees the end.
      next = iterator.next();
      clock.advance(3_000);
      server.endStreams();
      await clock.fireNext();
    }
    expect(delays).toEqual([1000, 1000, 1000, 1000, 1000]);
    void next.catch(() => {});
    await iterator.return?.();
  });

  it('a quiet connection that sent a heartbeat was healthy: a proxy that ends a quiet stream every 30 s does not make it back off', async () => {
    const { server, clock, client } = await setup();
    const heartbeats: string[] = [];
    const { stream, delays } = publicRecordingDelays(client, { reconnect: { maxAttempts: 2 }, onHeartbeat: (text) => heartbeats.push(text) });
    const iterator = stream[Symbol.asyncIterator]();
    const pending = iterator.next();
    for (let connection = 1; connection <= 4; connection++) {
      await until(() => stream.stats.state === 'open');
      server.pushRaw(':thump\n');
      await until(() => heartbeats.filter((text) => text === 'thump').length === connection);
      clock.advance(30_000);
      server.endStreams();
      await clock.fireNext();
    }
    // Without: [1000, 2000, 4000] and then out of attempts.
    expect(delays).toEqual([1000, 1000, 1000, 1000]);
    void pending.catch(() => {});
    await iterator.return?.();
  });

  it("the opener `:)` alone is no heartbeat: a server that ends every stream after it backs off and runs out of attempts", async () => {
    const { server, clock, client } = await setup();
    const { stream, delays } = publicRecordingDelays(client, { reconnect: { maxAttempts: 2 } });
    const outcome = stream[Symbol.asyncIterator]().next().catch((thrown: unknown) => thrown);
    for (let connection = 1; connection <= 3; connection++) {
      await until(() => stream.stats.state === 'open');
      server.endStreams();
      if (connection < 3) await clock.fireNext();
    }
    expect(await outcome).toMatchObject({ code: 'RECONNECT_EXHAUSTED' });
    expect(delays).toEqual([1000, 2000]);
  });

  it('a live event that the catch-up had delivered first still shows its connection delivers', async () => {
    const { server, clock, client } = await setup();
    const { stream, delays } = publicRecordingDelays(client);
    const iterator = stream[Symbol.asyncIterator]();
    let next = iterator.next();
    await until(() => stream.stats.state === 'open');
    for (let connection = 1; connection <= 3; connection++) {
      server.endStreams();
      const missed = server.postStatus({}, { account: 'alice' });
      await clock.fireNext();
      expect(await next).toMatchObject({ done: false, value: { source: 'catchup', payload: { id: missed.id } } });
      next = iterator.next();
      await until(() => stream.stats.state === 'open');
      // The same status on the new connection, as when it was published just after the connection subscribed.
      server.pushRaw(`event: update\ndata: ${JSON.stringify(missed)}\n\n`);
      await until(() => stream.stats.duplicatesDropped === connection);
    }
    // Without: [1000, 2000, 4000] (only duplicates came live, so no connection counted as healthy).
    expect(delays).toEqual([1000, 1000, 1000]);
    void next.catch(() => {});
    await iterator.return?.();
  });

});


describe('catch-up over REST', () => {
  /** A public stream that got one status, then lost its connection while two more were posted: what it must catch up. */
  async function twoMissedAfterOne(fake: FakeMastodon, client: ReturnType<typeof createClient>, options: StreamOptions = {}) {
    const iterator = client.public({}, { stallTimeoutMs: 0, ...options })[Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await fake.waitForConnection();
    fake.postStatus({}, { account: 'alice' });
    await firstEvent;
    const rest = take(iterator, 2);
    fake.endStreams();
    const missed = [fake.postStatus({}, { account: 'alice' }), fake.postStatus({}, { account: 'bob' })];
    return { iterator, rest, missed };
  }

  // The client's random source gives 1: past the server's wait by half of it (every client one window held would
  // otherwise wake together), but never past 5 minutes, which the live stream waits too.
  it.each([
    ['9', 13_500],
    ['300', 300_000],
  ])('waits out a 429 on the timeline (Retry-After %s s, so %i ms) and still backfills', async (retryAfter, waitMs) => {
    const { server, clock, client } = await setup();
    const { iterator, rest, missed } = await twoMissedAfterOne(server, client);
    server.failNext({ status: 429, paths: 'rest', headers: { 'Retry-After': retryAfter } });
    await clock.fireNext((timer) => timer.delay !== waitMs);
    const rateLimitWait = await clock.waitForTimer((timer) => timer.delay === waitMs);
    clock.advance(rateLimitWait.delay);
    const events = await rest;
    expect(events.map((event) => event.event === 'update' && event.payload.id)).toEqual(missed.map((status) => status.id));
    expect(events.every((event) => event.source === 'catchup')).toBe(true);
    await iterator.return?.();
  });

  it("waits out Mastodon's X-RateLimit-Reset by the server's clock (its Date), also when the client's clock is a day behind", async () => {
    const { server, clock, client } = await setup();
    // The virtual clock starts at a fixed day: make it a day behind the server's, whatever today is.
    clock.advance(Date.now() - 86_400_000 - clock.now());
    const gaps: GapInfo[] = [];
    const { iterator, rest, missed } = await twoMissedAfterOne(server, client, { onGap: (gap) => gaps.push(gap) });
    const resetAt = new Date(Date.now() + 20_000).toISOString();
    server.failNext({ status: 429, paths: 'rest', headers: { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': resetAt } });
    await clock.fireNext((timer) => timer.delay < 15_000);
    // About 20 s by the server's clock (its Date has whole seconds), not a day and 20 s by the client's; and past it by
    // half of it (random 1).
    const rateLimitWait = await clock.waitForTimer((timer) => timer.delay >= 15_000);
    expect(rateLimitWait.delay).toBeGreaterThanOrEqual(28_500);
    expect(rateLimitWait.delay).toBeLessThanOrEqual(33_000);
    clock.advance(rateLimitWait.delay);
    const events = await rest;
    expect(events.map((event) => event.event === 'update' && event.payload.id)).toEqual(missed.map((status) => status.id));
    expect(gaps.map((gap) => gap.reason)).not.toContain('catch-up-failed');
    await iterator.return?.();
  });

  it('signals a gap when the page budget runs out, and reports progress', async () => {
    const { server, clock, client } = await setup();
    const gaps: GapInfo[] = [];
    const progress: CatchUpProgress[] = [];
    const iterator = client
      .public({}, { stallTimeoutMs: 0, catchUp: { pageSize: 5, maxPages: 2 }, onGap: (gap) => gaps.push(gap), onCatchUpProgress: (step) => progress.push(step) })
      [Symbol.asyncIterator]();
    const firstEvent = take(iterator, 1);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    await firstEvent;
    const rest = take(iterator, 10);
    server.endStreams();
    const missed = Array.from({ length: 12 }, () => server!.postStatus({}, { account: 'alice' }));
    await clock.fireNext();
    const events = await rest;
    expect(events.map((event) => event.event === 'update' && event.payload.id)).toEqual(missed.slice(0, 10).map((status) => status.id));
    expect(gaps.map((gap) => gap.reason)).toEqual(['not-recoverable', 'budget-exhausted']);
    expect(gaps[1]?.kinds).toEqual(['statuses']);
    // Where the walk stopped, so the app can page the rest itself: from there, the two statuses it did not deliver.
    expect(gaps[1]?.afterId).toBe(missed[9]?.id);
    const page = await fetch(`${server!.url}/api/v1/timelines/public?min_id=${gaps[1]?.afterId}&limit=40`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(((await page.json()) as { id: string }[]).map((status) => status.id).sort()).toEqual(missed.slice(10).map((status) => status.id).sort());
    expect(progress).toEqual([
      { route: 'statuses', page: 1, fetched: 5, done: false },
      { route: 'statuses', page: 2, fetched: 10, done: false },
    ]);
    await iterator.return?.();
  });
});

describe('observability', () => {
  it('calls every hook and keeps counters', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 10 });
    const clock = new VirtualClock();
    const client = createClient({ url: server.url, accessToken: TOKEN, clock, random: () => 1, streamDefaults: VIRTUAL_CLOCK_DEFAULTS });
    const log: string[] = [];
    const states: StreamState[] = [];
    const stream = client.user({
      stallTimeoutMs: 0,
      onStateChange: (state) => states.push(state),
      onConnecting: ({ attempt }) => log.push(`connecting ${attempt}`),
      onOpen: ({ attempt }) => log.push(`open ${attempt}`),
      onHeartbeat: (comment) => {
        if (!log.includes(`heartbeat ${comment}`)) log.push(`heartbeat ${comment}`);
      },
      onReconnecting: ({ attempt, delayMs, error }) => log.push(`reconnecting ${attempt} ${delayMs} ${error.code}`),
      onCatchUpProgress: ({ route, done }) => log.push(`catch-up ${route} ${done}`),
      onGap: ({ reason }) => log.push(`gap ${reason}`),
      onClose: ({ reason }) => log.push(`closed ${reason}`),
    });
    const iterator = stream[Symbol.asyncIterator]();
    const firstEvents = take(iterator, 2);
    await server.waitForConnection();
    server.postStatus({}, { account: 'alice' });
    server.notify('1001');
    await firstEvents;
    await new Promise((resolve) => setTimeout(resolve, 40));
    const rest = take(iterator, 1);
    server.endStreams();
    await clock.fireNext();
    await server.waitForConnection((connection) => !connection.isClosed);
    server.postStatus({}, { account: 'alice' });
    // Backfilled or live, depending on whether catch-up fetched before the post.
    await rest;
    // Catch-up is over once the consumer pulls past the backfill; the state goes back to open.
    const live = take(iterator, 1);
    await until(() => stream.stats.state === 'open');
    server.postStatus({}, { account: 'bob' });
    await live;
    await iterator.return?.();
    // When the status was backfilled, its page is followed by an empty one (protocol.md §12.2), and only
    // that one is done. Whether it was depends on timing (above), so an unfinished page may or may not be logged.
    // The two routes are fetched side by side, and the home route's empty page is confirmed by one more request
    // (the feed probe), so which route finishes first depends on timing too.
    const logged = log.filter((entry) => entry !== 'catch-up statuses false');
    expect(logged.map((entry) => (entry.startsWith('catch-up') ? 'catch-up done' : entry))).toEqual([
      'connecting 1',
      'open 1',
      'heartbeat )',
      'heartbeat thump',
      'reconnecting 1 1000 STREAM_ENDED',
      'connecting 2',
      'open 2',
      'gap not-recoverable',
      'catch-up done',
      'catch-up done',
      'closed returned',
    ]);
    expect(logged.filter((entry) => entry.startsWith('catch-up')).sort()).toEqual(['catch-up notifications true', 'catch-up statuses true']);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open', 'catching-up', 'open', 'closed']);
    expect(stream.stats).toMatchObject({ reconnects: 1, eventsDelivered: 4, state: 'closed' });
    expect(stream.stats.lastEventAt).toBe(clock.now());
  });
});
