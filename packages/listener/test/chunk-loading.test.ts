import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cleanup, Recorder, sse, TOKEN, waitFor } from './support/harness.js';

// The listener's rare paths are chunks it imports on first use: the instance checks (the feed warning, the version
// gate, streamHealthy), the rare-paths chunk (the dispatch of events core does not know, handleStream, the mapping of
// server errors), the restart after a malformed-event abort. In a browser each import is a request and fails when the
// network does (an offline page): that must be a network error, or, where the chunk only adds a check that is never
// fatal, no error at all; never a bare TypeError.

const offline = () => new TypeError('Failed to fetch dynamically imported module: https://app.example/chunk-3F2A.js');
const cleanup = new Cleanup();
let failedImports = 0;

afterEach(async () => {
  vi.doUnmock('../src/instance-checks.js');
  vi.doUnmock('../src/rare-paths.js');
  vi.doUnmock('../src/restart.js');
  vi.resetModules();
  failedImports = 0;
  await cleanup.dispose();
});

/** The listener's modules loaded afresh, with `chunk` failing to load the first `failures` times. */
async function listenerWithFailingChunk(chunk: string, failures = 1) {
  vi.resetModules();
  vi.doMock(chunk, async (importOriginal) => {
    if (failedImports++ < failures) throw offline();
    return importOriginal();
  });
  return import('../src/index.js');
}

describe('an on-demand chunk that fails to load', () => {
  it('the instance checks: a public stream still starts (the warning is never fatal) and streams', async () => {
    const { Mastodon } = await listenerWithFailingChunk('../src/instance-checks.js');
    const server = await cleanup.server();
    const recorder = new Recorder();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, streamingUrl: server.url });
    const handle = await cleanup.handle(mastodon.streamPublic(recorder, { runAsync: true }));
    await server.waitForConnection();
    const status = server.postStatus();
    await waitFor(() => recorder.count('onUpdate') === 1, 'the update');
    expect(recorder.named('onUpdate')[0]?.[1]).toMatchObject({ id: status.id });
    expect(recorder.count('onAbort')).toBe(0);
    expect(handle.isAlive()).toBe(true);
    expect(failedImports).toBe(1);
  });

  it('the instance checks: with versionCheckMode, the gate passes as when the instance does not answer', async () => {
    const { Mastodon } = await listenerWithFailingChunk('../src/instance-checks.js');
    const server = await cleanup.server();
    const recorder = new Recorder();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, streamingUrl: server.url, versionCheckMode: 'created' });
    const handle = await cleanup.handle(mastodon.streamDirect(recorder, { runAsync: true }));
    const connection = await server.waitForConnection();
    expect(connection.stream).toBe('direct');
    expect(recorder.count('onAbort')).toBe(0);
    expect(handle.isAlive()).toBe(true);
    expect(failedImports).toBe(1);
  });

  it('streamHealthy() rejects with the listener\'s MastodonNetworkError, the loader\'s error as its cause', async () => {
    const { Mastodon, MastodonNetworkError } = await listenerWithFailingChunk('../src/instance-checks.js');
    const server = await cleanup.server();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
    const error = await mastodon.streamHealthy().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonNetworkError);
    // The message is the loader's (vitest's wraps the one the mock threw, which a browser's would name the chunk's URL).
    expect(error).toMatchObject({ code: 'NETWORK', message: (error as { cause: Error }).cause.message });
    // The next call loads it.
    await expect(mastodon.streamHealthy()).resolves.toBe(true);
  });

  it('the dispatch of an unknown event: onError gets a MastodonNetworkError, and the stream goes on (blocking mode too)', async () => {
    const { Mastodon, MastodonNetworkError } = await listenerWithFailingChunk('../src/rare-paths.js');
    const server = await cleanup.server();
    const recorder = new Recorder();
    const controller = new AbortController();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, streamingUrl: server.url });
    const run = mastodon.streamUser(recorder, { signal: controller.signal });
    await server.waitForConnection();
    server.publish('user', 'fork.event', '{"a":1}');
    await waitFor(() => recorder.count('onError') === 1, 'the report');
    expect(recorder.named('onError')[0]?.[1]).toBeInstanceOf(MastodonNetworkError);
    server.publish('user', 'fork.event', '{"a":2}');
    const status = server.postStatus({}, { account: 'alice' });
    await waitFor(() => recorder.count('onUpdate') === 1, 'the update after it');
    expect(recorder.named('onUpdate')[0]?.[1]).toMatchObject({ id: status.id });
    expect(recorder.named('onUnknownEvent').map((call) => call[2])).toEqual([{ a: 2 }]);
    expect(recorder.count('onAbort')).toBe(0);
    controller.abort('done');
    // A blocking call whose signal aborts rejects with the signal's reason (README, "Run modes"): here, not before.
    await expect(run).rejects.toBe('done');
  });

  it("the restart after a malformed-event abort (reconnectAsync): the handle stops after onAbort gets the listener's MastodonNetworkError", async () => {
    const { Mastodon, MastodonMalformedEventError, MastodonNetworkError } = await listenerWithFailingChunk('../src/restart.js');
    const server = await cleanup.server();
    const recorder = new Recorder();
    const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, streamingUrl: server.url });
    const handle = await cleanup.handle(mastodon.streamUser(recorder, { runAsync: true, malformedEvents: 'abort', reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }));
    await server.waitForConnection();
    server.pushRaw(sse('update', '{"broken":'));
    await waitFor(() => recorder.count('onAbort') === 2, 'both aborts');
    const aborts = recorder.named('onAbort').map((call) => call[1]);
    expect(aborts[0]).toBeInstanceOf(MastodonMalformedEventError);
    expect(aborts[1]).toBeInstanceOf(MastodonNetworkError);
    await waitFor(() => !handle.isAlive(), 'the handle to stop');
  });

  it('handleStream(): rejects with the listener\'s MastodonNetworkError', async () => {
    const { MastodonNetworkError, StreamListener } = await listenerWithFailingChunk('../src/rare-paths.js');
    const body = new Response(':)\n\n').body as ReadableStream<Uint8Array>;
    const error = await new StreamListener().handleStream(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MastodonNetworkError);
  });
});
