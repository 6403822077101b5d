import { afterEach, describe, expect, it, vi } from 'vitest';
import { MastodonNetworkError, MastodonUnauthorizedError, StreamListener, type Status } from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, waitFor } from './support/harness.js';

// Mastodon.py's stream thread dies with a traceback on stderr; a ported bot whose handle stopped (a drop without
// reconnectAsync, a revoked token) exited 0 without a word, which a supervisor's restart-on-failure never sees.
const cleanup = new Cleanup();
afterEach(() => {
  vi.restoreAllMocks();
  return cleanup.dispose();
});

/** A listener as a port writes it: handlers only, the default onAbort. */
class Printer extends StreamListener {
  readonly updates: string[] = [];
  override onUpdate(status: Status) {
    this.updates.push(status.id);
  }
}

function spyOnConsoleError(): unknown[][] {
  const logged: unknown[][] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
  return logged;
}

describe('an async handle that stops on an error, with the default onAbort', () => {
  it('prints the error once with console.error (a drop without reconnectAsync)', async () => {
    const logged = spyOnConsoleError();
    const server = await cleanup.server();
    const handle = await cleanup.handle(clientFor(server).streamUser(new Printer(), { runAsync: true }));
    await server.waitForConnection();
    server.dropConnections();
    await handle.closed;
    expect(handle.error).toBeInstanceOf(MastodonNetworkError);
    expect(logged).toEqual([['[tootstream/listener] stream stopped:', handle.error]]);
  });

  it('prints a revoked token that stops a reconnecting handle', async () => {
    const logged = spyOnConsoleError();
    const server = await cleanup.server();
    const handle = await cleanup.handle(clientFor(server).streamUser(new Printer(), { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }));
    await server.waitForConnection();
    server.revokeToken('peer-test-token');
    await handle.closed;
    expect(handle.error).toBeInstanceOf(MastodonUnauthorizedError);
    expect(logged).toEqual([['[tootstream/listener] stream stopped:', handle.error]]);
  });
});

describe('prints nothing', () => {
  it('when the listener has its own onAbort (it got the error), or for close() and a clean end', async () => {
    const logged = spyOnConsoleError();
    const server = await cleanup.server();
    const recorder = new Recorder();
    const own = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true }));
    await server.waitForConnection();
    server.dropConnections();
    await own.closed;
    expect(recorder.named('onAbort')).toEqual([['onAbort', own.error]]);
    const closed = await cleanup.handle(clientFor(server).streamUser(new Printer(), { runAsync: true }));
    await waitFor(() => closed.isReceiving(), 'the second handle connected');
    await closed.close();
    const ended = await cleanup.handle(clientFor(server).streamUser(new Printer(), { runAsync: true }));
    await waitFor(() => ended.isReceiving(), 'the third handle connected');
    server.endStreams();
    await ended.closed;
    expect([closed.error, ended.error]).toEqual([undefined, undefined]);
    expect(logged).toEqual([]);
  });

  it('in blocking mode, where the call rejects with the error instead', async () => {
    const logged = spyOnConsoleError();
    const server = await cleanup.server();
    const call = clientFor(server).streamUser(new Printer());
    await server.waitForConnection();
    server.dropConnections();
    await expect(call).rejects.toBeInstanceOf(MastodonNetworkError);
    expect(logged).toEqual([]);
  });
});
