import { afterEach, describe, expect, it } from 'vitest';
import {
  MastodonIllegalArgumentError,
  MastodonNetworkError,
  MastodonReadTimeout,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  MastodonNotFoundError,
  MastodonRatelimitError,
  MastodonAPIError,
  MastodonMalformedEventError,
  CallbackStreamListener,
  StreamListener,
} from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, sse, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('blocking mode (runAsync: false)', () => {
  it('resolves when the server ends the stream cleanly, after delivering its events', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const done = clientFor(server).streamUser(recorder);
    await server.waitForConnection((c) => c.stream === 'user');
    const status = server.postStatus({ content: '<p>hi</p>' }, { homeOf: ['1001'] });
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(recorder.named('onUpdate').map((call) => (call[1] as { id: string }).id)).toEqual([status.id]);
    expect(recorder.count('onAbort')).toBe(0);
  });

  it('sends the token as a Bearer header, never in the URL', async () => {
    const server = await cleanup.server();
    const done = clientFor(server, { userAgent: 'listener-test/1.0' }).streamUser(new Recorder());
    const connection = await server.waitForConnection();
    expect(connection.headers.authorization).toBe('Bearer peer-test-token');
    expect(connection.headers['user-agent']).toBe('listener-test/1.0');
    expect(connection.url).not.toContain('peer-test-token');
    server.endStreams();
    await done;
  });

  it('rejects with MastodonUnauthorizedError after onAbort on a 401, without retrying', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const error = await clientFor(server, { accessToken: 'no-such-token' })
      .streamUser(recorder)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonUnauthorizedError);
    expect(error).toBeInstanceOf(MastodonAPIError);
    expect((error as MastodonUnauthorizedError).status).toBe(401);
    expect((error as MastodonUnauthorizedError).serverMessage).toBe('Invalid access token');
    expect((error as Error).message).toMatch(/^Could not connect to streaming server: Unauthorized/);
    expect((error as Error).message).not.toContain('no-such-token');
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
    expect(server.requests.filter((r) => r.path === '/api/v1/streaming/user')).toHaveLength(1);
  });

  it('an HTTP error on connect exposes the status, the JSON error text, X-Request-Id and the URL that answered (listener-port §9.3, §11.16)', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503, body: { error: 'Down for maintenance' }, headers: { 'X-Request-Id': 'req-42' } });
    const error = await clientFor(server)
      .streamUser(new Recorder())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonServiceUnavailableError);
    const { status, serverMessage, requestId, url } = error as MastodonServiceUnavailableError;
    expect({ status, serverMessage, requestId, url }).toEqual({ status: 503, serverMessage: 'Down for maintenance', requestId: 'req-42', url: `${server.url}/api/v1/streaming/user` });
  });

  it('a 200 that is not an event stream is a MastodonAPIError naming the URL that answered', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, body: '<html>portal</html>', headers: { 'Content-Type': 'text/html' } });
    const error = await clientFor(server)
      .streamDirect(new Recorder())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonAPIError);
    expect(error).toMatchObject({ status: 200, url: `${server.url}/api/v1/streaming/direct` });
  });

  it('a 204 (no event stream) is a MastodonAPIError with the status the server sent', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 204, body: '' });
    const error = await clientFor(server)
      .streamDirect(new Recorder())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonAPIError);
    expect(error).toMatchObject({ status: 204, url: `${server.url}/api/v1/streaming/direct` });
  });

  it.each([
    [404, MastodonNotFoundError, 'Not Found'],
    [429, MastodonRatelimitError, 'Too Many Requests'],
    [503, MastodonServiceUnavailableError, 'Service Unavailable'],
    [413, MastodonAPIError, 'Payload Too Large'],
  ])('maps HTTP %i on connect to its Mastodon.py class', async (status, type, phrase) => {
    const server = await cleanup.server();
    server.failNext({ status });
    const recorder = new Recorder();
    const error = await clientFor(server).streamUser(recorder).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(`Could not connect to streaming server: ${phrase}`);
    expect((error as { status: number }).status).toBe(status);
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
  });

  it('rejects with MastodonNetworkError("Server ceased communication.") when the connection drops', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const done = clientFor(server).streamUser(recorder);
    await server.waitForConnection();
    server.dropConnections(undefined, { midFrame: true });
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toBe('Server ceased communication.');
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
    // A blocking call never reconnects: onAbort's second argument says the stream ends.
    expect(recorder.willReconnect).toEqual([false]);
    // The half-written event was dropped silently, not dispatched.
    expect(recorder.count('onUpdate')).toBe(0);
  });

  it('rejects with MastodonReadTimeout, a real Error (not a tuple), after `timeout` seconds of silence', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const done = clientFor(server).streamUser(recorder, { timeout: 0.3 });
    await server.waitForConnection();
    server.stall();
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonReadTimeout);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toBe('Timed out while reading from server.');
    const [[, aborted]] = recorder.named('onAbort') as [[string, unknown]];
    expect(aborted).toBe(error);
    expect(Array.isArray(aborted)).toBe(false);
    // Silence after the headers is a failure of the reading, as core's guards and the README promise.
    expect((error as MastodonReadTimeout).phase).toBe('read');
  });

  it('an event beyond maxEventBytes ends the call with a network error of the read phase, after onAbort', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const done = clientFor(server, { streamDefaults: { maxEventBytes: 1_024 } }).streamUser(recorder);
    await server.waitForConnection();
    server.pushRaw(`event: update\ndata: ${'x'.repeat(4_096)}\n\n`);
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect(error).toMatchObject({ code: 'EVENT_TOO_LARGE', phase: 'read' });
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
  });

  it('closes the stream and rejects with the error a handler threw, without onAbort (§9.1, §9.3; Mastodon.py does not call on_abort either)', async () => {
    const server = await cleanup.server();
    const boom = new Error('handler failed');
    class Failing extends Recorder {
      override onUpdate(status: unknown) {
        super.onUpdate(status);
        throw boom;
      }
    }
    const listener = new Failing();
    const done = clientFor(server).streamUser(listener);
    const connection = await server.waitForConnection();
    server.postStatus({}, { homeOf: ['1001'] });
    await expect(done).rejects.toBe(boom);
    expect(listener.count('onAbort')).toBe(0);
    await connection.closed;
    expect(connection.isClosed).toBe(true);
  });

  it('rejects with the same error when an async handler rejects', async () => {
    const server = await cleanup.server();
    const boom = new Error('async handler failed');
    const listener = new (class extends StreamListener {
      override async onDelete() {
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw boom;
      }
    })();
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(sse('delete', '1'));
    await expect(done).rejects.toBe(boom);
  });

  it('a handleHeartbeat that throws rejects the call with that error, without onAbort', async () => {
    const server = await cleanup.server();
    const boom = new Error('heartbeat handler failed');
    const listener = new (class extends Recorder {
      override handleHeartbeat() {
        super.handleHeartbeat();
        throw boom;
      }
    })();
    const done = clientFor(server).streamUser(listener);
    // The opening `:)` is the first heartbeat.
    await expect(done).rejects.toBe(boom);
    expect(listener.count('onAbort')).toBe(0);
  });

  it("CallbackStreamListener's 'received bad update' takes the malformed-event policy, not the handler-error one (§8, §9.1, §9.3)", async () => {
    const server = await cleanup.server();
    const seen: string[] = [];
    class Listener extends CallbackStreamListener {
      override onError(error: Error) {
        seen.push(`onError ${(error as MastodonMalformedEventError).reason}`);
      }
      override onAbort(error: Error) {
        seen.push(`onAbort ${(error as MastodonMalformedEventError).reason}`);
      }
    }
    const handlers = { updateHandler: (s: { id: string }) => void seen.push(`update ${s.id}`), localUpdateHandler: () => {} };
    // Default policy: reported to onError, the stream goes on to its clean end.
    const done = clientFor(server).streamUser(new Listener(handlers));
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"id":"1"}') + sse('update', '{"id":"2","account":{"acct":"alice"}}'));
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    expect(seen).toEqual(['update 1', 'onError received bad update', 'update 2']);
    // malformedEvents: 'abort': onAbort, then the call rejects with it.
    seen.length = 0;
    const other = await cleanup.server();
    const aborting = clientFor(other).streamUser(new Listener(handlers), { malformedEvents: 'abort' });
    await other.waitForConnection();
    other.pushRaw(sse('update', '{"id":"3"}'));
    const error = await aborting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonMalformedEventError);
    expect(seen).toEqual(['update 3', 'onAbort received bad update']);
  });

  it('rejects with the very value a handler threw, even one that is not an Error (§9.1: "rejects with that error")', async () => {
    const server = await cleanup.server();
    const thrown = { not: 'an Error' };
    const listener = new (class extends Recorder {
      override onDelete(): void {
        throw thrown;
      }
    })();
    const done = clientFor(server).streamUser(listener);
    await server.waitForConnection();
    server.pushRaw(sse('delete', '1'));
    await expect(done).rejects.toBe(thrown);
    // The same through a listener hook that core raises (the opening `:)`).
    const heartbeat = new (class extends Recorder {
      override handleHeartbeat(): void {
        throw 'plain string';
      }
    })();
    await expect(clientFor(server).streamUser(heartbeat)).rejects.toBe('plain string');
    expect(listener.count('onAbort') + heartbeat.count('onAbort')).toBe(0);
  });

  it('rejects with the abort reason when its signal aborts, without calling onAbort', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const controller = cleanup.controller();
    const done = clientFor(server).streamUser(recorder, { signal: controller.signal });
    const connection = await server.waitForConnection();
    const reason = new Error('stop now');
    controller.abort(reason);
    await expect(done).rejects.toBe(reason);
    await connection.closed;
    expect(recorder.count('onAbort')).toBe(0);
  });

  it('rejects bad arguments with MastodonIllegalArgumentError before any request', async () => {
    const server = await cleanup.server();
    const mastodon = clientFor(server);
    const listener = new Recorder();
    // (The types refuse it too; plain JavaScript gets the run time's refusal.)
    await expect(mastodon.streamPublic(listener, { local: true, remote: true } as never)).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    await expect(mastodon.streamHashtag('#rust', listener)).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    await expect(mastodon.streamHashtag('', listener)).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    await expect(mastodon.streamList('', listener)).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    await expect(mastodon.streamUser(listener, { timeout: -1 })).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    for (const runAsync of [false, true] as const) {
      await expect(mastodon.streamUser(listener, { signal: {} as AbortSignal, runAsync })).rejects.toThrow(new MastodonIllegalArgumentError('signal must be an AbortSignal'));
      const listenOnly = { aborted: false, addEventListener() {} } as unknown as AbortSignal;
      await expect(mastodon.streamUser(listener, { signal: listenOnly, runAsync })).rejects.toThrow(new MastodonIllegalArgumentError('signal must be an AbortSignal'));
    }
    // Python's positional run_async / local would otherwise be dropped silently: a blocking user stream, a federated hashtag.
    const optionsError = new MastodonIllegalArgumentError('options must be an object');
    await expect(mastodon.streamUser(listener, true as never)).rejects.toThrow(optionsError);
    await expect(mastodon.streamHashtag('rust', listener, true as never)).rejects.toThrow(optionsError);
    await expect(mastodon.streamList('42', listener, 'runAsync' as never)).rejects.toThrow(optionsError);
    // listener-port.md §9.1: in async mode too the call rejects (before a handle exists); it does not throw.
    const asyncCall = mastodon.streamPublic(listener, { local: true, remote: true, runAsync: true } as never);
    await expect(asyncCall).rejects.toBeInstanceOf(MastodonIllegalArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('does not reconnect in blocking mode even with reconnectAsync (as in Mastodon.py)', async () => {
    const server = await cleanup.server();
    // @ts-expect-error the types say it does nothing in blocking mode; a JavaScript caller's value is ignored, as in Mastodon.py
    const done = clientFor(server).streamUser(new Recorder(), { reconnectAsync: true, reconnectAsyncWaitSec: 0.05 });
    await server.waitForConnection();
    server.endStreams();
    await expect(done).resolves.toBeUndefined();
    await waitFor(() => server.connections.length === 0, 'the connection to close');
    expect(server.totalConnections).toBe(1);
  });
});
