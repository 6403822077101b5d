// listener-port.md rules that no other test file proved, by section. Each test names the rule it holds.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CallbackStreamListener,
  Mastodon,
  MastodonAPIError,
  MastodonBadGatewayError,
  MastodonError,
  MastodonGatewayTimeoutError,
  MastodonIllegalArgumentError,
  MastodonInternalServerError,
  MastodonIOError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonNotFoundError,
  MastodonRatelimitError,
  MastodonReadTimeout,
  MastodonServerError,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  MastodonVersionError,
  MastodonWarning,
  StreamListener,
} from '@tootstream/listener';
import { Cleanup, clientFor, delay, Recorder, sse, TOKEN, waitFor } from './support/harness.js';
// Core's virtual clock: the listener hands its clock to core, so both run on one.
import { VirtualClock } from '../../core/test/support/virtual-clock.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

const streamRequests = (server: { requests: ReadonlyArray<{ path: string }> }) => server.requests.filter((r) => r.path.startsWith('/api/v1/streaming/'));

/** A port on 127.0.0.1 where nothing listens (connects are refused). */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('§1 error classes: the same inheritance as Mastodon.py, at run time', () => {
  it('each class is an instance of its Mastodon.py parents, and MastodonRatelimitError is not an API error', () => {
    const details = { status: 500 };
    const chain: [Error, unknown[]][] = [
      [new MastodonReadTimeout(), [MastodonNetworkError, MastodonIOError, MastodonError]],
      [new MastodonNotFoundError('m', details), [MastodonAPIError, MastodonError]],
      [new MastodonUnauthorizedError('m', details), [MastodonAPIError, MastodonError]],
      [new MastodonInternalServerError('m', details), [MastodonServerError, MastodonAPIError, MastodonError]],
      [new MastodonBadGatewayError('m', details), [MastodonServerError, MastodonAPIError]],
      [new MastodonServiceUnavailableError('m', details), [MastodonServerError, MastodonAPIError]],
      [new MastodonGatewayTimeoutError('m', details), [MastodonServerError, MastodonAPIError]],
      [new MastodonRatelimitError('m', { status: 429 }), [MastodonError]],
      [new MastodonMalformedEventError('Bad JSON'), [MastodonError]],
      [new MastodonIllegalArgumentError('m'), [MastodonError]],
      [new MastodonVersionError('m'), [MastodonError]],
    ];
    for (const [error, parents] of chain) for (const parent of parents) expect(error).toBeInstanceOf(parent as new () => Error);
    expect(new MastodonRatelimitError('m', { status: 429 })).not.toBeInstanceOf(MastodonAPIError);
    expect(new MastodonNetworkError('m')).not.toBeInstanceOf(MastodonAPIError);
  });
});

