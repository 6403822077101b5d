// Whole bodies (catch-up pages, instance documents, HTTP error bodies) are read
// with a size bound and a deadline: a server or proxy that sends a body that
// never ends, or one too large to hold, must not hold the stream or its memory.
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { StreamCursor } from '../src/cursor.js';
import { MastodonApiError, MastodonNetworkError, type TootstreamError } from '../src/errors.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { ids, take, until } from './support/collect.js';
import { cursorAfterOneStatus } from './support/cursors.js';
import { VirtualClock, VIRTUAL_CLOCK_DEFAULTS } from './support/virtual-clock.js';

const TOKEN = 'peer-test-token';
// The bound of a catch-up page with `pageSize: 1` (MAX_PAGE_BYTES_PER_ITEM).
const ONE_ITEM_PAGE_BYTES = 262_144;

let server: FakeMastodon | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Resumes from `cursor` with one-item pages and returns the catch-up-failed gap, then checks the live stream still delivers. */
async function catchUpFailure(fake: FakeMastodon, cursor: StreamCursor, restTimeoutMs = 10_000): Promise<TootstreamError | undefined> {
  const gaps: GapInfo[] = [];
  const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN, restTimeoutMs });
  const iterator = client.public({}, { cursor, catchUp: { pageSize: 1, maxPages: 5 }, onGap: (gap) => gaps.push(gap), onError: () => {} })[Symbol.asyncIterator]();
  try {
    const next = take(iterator, 1);
    await until(() => gaps.some((gap) => gap.reason === 'catch-up-failed'));
    await until(() => fake.connections.some((connection) => !connection.isClosed));
    const live = fake.postStatus({}, { account: 'bob' });
    expect(ids(await next)).toEqual([live.id]);
    return gaps.find((gap) => gap.reason === 'catch-up-failed')?.error;
  } finally {
    await iterator.return?.();
  }
}

/** A JSON array of one status, padded with whitespace to exactly `bytes` bytes. */
function paddedPage(status: object, bytes: number): string {
  const json = JSON.stringify([status]);
  return `[${' '.repeat(bytes - json.length)}${json.slice(1)}`;
}

describe('bounded REST bodies', () => {
  it('gives up on a catch-up page that never finishes after restTimeoutMs, with a catch-up-failed gap, and streams on', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const cursor = await cursorAfterOneStatus(server);
    server.postStatus({}, { account: 'carol' });
    server.failNext({ status: 200, paths: 'rest', body: '[', holdOpen: true });
    const started = Date.now();
    const error = await catchUpFailure(server, cursor, 300);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(error?.message).toContain('did not finish within 300 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a page larger than its bound, whether announced by Content-Length or only counted as it arrives', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const cursor = await cursorAfterOneStatus(server);
    const missed = server.postStatus({}, { account: 'carol' });
    const tooLarge = paddedPage(missed, ONE_ITEM_PAGE_BYTES + 1);
    for (const holdOpen of [false, true]) {
      server.failNext({ status: 200, paths: 'rest', body: tooLarge, holdOpen });
      const error = await catchUpFailure(server, cursor);
      expect(error).toBeInstanceOf(MastodonApiError);
      expect(error?.message).toContain(`larger than ${ONE_ITEM_PAGE_BYTES} bytes`);
    }
  });

  it('accepts a page of exactly its bound', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const cursor = await cursorAfterOneStatus(fake);
    const missed = fake.postStatus({}, { account: 'carol' });
    fake.failNext({ status: 200, paths: 'rest', body: paddedPage(missed, ONE_ITEM_PAGE_BYTES) });
    const client = createClient({ url: fake.url, streamingUrl: fake.url, accessToken: TOKEN });
    const iterator = client.public({}, { cursor, catchUp: { pageSize: 1, maxPages: 1 } })[Symbol.asyncIterator]();
    try {
      const [event] = await take(iterator, 1);
      expect(event).toMatchObject({ source: 'catchup', payload: { id: missed.id } });
    } finally {
      await iterator.return?.();
    }
  });

  it('treats instance documents that never finish as missing and streams from the API base', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status: 200, paths: 'rest', body: '{"configuration":', holdOpen: true, times: 2 });
    const client = createClient({ url: server.url, accessToken: TOKEN, restTimeoutMs: 200 });
    expect(await client.streamingBaseUrl()).toBe(server.url);
    expect(server.requests.filter((request) => request.path.endsWith('/instance')).map((request) => request.path)).toEqual(['/api/v2/instance', '/api/v1/instance']);
  });
});

describe('bounded HTTP error bodies', () => {
  it("a catch-up page's error body that never finishes is read only until the stream ends: no read or timer is left behind", async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const cursor = await cursorAfterOneStatus(server);
    server.postStatus({}, { account: 'carol' });
    server.failNext({ status: 500, paths: 'rest', body: { error: 'and this body never ends' }, holdOpen: true });
    const clock = new VirtualClock();
    const stop = new AbortController();
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN, clock });
    const iterator = client.public({}, { ...VIRTUAL_CLOCK_DEFAULTS, cursor, signal: stop.signal, onError: () => {} })[Symbol.asyncIterator]();
    const next = iterator.next();
    // The error body's deadline (MAX_ERROR_BODY_WAIT_MS): the body is being read.
    await clock.waitForTimer((timer) => timer.delay === 5_000);
    stop.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    await until(() => clock.pending.length === 0);
  });


  it('stops waiting for an error body that never finishes and retries on the status alone', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    server.failNext({ status: 503, body: { error: 'Service Unavailable, and this body never ends' }, holdOpen: true });
    const clock = new VirtualClock();
    const failures: TootstreamError[] = [];
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: TOKEN, clock });
    const iterator = client.public({}, { ...VIRTUAL_CLOCK_DEFAULTS, onReconnecting: ({ error }) => failures.push(error) })[Symbol.asyncIterator]();
    try {
      const next = take(iterator, 1);
      // The error body's deadline (MAX_ERROR_BODY_WAIT_MS) runs on the stream's clock.
      await clock.fireNext((timer) => timer.delay === 5_000);
      await until(() => failures.length === 1);
      expect(failures[0]).toBeInstanceOf(MastodonApiError);
      expect(failures[0]).toMatchObject({ status: 503, serverMessage: 'Service Unavailable, and this body never ends' });
      await clock.fireNext();
      await server.waitForConnection();
      const live = server.postStatus({}, { account: 'alice' });
      expect(ids(await next)).toEqual([live.id]);
    } finally {
      await iterator.return?.();
    }
  });
});
