import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { MastodonVersionError } from '@tootstream/listener';
import { Cleanup, clientFor, delay, Recorder, TOKEN, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

const streamRequests = (server: { requests: ReadonlyArray<{ path: string }> }) => server.requests.filter((r) => r.path.startsWith('/api/v1/streaming/'));
const instanceRequests = (server: { requests: ReadonlyArray<{ path: string }> }) => server.requests.filter((r) => r.path.endsWith('/instance'));

describe('versionCheckMode', () => {
  it("'none' (the default) asks the instance nothing and connects to any version", async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '1.0.0' } });
    const done = clientFor(server).streamDirect(new Recorder());
    await server.waitForConnection();
    server.endStreams();
    await done;
    expect(instanceRequests(server)).toHaveLength(0);
  });

  it("'created' lets a new enough server through", async () => {
    const server = await cleanup.server();
    const done = clientFor(server, { versionCheckMode: 'created' }).streamDirect(new Recorder());
    await server.waitForConnection();
    server.endStreams();
    await done;
    expect(instanceRequests(server)).toHaveLength(1);
  });

  it('a server too old for the stream: the call rejects with MastodonVersionError before any stream request, and onAbort is not called (no stream was aborted)', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '2.5.9' } });
    const listener = new Recorder();
    const error = await clientFor(server, { versionCheckMode: 'created' })
      .streamDirect(listener)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonVersionError);
    expect((error as Error).message).toContain('2.6.0');
    expect(listener.calls).toEqual([]);
    expect(streamRequests(server)).toHaveLength(0);
  });

  it('the error quotes the server version without the token, if the version echoes it', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: `2.5.9 (${TOKEN}; Authorization: Bearer ${TOKEN})` } });
    const error = await clientFor(server, { versionCheckMode: 'created' })
      .streamDirect(new Recorder())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonVersionError);
    expect((error as Error).message).toBe(
      "Version check failed (streamDirect needs version 2.6.0, the server has 2.5.9 ([redacted]; Authorization: Bearer [redacted]); versionCheckMode 'none' skips the check)",
    );
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it.each([
    ['streamUserNotification', '1.4.1', '1.4.2', (mastodon: ReturnType<typeof clientFor>) => mastodon.streamUserNotification(new Recorder())],
    ['streamHealthy', '2.4.0', '2.5.0', (mastodon: ReturnType<typeof clientFor>) => mastodon.streamHealthy()],
  ])('the error names the call, %s, and how to skip the check', async (call, version, required, run) => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version } });
    const error = await run(clientFor(server, { versionCheckMode: 'created' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MastodonVersionError);
    expect((error as Error).message).toBe(`Version check failed (${call} needs version ${required}, the server has ${version}; versionCheckMode 'none' skips the check)`);
  });

  it("'changed' compares with the second version: 1.2.0 passes for streamUser when 'created', fails when 'changed'", async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '1.2.0+glitch' }, times: 2 });
    const changed = clientFor(server, { versionCheckMode: 'changed' });
    await expect(changed.streamUser(new Recorder())).rejects.toBeInstanceOf(MastodonVersionError);
    const created = clientFor(server, { versionCheckMode: 'created' }).streamUser(new Recorder());
    await server.waitForConnection();
    server.endStreams();
    await expect(created).resolves.toBeUndefined();
  });

  it.each([
    // Hometown: its own version, then Mastodon's, which the gate is about (Mastodon.py reads it so too).
    ['1.0.7+3.5.3', true],
    ['2.5.0+glitch', false],
    // A part after `+` below 1 is no Mastodon version: the first part counts.
    ['2.6.0+0.9.1', true],
    ['2.5.9+0.9.1', false],
    ['2.7.2 (compatible; Pleroma 2.5.0+soapbox)', true],
    ['2.5.0 (compatible; Akkoma 3.10.0+3.10.0)', false],
  ])("reads the server's version %s as Mastodon.py does (streamDirect needs 2.6.0): passes = %s", async (version, passes) => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version } });
    const call = clientFor(server, { versionCheckMode: 'created' }).streamDirect(new Recorder());
    if (!passes) return void (await expect(call).rejects.toBeInstanceOf(MastodonVersionError));
    await server.waitForConnection();
    server.endStreams();
    await expect(call).resolves.toBeUndefined();
  });

  it('async mode: the call rejects with the error before a handle exists (listener-port.md §9.1); nothing connects, no onAbort', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '2.0.0' } });
    const listener = new Recorder();
    const { signal } = new AbortController();
    const call = clientFor(server, { versionCheckMode: 'created' }).streamList('42', listener, { runAsync: true, reconnectAsync: true, signal });
    await expect(call).rejects.toBeInstanceOf(MastodonVersionError);
    await delay(50);
    expect(streamRequests(server)).toHaveLength(0);
    expect(listener.calls).toEqual([]);
    // The run that never started let go of the caller's signal.
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('async mode: the handle comes after the version check passed, before the first connect', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '4.5.7' }, delayMs: 300 });
    let settled = false;
    const call = clientFor(server, { versionCheckMode: 'created' }).streamUser(new Recorder(), { runAsync: true });
    void call.then(() => (settled = true));
    await waitFor(() => instanceRequests(server).length === 1, 'the instance request');
    await delay(100);
    expect(settled).toBe(false);
    const handle = await cleanup.handle(call);
    expect(handle.isAlive()).toBe(true);
    await server.waitForConnection();
    expect(streamRequests(server)).toHaveLength(1);
  });

  it("aborting the call's signal during the version check rejects with its reason and leaves nothing behind", async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: '{"version":"4.5.7"', holdOpen: true });
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const listener = new Recorder();
    const mastodon = clientFor(server, { versionCheckMode: 'created' });
    const call = mastodon.streamUser(listener, { runAsync: true, signal: controller.signal });
    await waitFor(() => instanceRequests(server).length === 1, 'the instance request');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    // Already aborted: the blocking call rejects the same way, without a request.
    await expect(mastodon.streamUser(listener, { signal: controller.signal })).rejects.toBe(reason);
    await delay(50);
    expect(instanceRequests(server)).toHaveLength(1);
    expect(streamRequests(server)).toHaveLength(0);
    expect(listener.calls).toEqual([]);
  });

  it('streamHealthy() is gated too (2.5.0)', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: { version: '2.4.3' } });
    await expect(clientFor(server, { versionCheckMode: 'created' }).streamHealthy()).rejects.toBeInstanceOf(MastodonVersionError);
    expect(streamRequests(server)).toHaveLength(0);
  });

  it('a server that does not state its version is not blocked', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, paths: 'rest', body: {} });
    await expect(clientFor(server, { versionCheckMode: 'changed' }).streamHealthy()).resolves.toBe(true);
  });

  it('an instance document that never finishes, or is over 1 MiB, counts as missing: nothing is assumed and the stream connects', async () => {
    const server = await cleanup.server();
    // Either document would fail the check if it were read: 1.0.0 is too old for streamDirect.
    const tooLarge = JSON.stringify({ version: '1.0.0', padding: 'x'.repeat(1_048_576) });
    server.failNext({ status: 200, paths: 'rest', body: '{"version":"1.0.0",', holdOpen: true });
    server.failNext({ status: 200, paths: 'rest', body: tooLarge });
    const listener = new Recorder();
    const done = clientFor(server, { versionCheckMode: 'created', requestTimeout: 0.3 }).streamDirect(listener);
    await server.waitForConnection();
    server.endStreams();
    await done;
    expect(instanceRequests(server).map((r) => r.path)).toEqual(['/api/v2/instance', '/api/v1/instance']);
    expect(listener.named('onAbort')).toEqual([]);
  });
});