describe('§2 stream methods', () => {
  it('request paths: user, public, hashtag, direct (the others are in client.test.ts)', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    const listener = new Recorder();
    const handles = await Promise.all(
      [
        mastodon.streamUser(listener, { runAsync: true }),
        mastodon.streamPublic(listener, { runAsync: true }),
        mastodon.streamHashtag('rust', listener, { runAsync: true }),
        mastodon.streamDirect(listener, { runAsync: true }),
      ].map((call) => cleanup.handle(call)),
    );
    await server.waitForConnectionCount(handles.length);
    expect(server.connections.map((c) => c.url).sort()).toEqual(
      ['/api/v1/streaming/user', '/api/v1/streaming/public', '/api/v1/streaming/hashtag?tag=rust', '/api/v1/streaming/direct'].sort(),
    );
  });

  it('§11.24: argument errors come before any request, discovery, the version check and the feed lookup included', async () => {
    const server = await cleanup.server();
    // No streamingUrl: a stream would discover its host first; versionCheckMode would ask the instance.
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, versionCheckMode: 'created' });
    const listener = new Recorder();
    for (const runAsync of [false, true]) {
      const calls = [
        mastodon.streamPublic(listener, { local: true, remote: true, runAsync } as never),
        mastodon.streamHashtag('#rust', listener, { runAsync }),
        mastodon.streamHashtag('', listener, { local: true, runAsync }),
        mastodon.streamList('', listener, { runAsync }),
        mastodon.streamList({ id: '' }, listener, { runAsync }),
      ];
      for (const call of calls) await expect(call).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    }
    await delay(50);
    expect(server.requests).toEqual([]);
    expect(listener.calls).toEqual([]);
  });

  describe('availability warning', () => {
    async function warningsFor(
      setup: { access: object; accessToken?: string | undefined },
      start: (mastodon: Mastodon, listener: Recorder) => Promise<{ close(): Promise<void> }>,
    ): Promise<MastodonWarning[]> {
      const server = await cleanup.server();
      server.failNext({ status: 200, paths: 'rest', body: { configuration: { timelines_access: setup.access } } });
      const warnings: MastodonWarning[] = [];
      const mastodon = new Mastodon({ apiBaseUrl: server.url, streamingUrl: server.url, accessToken: setup.accessToken, onWarning: (w) => void warnings.push(w) });
      const handle = await start(mastodon, new Recorder());
      // The warning is made before the first connect, so once a connection exists it has been made (or not).
      await waitFor(() => server.requests.some((r) => r.path.startsWith('/api/v1/streaming/')), 'the stream request');
      await handle.close();
      return warnings;
    }

    it("'authenticated' counts as available with a token and not without one", async () => {
      const access = { live_feeds: { local: 'authenticated', remote: 'disabled' } };
      const local = (m: Mastodon, r: Recorder) => m.streamPublic(r, { local: true, runAsync: true });
      expect(await warningsFor({ access, accessToken: TOKEN }, local)).toEqual([]);
      const without = await warningsFor({ access, accessToken: undefined }, local);
      expect(without).toHaveLength(1);
      expect(without[0]).toBeInstanceOf(MastodonWarning);
    });

    it('the remote stream reads the remote sub-key; the non-local hashtag stream is available if either sub-key is', async () => {
      const remote = (m: Mastodon, r: Recorder) => m.streamPublic(r, { remote: true, runAsync: true });
      expect(await warningsFor({ access: { live_feeds: { local: 'public', remote: 'disabled' } }, accessToken: TOKEN }, remote)).toHaveLength(1);
      expect(await warningsFor({ access: { live_feeds: { local: 'disabled', remote: 'public' } }, accessToken: TOKEN }, remote)).toEqual([]);
      const tag = (m: Mastodon, r: Recorder) => m.streamHashtag('rust', r, { runAsync: true });
      expect(await warningsFor({ access: { hashtag_feeds: { local: 'disabled', remote: 'public' } }, accessToken: TOKEN }, tag)).toEqual([]);
      expect(await warningsFor({ access: { hashtag_feeds: { local: 'disabled', remote: 'disabled' } }, accessToken: TOKEN }, tag)).toHaveLength(1);
    });

    it('a failed lookup counts as available: no warning, and the stream connects', async () => {
      const server = await cleanup.server();
      server.failNext({ status: 500, paths: 'rest', times: 2 });
      const warnings: MastodonWarning[] = [];
      const handle = await cleanup.handle(clientFor(server, { onWarning: (w) => void warnings.push(w) }).streamPublic(new Recorder(), { local: true, runAsync: true }));
      await server.waitForConnection();
      expect(server.requests.filter((r) => r.path.endsWith('/instance')).map((r) => r.status)).toEqual([500, 500]);
      expect(warnings).toEqual([]);
      expect(handle.isAlive()).toBe(true);
    });
  });
});

