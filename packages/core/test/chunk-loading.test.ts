import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isMastodonNetworkError, MastodonNetworkError, type TootstreamError } from '../src/errors.js';
import type { GapInfo } from '../src/stream-hooks.js';
import { loadChunk } from '../src/chunk-loader.js';
import { take, until } from './support/collect.js';
import { cursorAfterOneStatus } from './support/cursors.js';

// The REST code (ky, discovery, catch-up) is a chunk the client imports on
// first use. In a browser that import is a request and fails when the network
// does: the stream must treat it as a network failure and retry, not die.

let server: FakeMastodon;
let failedImports = 0;
beforeEach(async () => {
  server = await createFakeMastodon();
  failedImports = 0;
});
afterEach(async () => {
  vi.doUnmock('../src/rest.js');
  vi.resetModules();
  await server.close();
});

describe('lazily loaded chunks', () => {
  it('loadChunk turns a failed import into a MastodonNetworkError with the cause', async () => {
    const offline = new TypeError('Failed to fetch dynamically imported module: https://app.example/rest-3F2A.js');
    const error = await loadChunk(() => Promise.reject(offline)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(error).toMatchObject({ code: 'NETWORK', phase: 'connect', cause: offline });
    await expect(loadChunk(() => Promise.resolve(42))).resolves.toBe(42);
  });

  it('a stream whose REST chunk fails to load (discovery) reconnects and then streams', async () => {
    vi.resetModules();
    vi.doMock('../src/rest.js', async (importOriginal) => {
      if (failedImports++ === 0) throw new TypeError('Failed to fetch dynamically imported module');
      return importOriginal();
    });
    const { createClient } = await import('../src/client.js');
    const reconnectErrors: TootstreamError[] = [];
    const client = createClient({ url: server.url, accessToken: 'peer-test-token' });
    const iterator = client
      .public({}, { reconnect: { initialDelayMs: 10, minDelayMs: 10 }, onReconnecting: ({ error }) => reconnectErrors.push(error) })
      [Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await server.waitForConnection();
    const status = server.postStatus({}, { account: 'alice' });
    const [event] = await first;
    expect(event).toMatchObject({ event: 'update', payload: { id: status.id } });
    expect(failedImports).toBe(2);
    expect(reconnectErrors).toHaveLength(1);
    // A fresh module graph (resetModules) has its own error classes: the cross-realm guard still knows it.
    expect(isMastodonNetworkError(reconnectErrors[0])).toBe(true);
    expect(reconnectErrors[0]?.message).toContain('Failed to fetch dynamically imported module');
    await iterator.return?.();
  });

  it('a catch-up whose REST chunk does not load is a failed catch-up (a gap), and the live stream goes on on the same connection', async () => {
    const cursor = await cursorAfterOneStatus(server);
    const connectionsBefore = server.totalConnections;
    vi.resetModules();
    // For good, as after an app's redeploy that removed its old chunks: retried as a connect failure, nothing was delivered again.
    vi.doMock('../src/rest.js', () => {
      failedImports++;
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const { createClient } = await import('../src/client.js');
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: 'peer-test-token' });
    const gaps: GapInfo[] = [];
    const reconnects: unknown[] = [];
    const errors: TootstreamError[] = [];
    const iterator = client
      .public({}, { cursor, reconnect: { initialDelayMs: 10, minDelayMs: 10 }, onGap: (gap) => gaps.push(gap), onReconnecting: (info) => reconnects.push(info), onError: (error) => errors.push(error) })
      [Symbol.asyncIterator]();
    const first = take(iterator, 1);
    await until(() => gaps.length === 1);
    expect(gaps[0]).toMatchObject({ reason: 'catch-up-failed', kinds: ['statuses', 'deletes', 'edits'] });
    // On this client's clock: the cursor's takenAt (the server's, second-resolution Date header) moved by the offset.
    expect(Math.abs((gaps[0]?.since ?? 0) - cursor.takenAt)).toBeLessThan(2_000);
    expect(isMastodonNetworkError(gaps[0]?.error)).toBe(true);
    expect(errors).toEqual([gaps[0]?.error]);
    const status = server.postStatus({}, { account: 'alice' });
    expect((await first)[0]).toMatchObject({ event: 'update', source: 'live', payload: { id: status.id } });
    expect([failedImports, server.totalConnections - connectionsBefore, reconnects.length]).toEqual([1, 1, 0]);
    await iterator.return?.();
    await until(() => server.connections.length === 0);
  });

  it('a stream closed while its catch-up chunk loads reports nothing after onClose when the load then fails', async () => {
    const cursor = await cursorAfterOneStatus(server);
    let failLoad: (error: Error) => void = () => undefined;
    vi.resetModules();
    vi.doMock('../src/rest.js', () => {
      failedImports++;
      return new Promise((_, reject) => (failLoad = reject));
    });
    const { createClient } = await import('../src/client.js');
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: 'peer-test-token' });
    const hooks: string[] = [];
    const stream = client.public({}, {
      cursor,
      onGap: () => hooks.push('onGap'),
      onError: () => hooks.push('onError'),
      onStateChange: (state) => hooks.push(`state ${state}`),
      onClose: () => hooks.push('onClose'),
    });
    const iterator = stream[Symbol.asyncIterator]();
    const pulled = iterator.next();
    await until(() => failedImports === 1);
    await iterator.return?.();
    failLoad(new TypeError('Failed to fetch dynamically imported module'));
    await pulled;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hooks.at(-1)).toBe('onClose');
    expect(hooks).not.toContain('onGap');
    expect(stream.stats.state).toBe('closed');
  });

  it('an HTTP error whose body-reading chunk does not load is still the API error its status says: a 401 ends the stream instead of being retried for ever', async () => {
    vi.resetModules();
    vi.doMock('../src/api-errors.js', () => {
      failedImports++;
      throw new TypeError('Failed to fetch dynamically imported module');
    });
    const { createClient } = await import('../src/client.js');
    const { isMastodonApiError } = await import('../src/errors.js');
    server.failNext({ status: 401, body: { error: 'The access token is invalid' } });
    const reconnects: unknown[] = [];
    const client = createClient({ url: server.url, streamingUrl: server.url, accessToken: 'peer-test-token' });
    const stream = client.public({}, { reconnect: { initialDelayMs: 10, minDelayMs: 10 }, onReconnecting: (info) => reconnects.push(info) });
    const error = await take(stream[Symbol.asyncIterator](), 1).catch((caught: unknown) => caught);
    expect(isMastodonApiError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'API', status: 401 });
    expect([failedImports, reconnects.length, server.requests.filter((request) => request.path === '/api/v1/streaming/public').length]).toEqual([1, 0, 1]);
  });
});
