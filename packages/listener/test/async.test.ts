import { afterEach, describe, expect, it } from 'vitest';
import {
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonReadTimeout,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  StreamHandle,
} from '@tootstream/listener';
import { Cleanup, clientFor, delay, Recorder, sse, waitFor } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

describe('async mode (runAsync: true)', () => {
  it('returns a handle at once and connects in the background', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true }));
    expect(handle).toBeInstanceOf(StreamHandle);
    expect(handle.isAlive()).toBe(true);
    expect(handle.isReceiving()).toBe(false);
    expect(server.totalConnections).toBe(0);
    await server.waitForConnection();
    await waitFor(() => handle.isReceiving(), 'isReceiving()');
    server.postStatus({}, { homeOf: ['1001'] });
    await waitFor(() => recorder.count('onUpdate') === 1, 'the update');
    expect(handle.lastEventAt).toEqual(expect.any(Number));
    expect(handle.lastHeartbeatAt).toEqual(expect.any(Number));
    await handle.close();
    expect(handle.isAlive()).toBe(false);
    expect(handle.isReceiving()).toBe(false);
  });

  it('a truthy runAsync other than true (Mastodon.py callers write run_async=1) returns the handle its run behaves as', async () => {
    const server = await cleanup.server();
    const call = clientFor(server).streamUser(new Recorder(), { runAsync: 1 as unknown as true });
    const handle = await cleanup.handle(call);
    expect(handle).toBeInstanceOf(StreamHandle);
    await server.waitForConnection();
    await handle.close();
    expect(handle.isAlive()).toBe(false);
  });

  it("a client's streamDefaults hooks the listener does not use itself are called, onStateChange too", async () => {
    const server = await cleanup.server();
    const states: string[] = [];
    const opened: number[] = [];
    const mastodon = clientFor(server, { streamDefaults: { onStateChange: (state) => states.push(state), onOpen: () => opened.push(1) } });
    const handle = await cleanup.handle(mastodon.streamUser(new Recorder(), { runAsync: true }));
    await waitFor(() => handle.isReceiving(), 'isReceiving()');
    await handle.close();
    expect(opened).toEqual([1]);
    expect(states).toEqual(['connecting', 'open', 'closed']);
  });

  it('close() before the first connect is safe and nothing connects', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true });
    await handle.close();
    expect(handle.isAlive()).toBe(false);
    await delay(100);
    expect(server.totalConnections).toBe(0);
    expect(recorder.count('onAbort')).toBe(0);
  });

  it('close() aborts a silent stream at once instead of waiting for the next byte (Mastodon.py waited)', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    // Default timeout (300 s) and no heartbeats: only close() can end this read.
    const handle = await clientFor(server).streamUser(recorder, { runAsync: true });
    const connection = await server.waitForConnection();
    server.stall();
    await waitFor(() => handle.isReceiving(), 'isReceiving()');
    await handle.close();
    await connection.closed;
    expect(handle.isAlive()).toBe(false);
    expect(recorder.count('onAbort')).toBe(0);
    await expect(handle.closed).resolves.toBeUndefined();
  });

  it('close() stops retrying and cancels the reconnect wait', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503, times: 1000 });
    const recorder = new Recorder();
    const handle = await clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 });
    await waitFor(() => server.requests.length >= 2, 'two connect attempts');
    await handle.close();
    const attempts = server.requests.length;
    await delay(300);
    expect(server.requests.length).toBe(attempts);
    expect(handle.isAlive()).toBe(false);
  });

  it('without reconnectAsync, a drop calls onAbort and ends the handle', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true }));
    await server.waitForConnection();
    server.dropConnections();
    await handle.closed;
    expect(handle.isAlive()).toBe(false);
    expect(handle.error).toBeInstanceOf(MastodonNetworkError);
    expect(recorder.named('onAbort')).toEqual([['onAbort', handle.error]]);
    // onAbort's second argument (an addition to Mastodon.py's on_abort): no reconnect follows.
    expect(recorder.willReconnect).toEqual([false]);
    expect(server.totalConnections).toBe(1);
  });

  it('without reconnectAsync, a clean end stops the handle without onAbort', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true }));
    await server.waitForConnection();
    server.endStreams();
    await handle.closed;
    expect(handle.isAlive()).toBe(false);
    expect(handle.error).toBeUndefined();
    expect(recorder.count('onAbort')).toBe(0);
  });

  it('a 401 on the first connect is surfaced with onAbort and never retried, even with reconnectAsync', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(
      clientFor(server, { accessToken: 'peer-test-token-revoked' }).streamUser(recorder, {
        runAsync: true,
        reconnectAsync: true,
        reconnectAsyncWaitSec: 0.05,
      }),
    );
    await handle.closed;
    expect(handle.error).toBeInstanceOf(MastodonUnauthorizedError);
    expect(recorder.named('onAbort')).toEqual([['onAbort', handle.error]]);
    // reconnectAsync is on, but a refusal ends the stream: what a script needs to tell the two apart without guessing.
    expect(recorder.willReconnect).toEqual([false]);
    await delay(150);
    expect(server.requests.filter((r) => r.path === '/api/v1/streaming/user')).toHaveLength(1);
  });

  it('with reconnectAsync, a transient connect failure is reported to onAbort and retried', async () => {
    const server = await cleanup.server();
    server.failNext({ status: 503 });
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }));
    await server.waitForConnection();
    await waitFor(() => handle.isReceiving(), 'isReceiving()');
    const aborts = recorder.named('onAbort');
    expect(aborts).toHaveLength(1);
    expect(aborts[0]?.[1]).toBeInstanceOf(MastodonServiceUnavailableError);
    expect(recorder.willReconnect).toEqual([true]);
  });

  it('with reconnectAsync, a drop reconnects after at least reconnectAsyncWaitSec, and events flow again', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const waitSec = 0.2;
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: waitSec }));
    const first = await server.waitForConnection();
    await waitFor(() => handle.isReceiving(), 'isReceiving()');
    const droppedAt = Date.now();
    server.dropConnections();
    await waitFor(() => !handle.isReceiving(), 'isReceiving() to turn false');
    expect(handle.isAlive()).toBe(true);
    const second = await server.waitForConnection((c) => c.id !== first.id);
    // The backoff floor is the wait itself: no reconnect can come sooner (timers never fire early).
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(waitSec * 1000 - 5);
    expect(second.id).not.toBe(first.id);
    expect(recorder.named('onAbort').map((call) => call[1])).toEqual([expect.any(MastodonNetworkError)]);
    await waitFor(() => handle.isReceiving(), 'isReceiving() after the reconnect');
    server.pushRaw(sse('delete', '77'));
    await waitFor(() => recorder.count('onDelete') === 1, 'the delete after the reconnect');
  });

  it.each([
    [true, 'reach the handlers after the reconnect, in order and once'],
    [false, 'are lost, as in Mastodon.py'],
  ])('with reconnectAsync and catchUp: %s, the statuses and notifications sent while disconnected %s', async (catchUp, _outcome) => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05, catchUp }));
    const first = await server.waitForConnection();
    const live = server.postStatus({}, { homeOf: ['1001'] });
    await waitFor(() => recorder.count('onUpdate') === 1, 'the live update');
    server.dropConnections();
    // Published while the client waits out reconnectAsyncWaitSec: no connection carries them.
    const missed = [server.postStatus({}, { homeOf: ['1001'] }), server.postStatus({}, { homeOf: ['1001'] })];
    const mention = server.notify('1001', { type: 'mention', fromAccount: 'bob' });
    await server.waitForConnection((c) => c.id !== first.id);
    const after = server.postStatus({}, { homeOf: ['1001'] });
    await waitFor(() => recorder.named('onUpdate').some((call) => (call[1] as { id: string }).id === after.id), 'the update after the reconnect');
    const updates = recorder.named('onUpdate').map((call) => (call[1] as { id: string }).id);
    const notifications = recorder.named('onNotification').map((call) => (call[1] as { id: string }).id);
    if (catchUp) {
      expect(updates).toEqual([live.id, ...missed.map((status) => status.id), after.id]);
      expect(notifications).toEqual([mention.id]);
    } else {
      expect(updates).toEqual([live.id, after.id]);
      expect(notifications).toEqual([]);
    }
    expect(handle.isAlive()).toBe(true);
  });

  it('with reconnectAsync, a clean end reconnects after the wait too (no hot loop) and is not an abort', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const waitSec = 0.2;
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: waitSec }));
    const first = await server.waitForConnection();
    const endedAt = Date.now();
    server.endStreams();
    await server.waitForConnection((c) => c.id !== first.id);
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(waitSec * 1000 - 5);
    expect(server.totalConnections).toBe(2);
    expect(recorder.count('onAbort')).toBe(0);
    expect(handle.isAlive()).toBe(true);
  });

  it('with reconnectAsync, repeated clean ends never turn into a tight loop', async () => {
    const server = await cleanup.server();
    const waitSec = 0.05;
    const handle = await cleanup.handle(clientFor(server).streamUser(new Recorder(), { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: waitSec }));
    const started = Date.now();
    for (let round = 0; round < 4; round++) {
      const connection = await server.waitForConnection((c) => !c.isClosed);
      server.endStreams();
      await connection.closed;
    }
    await server.waitForConnection((c) => !c.isClosed);
    // Four waits of at least waitSec each separate the five connections.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * waitSec * 1000 - 5);
    expect(server.totalConnections).toBe(5);
    expect(handle.isAlive()).toBe(true);
  });

  it('with reconnectAsync, a read timeout mid-stream reconnects instead of killing the handle', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const handle = await cleanup.handle(
      clientFor(server).streamUser(recorder, { runAsync: true, timeout: 0.3, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }),
    );
    const first = await server.waitForConnection();
    server.stall((c) => c.id === first.id);
    const second = await server.waitForConnection((c) => c.id !== first.id);
    expect(recorder.named('onAbort').map((call) => call[1])).toEqual([expect.any(MastodonReadTimeout)]);
    expect(recorder.willReconnect).toEqual([true]);
    expect(handle.isAlive()).toBe(true);
    await first.closed;
    server.pushRaw(sse('delete', '5'), (c) => c.id === second.id);
    await waitFor(() => recorder.count('onDelete') === 1, 'an event on the new connection');
  });

  it("malformedEvents: 'abort' with reconnectAsync: onAbort(err), then a new connection after the wait", async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const waitSec = 0.1;
    const handle = await cleanup.handle(
      clientFor(server).streamUser(recorder, { runAsync: true, malformedEvents: 'abort', reconnectAsync: true, reconnectAsyncWaitSec: waitSec }),
    );
    const first = await server.waitForConnection();
    const sentAt = Date.now();
    server.pushRaw(sse('update', '{"broken":'));
    const second = await server.waitForConnection((c) => c.id !== first.id);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(waitSec * 1000 - 5);
    await first.closed;
    const aborts = recorder.named('onAbort').map((call) => call[1]);
    expect(aborts).toEqual([expect.any(MastodonMalformedEventError)]);
    expect((aborts[0] as MastodonMalformedEventError).reason).toBe('Bad JSON');
    // The listener's own restart (not core's reconnect) follows: true too.
    expect(recorder.willReconnect).toEqual([true]);
    expect(recorder.count('onError')).toBe(0);
    server.pushRaw(sse('delete', '4'), (c) => c.id === second.id);
    await waitFor(() => recorder.count('onDelete') === 1, 'an event on the new connection');
    expect(handle.isAlive()).toBe(true);
  });

  it('a handler error goes to onError and streaming continues', async () => {
    const server = await cleanup.server();
    const boom = new Error('bad handler');
    class Flaky extends Recorder {
      override onDelete(id: string) {
        super.onDelete(id);
        if (id === '1') throw boom;
      }
    }
    const listener = new Flaky();
    const handle = await cleanup.handle(clientFor(server).streamUser(listener, { runAsync: true }));
    await server.waitForConnection();
    server.pushRaw(sse('delete', '1') + sse('delete', '2'));
    await waitFor(() => listener.count('onDelete') === 2, 'both deletes');
    expect(listener.named('onError')).toEqual([['onError', boom]]);
    expect(listener.count('onAbort')).toBe(0);
    expect(handle.isAlive()).toBe(true);
  });

  it('with stopOnHandlerError, a handler error calls onAbort(err) and stops the handle', async () => {
    const server = await cleanup.server();
    const boom = new Error('bad handler');
    class Failing extends Recorder {
      override onDelete(id: string) {
        super.onDelete(id);
        throw boom;
      }
    }
    const receivingDuringAbort: boolean[] = [];
    class Failing2 extends Failing {
      override onAbort(error: Error) {
        super.onAbort(error);
        // onAbort comes after the connection was released.
        receivingDuringAbort.push(handle.isReceiving());
      }
    }
    const listener = new Failing2();
    const handle: StreamHandle = await cleanup.handle(clientFor(server).streamUser(listener, { runAsync: true, stopOnHandlerError: true, reconnectAsync: true }));
    const connection = await server.waitForConnection();
    server.pushRaw(sse('delete', '1') + sse('delete', '2'));
    await handle.closed;
    expect(handle.error).toBe(boom);
    expect(listener.named('onAbort')).toEqual([['onAbort', boom]]);
    expect(listener.count('onDelete')).toBe(1);
    expect(listener.count('onError')).toBe(0);
    expect(receivingDuringAbort).toEqual([false]);
    await connection.closed;
    expect(server.totalConnections).toBe(1);
  });

  it('a heartbeat handler error follows the same policy (onError in async mode)', async () => {
    const server = await cleanup.server();
    const boom = new Error('heartbeat failed');
    class BadHeartbeat extends Recorder {
      override handleHeartbeat() {
        super.handleHeartbeat();
        throw boom;
      }
    }
    const listener = new BadHeartbeat();
    const handle = await cleanup.handle(clientFor(server).streamUser(listener, { runAsync: true }));
    await server.waitForConnection();
    server.pushRaw(':thump\n');
    server.pushRaw(sse('delete', '9'));
    await waitFor(() => listener.count('onDelete') === 1, 'the delete');
    expect(listener.count('onError')).toBeGreaterThanOrEqual(1);
    expect(listener.named('onError').every((call) => call[1] === boom)).toBe(true);
    expect(handle.isAlive()).toBe(true);
  });

  it('aborting the signal stops the handle like close(), without onAbort', async () => {
    const server = await cleanup.server();
    const recorder = new Recorder();
    const controller = cleanup.controller();
    const handle = await cleanup.handle(clientFor(server).streamUser(recorder, { runAsync: true, signal: controller.signal }));
    const connection = await server.waitForConnection();
    controller.abort();
    await handle.closed;
    await connection.closed;
    expect(handle.isAlive()).toBe(false);
    expect(recorder.count('onAbort')).toBe(0);
  });

  it('close() is idempotent and also works via Symbol.asyncDispose', async () => {
    const server = await cleanup.server();
    const handle = await clientFor(server).streamUser(new Recorder(), { runAsync: true });
    await server.waitForConnection();
    await Promise.all([handle.close(), handle.close(), handle[Symbol.asyncDispose]()]);
    expect(handle.isAlive()).toBe(false);
  });
});