describe('§4 streaming base URL and streamHealthy', () => {
  it('ws:// becomes http://, one trailing slash is stripped, an advertised path is kept', async () => {
    for (const [advertised, base] of [
      ['ws://stream.example/', 'http://stream.example'],
      ['wss://stream.example/streaming/', 'https://stream.example/streaming'],
    ] as const) {
      const server = await cleanup.server({ advertisedStreamingUrl: advertised });
      await expect(new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN }).streamingBaseUrl()).resolves.toBe(base);
    }
  });

  it('§10.6: the instance document (version check, feed warning) is cached per client, and clearCaches() forgets it', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server, { versionCheckMode: 'created' });
    const instanceRequests = () => server.requests.filter((r) => r.path === '/api/v2/instance').length;
    for (const start of [() => mastodon.streamUser(new Recorder(), { runAsync: true }), () => mastodon.streamPublic(new Recorder(), { runAsync: true })]) {
      await (await cleanup.handle(start())).close();
    }
    expect(instanceRequests()).toBe(1);
    mastodon.clearCaches();
    await (await cleanup.handle(mastodon.streamDirect(new Recorder(), { runAsync: true }))).close();
    expect(instanceRequests()).toBe(2);
  });

  it('streamHealthy(): a REST call to {base}/api/v1/streaming/health with Authorization and User-Agent; `success` is true too', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server, { userAgent: 'spec-test/1' });
    await expect(mastodon.streamHealthy()).resolves.toBe(true);
    const [request] = server.requests.filter((r) => r.path === '/api/v1/streaming/health');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['user-agent']).toBe('spec-test/1');
    server.failNext({ status: 200, body: 'success', paths: 'all' });
    await expect(mastodon.streamHealthy()).resolves.toBe(true);
    server.failNext({ status: 200, body: 'OK\n', paths: 'all' });
    await expect(mastodon.streamHealthy()).resolves.toBe(false);
  });

  it('streamHealthy(): 404 → MastodonNotFoundError, 429 → MastodonRatelimitError, refused → MastodonNetworkError', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 404, paths: 'all' });
    await expect(clientFor(server).streamHealthy()).rejects.toBeInstanceOf(MastodonNotFoundError);
    server.failNext({ status: 429, paths: 'all' });
    await expect(clientFor(server).streamHealthy()).rejects.toBeInstanceOf(MastodonRatelimitError);
    const url = await refusedUrl();
    await expect(new Mastodon({ apiBaseUrl: url, streamingUrl: url, accessToken: TOKEN }).streamHealthy()).rejects.toBeInstanceOf(MastodonNetworkError);
  });
});

describe('streamHealthy() errors carry what the stream errors carry', () => {
  it('retryAfterMs from Retry-After (a proxy) or X-RateLimit-Reset (Mastodon), and the url that answered', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503, body: { error: 'maintenance' }, headers: { 'retry-after': '7' }, paths: 'all' });
    const unavailable = await clientFor(server).streamHealthy().catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(MastodonServiceUnavailableError);
    expect(unavailable).toMatchObject({ retryAfterMs: 7_000, url: `${server.url}/api/v1/streaming/health` });
    const reset = new Date(Date.now() + 30_000).toISOString();
    server.failNext({ status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, paths: 'all' });
    const limited = (await clientFor(server).streamHealthy().catch((error: unknown) => error)) as MastodonRatelimitError;
    expect(limited).toBeInstanceOf(MastodonRatelimitError);
    expect(limited.retryAfterMs).toBeGreaterThan(25_000);
    // Measured from the answer's Date, which has whole seconds: up to a second longer, never shorter.
    expect(limited.retryAfterMs).toBeLessThanOrEqual(31_000);
  });
});

