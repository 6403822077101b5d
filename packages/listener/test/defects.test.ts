import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Mastodon, MastodonNetworkError } from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, sse, TOKEN, waitFor } from './support/harness.js';
// Core's virtual clock: the listener hands its clock to core, so both run on one.
import { VirtualClock } from '../../core/test/support/virtual-clock.js';

const cleanup = new Cleanup();
const rawServers: Server[] = [];
afterEach(async () => {
  await cleanup.dispose();
  await Promise.all(
    rawServers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** Streams `bytes` through the fake server, byte by byte, and resolves when the blocking call does. */
async function feed(bytes: string, listener: Recorder, serverOptions: Parameters<Cleanup['server']>[0] = {}): Promise<void> {
  const server = await cleanup.server(serverOptions);
  const done = clientFor(server).streamUser(listener);
  await server.waitForConnection();
  server.trickle(true);
  server.pushRaw(bytes);
  server.endStreams();
  await done;
}

/**
 * A bare HTTP server on 127.0.0.1 for the two wire situations the fake Mastodon cannot produce
 * (a body that starts with a BOM, a server that never sends headers).
 */
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Mastodon.py defects that are fixed', () => {
  it('CRLF line endings are accepted (Mastodon.py kept the CR)', async () => {
    const listener = new Recorder();
    await feed('event: update\r\ndata: {"foo":"bar"}\r\n\r\n:thump\r\nevent: delete\r\ndata: 7\r\n\r\n', listener);
    expect(listener.events()).toEqual([
      ['onUpdate', { foo: 'bar' }, ['user']],
      ['onDelete', '7', ['user']],
    ]);
    expect(listener.count('onError')).toBe(0);
  });

  it('CR-only line endings are accepted', async () => {
    const listener = new Recorder();
    await feed('event: delete\rdata: 8\r\r', listener);
    expect(listener.events()).toEqual([['onDelete', '8', ['user']]]);
  });

  it('`field:value` without a space is accepted (fatal in Mastodon.py)', async () => {
    const listener = new Recorder();
    await feed('event:update\ndata:{"foo":"bar"}\n\nevent:delete\ndata:9\n\n', listener);
    expect(listener.events()).toEqual([
      ['onUpdate', { foo: 'bar' }, ['user']],
      ['onDelete', '9', ['user']],
    ]);
  });

  it('a repeated event: line means the last one wins (Mastodon.py joined them)', async () => {
    const listener = new Recorder();
    await feed('event: update\nevent: delete\ndata: 10\n\n', listener);
    expect(listener.events()).toEqual([['onDelete', '10', ['user']]]);
  });

  it('a leading BOM is skipped', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(`\uFEFF:)\n${sse('delete', '11')}`);
    });
    const listener = new Recorder();
    await new Mastodon({ apiBaseUrl: url, accessToken: TOKEN, streamingUrl: url }).streamUser(listener);
    expect(listener.events()).toEqual([['onDelete', '11', ['user']]]);
    expect(listener.count('handleHeartbeat')).toBe(1);
  });

  it.each([
    ['`data: undefined` (pre-4.2 servers; Mastodon.py aborted with Bad JSON)', { filtersChanged: 'undefined' as const }],
    ['an empty data line', { filtersChanged: 'verbatim' as const }],
  ])('filters_changed with %s calls onFiltersChanged() with no arguments', async (_label, serverOptions) => {
    const server = await cleanup.server(serverOptions);
    const listener = new Recorder();
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.publish('user', 'filters_changed');
    server.endStreams();
    await done;
    expect(listener.events()).toEqual([['onFiltersChanged']]);
    expect(listener.named('onAnyEvent')).toEqual([['onAnyEvent', 'filters_changed', undefined, ['user']]]);
  });

  it('filters_changed without a data line, or with any payload, calls onFiltersChanged() with no arguments', async () => {
    const listener = new Recorder();
    await feed('event: filters_changed\n\n' + sse('filters_changed', 'x') + sse('filters_changed', '{"a":1}'), listener);
    expect(listener.events()).toEqual([['onFiltersChanged'], ['onFiltersChanged'], ['onFiltersChanged']]);
  });

  it('announcement.delete is a string id (Mastodon.py passed an int), status.update is typed by its wire name', async () => {
    const listener = new Recorder();
    await feed(sse('announcement.delete', '113287874101815426') + sse('status.update', '{"id":"1","edited_at":"2026-01-01T00:00:00.000Z"}'), listener);
    expect(listener.events()).toEqual([
      ['onAnnouncementDelete', '113287874101815426', ['user']],
      ['onStatusUpdate', { id: '1', edited_at: '2026-01-01T00:00:00.000Z' }, ['user']],
    ]);
  });

  it('an event named `abort` goes to onUnknownEvent and never calls onAbort; likewise `error` and `any.event`', async () => {
    const listener = new Recorder();
    await feed(sse('abort', '{"x":1}') + sse('error', '"boom"') + sse('any.event', '1') + sse('unknown_event', '2'), listener);
    expect(listener.events()).toEqual([
      ['onUnknownEvent', 'abort', { x: 1 }, ['user']],
      ['onUnknownEvent', 'error', 'boom', ['user']],
      ['onUnknownEvent', 'any.event', 1, ['user']],
      ['onUnknownEvent', 'unknown_event', 2, ['user']],
    ]);
    expect(listener.count('onAbort')).toBe(0);
    expect(listener.count('onError')).toBe(0);
  });

  it('the hashtag is percent-encoded: `café&x=1 y` cannot inject parameters', async () => {
    const server = await cleanup.server();
    const done = clientFor(server).streamHashtag('café&x=1 y', new Recorder());
    const connection = await server.waitForConnection();
    server.endStreams();
    await done;
    const request = server.requests.find((r) => r.path === '/api/v1/streaming/hashtag');
    expect(request?.query).toEqual({ tag: 'café&x=1 y' });
    expect(connection.url).toContain('tag=caf%C3%A9%26x%3D1+y');
  });

  it('a server that never sends response headers fails after requestTimeout instead of hanging', async () => {
    const url = await rawServer(() => {
      // Accept the request and never answer.
    });
    const listener = new Recorder();
    const error = await new Mastodon({ apiBaseUrl: url, accessToken: TOKEN, streamingUrl: url, requestTimeout: 0.2 })
      .streamUser(listener)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toMatch(/^Could not connect to streaming server: /);
    expect(listener.named('onAbort')).toEqual([['onAbort', error]]);
  });

  it('`timeout` bounds the wait for response headers too, when shorter than requestTimeout (listener-port §9.2)', async () => {
    const server = await cleanup.server();
    // Slow headers: the request is accepted and left unanswered for a minute (real time).
    server.failNext({ status: 503, delayMs: 60_000 });
    const clock = new VirtualClock();
    const listener = new Recorder();
    const done = clientFor(server, { clock }).streamUser(listener, { timeout: 2 }).catch((e: unknown) => e);
    // requestTimeout is 300 s; the header wait must be the 2 s of `timeout`.
    const headerWait = await clock.waitForTimer((timer) => timer.delay === 2_000);
    clock.advance(headerWait.delay);
    const error = await done;
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toMatch(/^Could not connect to streaming server: /);
    expect(listener.named('onAbort')).toEqual([['onAbort', error]]);
  });

  it('a read timeout with reconnectAsync keeps the handle alive (Mastodon.py killed the thread) — see async.test.ts for the reconnect', async () => {
    const server = await cleanup.server();
    const listener = new Recorder();
    const handle = await cleanup.handle(
      clientFor(server).streamUser(listener, { runAsync: true, timeout: 0.2, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }),
    );
    await server.waitForConnection();
    server.stall();
    await waitFor(() => listener.count('onAbort') >= 1, 'onAbort after the read timeout');
    expect(handle.isAlive()).toBe(true);
    const aborted = listener.named('onAbort')[0]?.[1];
    expect(aborted).toBeInstanceOf(Error);
    expect(Array.isArray(aborted)).toBe(false);
  });
});