describe('§7 parser contract', () => {
  it('a comment line inside an event is a heartbeat and leaves the pending event untouched', async () => {
    const server = await cleanup.server();
    const listener = new Recorder();
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.trickle(true);
    server.pushRaw('event: update\n:thump\ndata: {"a":\n:)\ndata: 1}\n\n');
    server.endStreams();
    await done;
    expect(listener.events()).toEqual([['onUpdate', { a: 1 }, ['user']]]);
    expect(listener.count('handleHeartbeat')).toBe(3);
  });

  it('§10.24: a partial event at the end of a clean stream is dropped silently, and the call resolves', async () => {
    const server = await cleanup.server();
    const listener = new Recorder();
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(sse('delete', '1') + 'event: update\ndata: {"a":1}\n');
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(listener.events()).toEqual([['onDelete', '1', ['user']]]);
  });

  it('id: and retry: have no effect: no Last-Event-ID on the reconnect, and the wait is still reconnectAsyncWaitSec', async () => {
    const server = await cleanup.server();
    const listener = new Recorder();
    const waitSec = 0.3;
    const handle = await cleanup.handle(clientFor(server).streamUser(listener, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: waitSec }));
    const first = await server.waitForConnection();
    server.pushRaw('id: 42\nretry: 1\n' + sse('delete', '1'));
    await waitFor(() => listener.count('onDelete') === 1, 'the delete');
    const droppedAt = Date.now();
    server.dropConnections();
    const second = await server.waitForConnection((c) => c.id !== first.id);
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(waitSec * 1000 - 5);
    expect(second.headers['last-event-id']).toBeUndefined();
    expect(handle.isAlive()).toBe(true);
  });
});

describe('§6 dispatch', () => {
  it('a handler stored on the listener itself (own property) is found; one on Object.prototype never is', async () => {
    const server = await cleanup.server();
    const listener = new Recorder() as Recorder & { onBlahblah?: (payload: unknown) => void };
    listener.onBlahblah = (payload) => void listener.calls.push(['own onBlahblah', payload]);
    const polluted = Object.prototype as { onFooBar?: unknown };
    polluted.onFooBar = () => {
      throw new Error('Object.prototype must not be searched');
    };
    try {
      const done = clientFor(server).streamUser(listener);
      await server.waitForConnection();
      server.pushRaw(sse('blahblah', '{"x":1}') + sse('foo.bar', '{"y":2}'));
      server.endStreams();
      await done;
    } finally {
      delete polluted.onFooBar;
    }
    expect(listener.events()).toEqual([
      ['own onBlahblah', { x: 1 }],
      ['onUnknownEvent', 'foo.bar', { y: 2 }, ['user']],
    ]);
  });
});

describe('§8 CallbackStreamListener', () => {
  it('encryptedMessageHandler (the right spelling) is called; it wins over the misspelt alias', async () => {
    const server = await cleanup.server();
    const calls: unknown[] = [];
    const listener = new CallbackStreamListener({
      encryptedMessageHandler: (payload) => void calls.push(['right', payload]),
      encrytedMessageHandler: (payload) => void calls.push(['alias', payload]),
    });
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(sse('encrypted_message', '{"e":1}'));
    server.endStreams();
    await done;
    expect(calls).toEqual([['right', { e: 1 }]]);
  });

  it('without localUpdateHandler there is no locality check: a status without account is no error', async () => {
    const server = await cleanup.server();
    const updates: unknown[] = [];
    class Listener extends CallbackStreamListener {
      errors: Error[] = [];
      override onError(error: Error) {
        this.errors.push(error);
      }
    }
    const listener = new Listener({ updateHandler: (s) => void updates.push(s) });
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"id":"1"}') + sse('update', '{"id":"2","account":{}}'));
    server.endStreams();
    await done;
    expect(updates).toEqual([{ id: '1' }, { id: '2', account: {} }]);
    expect(listener.errors).toEqual([]);
  });

  it("an account without acct is 'received bad update' too", async () => {
    const server = await cleanup.server();
    const errors: MastodonMalformedEventError[] = [];
    class Listener extends CallbackStreamListener {
      override onError(error: Error) {
        errors.push(error as MastodonMalformedEventError);
      }
    }
    const done = clientFor(server).streamUser(new Listener({ localUpdateHandler: () => {} }));
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"id":"2","account":{}}'));
    server.endStreams();
    await done;
    expect(errors.map((e) => [e.constructor, e.reason])).toEqual([[MastodonMalformedEventError, 'received bad update']]);
  });

  it('with no callbacks at all, every event is skipped silently', async () => {
    const server = await cleanup.server();
    const errors: Error[] = [];
    class Listener extends CallbackStreamListener {
      override onError(error: Error) {
        errors.push(error);
      }
    }
    const done = clientFor(server).streamUser(new Listener());
    await server.waitForConnection();
    server.pushRaw(
      [
        sse('update', '{"id":"1","account":{"acct":"a"}}'),
        sse('delete', '1'),
        sse('notification', '{"id":"1"}'),
        sse('conversation', '{"id":"1"}'),
        sse('status.update', '{"id":"1"}'),
        'event: filters_changed\n\n',
        sse('announcement', '{"id":"1"}'),
        sse('announcement.reaction', '{"name":"x","count":1,"announcement_id":"1"}'),
        sse('announcement.delete', '1'),
        sse('encrypted_message', '{}'),
        sse('notifications_merged', '1'),
        sse('fork.event', '{}'),
      ].join(''),
    );
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });
});

describe('§9.1 modes', () => {
  it('async, no reconnectAsync: an HTTP error on connect calls onAbort and ends the loop, without a retry', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503, times: 5 });
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsyncWaitSec: 0.05 }));
    await handle.closed;
    expect(handle.isAlive()).toBe(false);
    expect(handle.error).toBeInstanceOf(MastodonServiceUnavailableError);
    expect(recorder.named('onAbort')).toEqual([['onAbort', handle.error]]);
    await delay(150);
    expect(streamRequests(server)).toHaveLength(1);
  });

  it("async, malformedEvents: 'abort' without reconnectAsync: onAbort(err), then the loop ends; nothing after the bad event is dispatched", async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, malformedEvents: 'abort' }));
    await server.waitForConnection();
    // One write: how the bytes are split must not decide whether the delete is dispatched (§7, §12 case 10).
    server.pushRaw(sse('update', '{"broken":') + ':thump\n' + sse('delete', '1'));
    await handle.closed;
    expect(handle.error).toBeInstanceOf(MastodonMalformedEventError);
    expect(recorder.calls.slice(1)).toEqual([['onAbort', handle.error]]);
    expect(server.totalConnections).toBe(1);
  });

  it("blocking, malformedEvents: 'abort': events after the bad one in the same read are not dispatched either", async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const done = clientFor(server).streamUser(recorder, { malformedEvents: 'abort' });
    await server.waitForConnection();
    server.pushRaw(sse('delete', '0') + sse('update', '{"broken":') + ':thump\n' + sse('delete', '1'));
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonMalformedEventError);
    expect(recorder.calls.slice(1)).toEqual([['onAnyEvent', 'delete', '0', ['user']], ['onDelete', '0', ['user']], ['onAbort', error]]);
  });

  it('blocking: a signal aborted without a reason rejects with an AbortError', async () => {
    const server = await cleanup.server();
    const controller = cleanup.controller();
    const recorder = new Recorder();
    const done = clientFor(server).streamUser(recorder, { signal: controller.signal });
    await server.waitForConnection();
    controller.abort();
    const error = await done.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(recorder.count('onAbort')).toBe(0);
  });
});

/** A reconnect wait, not the 300 s header wait (requestTimeout) of a connect. */
const isReconnectWait = (timer: { delay: number }) => timer.delay >= 5_000 && timer.delay <= 60_000;

describe('§9.2 timing (virtual clock)', () => {
  it('default timeout: 300 s of silence on a connection that never heartbeated, then MastodonReadTimeout', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const done = clientFor(server, { clock }).streamUser(recorder).catch((e: unknown) => e);
    const connection = await server.waitForConnection();
    await waitFor(() => recorder.count('handleHeartbeat') === 1, 'the opening `:)`');
    server.stall();
    clock.advance(299_999);
    await delay(20);
    expect(connection.isClosed).toBe(false);
    expect(recorder.count('onAbort')).toBe(0);
    clock.advance(1);
    expect(await done).toBeInstanceOf(MastodonReadTimeout);
  });

  it('reconnect: default wait 5 s with full jitter, the bound doubling per failure up to 60 s, started over by a connection that delivered', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    // random() = 1 - ε puts every delay at its bound (full jitter: floor + random × (bound - floor)).
    const recorder = new Recorder();
    const mastodon = clientFor(server, { clock, random: () => 0.999_999 });
    server.failNext({ status: 503, times: 5 });
    const handle = await cleanup.handle(mastodon.streamUser(recorder, { runAsync: true, reconnectAsync: true }));
    const bounds: number[] = [];
    for (let failure = 0; failure < 5; failure++) {
      const timer = await clock.waitForTimer(isReconnectWait);
      bounds.push(Math.round(timer.delay / 1000));
      clock.advance(timer.delay);
    }
    expect(bounds).toEqual([10, 20, 40, 60, 60]);
    const connection = await server.waitForConnection();
    server.pushRaw(sse('delete', '1'));
    await waitFor(() => recorder.count('onDelete') === 1, 'an event');
    server.dropConnections();
    await connection.closed;
    const after = await clock.waitForTimer(isReconnectWait);
    expect(Math.round(after.delay / 1000)).toBe(10);
    expect(handle.isAlive()).toBe(true);
  });

  it('reconnect: the floor of every wait is reconnectAsyncWaitSec (random() = 0), after a failed connect too', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    server.failNext({ status: 503, times: 2 });
    await cleanup.handle(clientFor(server, { clock, random: () => 0 }).streamUser(new Recorder(), { runAsync: true, reconnectAsync: true }));
    for (let failure = 0; failure < 2; failure++) {
      const timer = await clock.waitForTimer(isReconnectWait);
      expect(timer.delay).toBe(5_000);
      clock.advance(timer.delay);
    }
    await server.waitForConnection();
  });
});

describe('§9.3 errors', () => {
  it('another non-200 status is a plain MastodonAPIError; a 200 that is not text/event-stream too', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 403 });
    const forbidden = await clientFor(server).streamUser(new Recorder()).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(MastodonAPIError);
    expect(forbidden).not.toBeInstanceOf(MastodonNotFoundError);
    expect(forbidden).not.toBeInstanceOf(MastodonUnauthorizedError);
    expect(forbidden).not.toBeInstanceOf(MastodonServerError);
    expect((forbidden as MastodonAPIError).status).toBe(403);
    expect((forbidden as Error).message).toMatch(/^Could not connect to streaming server: Forbidden/);
    server.failNext({ status: 200, body: '<html>captive portal</html>' });
    const wrongType = await clientFor(server).streamUser(new Recorder()).catch((e: unknown) => e);
    expect(wrongType).toBeInstanceOf(MastodonAPIError);
  });

  it('a refused connection is MastodonNetworkError with the original failure in its cause chain', async () => {
    const url = await refusedUrl();
    const recorder = new Recorder();
    const error = await new Mastodon({ apiBaseUrl: url, streamingUrl: url, accessToken: TOKEN })
      .streamUser(recorder)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(error).not.toBeInstanceOf(MastodonReadTimeout);
    expect((error as Error).message).toMatch(/^Could not connect to streaming server: /);
    expect((error as MastodonNetworkError).reason).toContain('ECONNREFUSED');
    // README ("What we deliberately do differently"): `cause` is core's error, whose own `cause` is the original failure.
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).cause).toBeInstanceOf(TypeError);
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
  });
});

describe('§5 StreamListener', () => {
  it('every handler defaults to a no-op (onError logs): a bare StreamListener takes every event', async () => {
    const server = await cleanup.server();
    const done = clientFor(server).streamUser(new StreamListener());
    await server.waitForConnection();
    server.pushRaw(sse('update', '{}') + sse('delete', '1') + sse('fork.event', 'x') + ':thump\n' + sse('notifications_merged', '1'));
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
  });
});
