import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamHandle } from '../src/index.js';
import { Cleanup, clientFor, delay, Recorder, sse, waitFor } from './support/harness.js';

// listener-port.md §9.4: close() never calls onAbort, nothing reaches the
// listener once it has resolved, and it leaves no socket or timer behind.

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

/** A listener whose heartbeat handler takes `ms` (and then throws `failWith`, if given). */
class SlowHeartbeat extends Recorder {
  heartbeatsDone = 0;

  constructor(
    private readonly ms: number,
    private readonly failWith?: Error,
  ) {
    super();
  }

  override async handleHeartbeat() {
    super.handleHeartbeat();
    await delay(this.ms);
    this.heartbeatsDone++;
    if (this.failWith) throw this.failWith;
  }
}

/**
 * The client's sockets to `port` that keep this process alive (Node lists
 * only referenced handles). Per port, so sockets of other tests (each has its
 * own server) never count. The server's ends are not counted: after an abort,
 * Node's fetch may open an idle, unreferenced connection to the same origin,
 * which the fake server then holds open.
 */
function clientSocketsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle) => handle instanceof Socket && !handle.destroyed && handle.remotePort === port).length;
}

/** A listener whose heartbeat handler never settles (it waits on something that never answers). */
class StuckHeartbeat extends Recorder {
  override handleHeartbeat() {
    super.handleHeartbeat();
    return new Promise<void>(() => {});
  }
}

/** `promise`'s outcome, or 'still pending' after `ms`. */
const settledWithin = (promise: Promise<unknown>, ms: number) => Promise.race([promise, delay(ms).then(() => 'still pending')]);

describe('close()', () => {
  it('no hook queued behind a slow handler runs after close(): not the onAbort of a drop, not an onError report; and close() does not wait for the handler', async () => {
    const server = await cleanup.server();
    const listener = new SlowHeartbeat(400);
    const handle = await clientFor(server).streamUser(listener, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 30 });
    await server.waitForConnection();
    // The `:)` the server opens with is running the slow handler; a malformed event and a drop queue behind it.
    await waitFor(() => listener.count('handleHeartbeat') === 1, 'the slow heartbeat handler');
    server.pushRaw(sse('update', '{"broken":'));
    await delay(20);
    server.dropConnections();
    await waitFor(() => !handle.isReceiving(), 'the drop to be noticed');
    await handle.close();
    expect(listener.heartbeatsDone).toBe(0);
    await waitFor(() => listener.heartbeatsDone === 1, 'the slow handler to finish');
    await delay(100);
    expect(listener.named('onAbort')).toEqual([]);
    expect(listener.named('onError')).toEqual([]);
  });

  it('does not wait for a handler that never settles when a fatal error came behind it (onAbort waits for the hooks before it; close() ends that wait)', async () => {
    const server = await cleanup.server();
    const listener = new StuckHeartbeat();
    const handle = await clientFor(server).streamUser(listener, { runAsync: true });
    await server.waitForConnection();
    await waitFor(() => listener.count('handleHeartbeat') === 1, 'the stuck heartbeat handler');
    // Without reconnectAsync a drop is fatal: its onAbort is queued behind the stuck handler.
    server.dropConnections();
    await waitFor(() => !handle.isReceiving(), 'the drop to be noticed');
    await expect(settledWithin(handle.close(), 1_000)).resolves.toBeUndefined();
    expect(handle.isAlive()).toBe(false);
    expect(listener.named('onAbort')).toEqual([]);
  });

  it('does not wait for an onAbort that never settles', async () => {
    const server = await cleanup.server();
    class StuckOnAbort extends Recorder {
      override onAbort(error: Error) {
        super.onAbort(error);
        return new Promise<void>(() => {});
      }
    }
    const listener = new StuckOnAbort();
    const handle = await clientFor(server).streamUser(listener, { runAsync: true });
    await server.waitForConnection();
    server.dropConnections();
    await waitFor(() => listener.count('onAbort') === 1, 'onAbort');
    await expect(settledWithin(handle.close(), 1_000)).resolves.toBeUndefined();
    expect(handle.isAlive()).toBe(false);
  });

  it('does not wait for an onAbort that never settles after a handler error stopped the run (stopOnHandlerError)', async () => {
    const server = await cleanup.server();
    const boom = new Error('heartbeat handler failed');
    class FailingHeartbeatStuckOnAbort extends Recorder {
      override handleHeartbeat() {
        super.handleHeartbeat();
        throw boom;
      }
      override onAbort(error: Error) {
        super.onAbort(error);
        return new Promise<void>(() => {});
      }
    }
    const listener = new FailingHeartbeatStuckOnAbort();
    const handle = await clientFor(server).streamUser(listener, { runAsync: true, stopOnHandlerError: true });
    // The `:)` the server opens with makes the heartbeat handler throw, which stops the run: onAbort(boom) is its last handler call.
    const connection = await server.waitForConnection();
    await waitFor(() => listener.count('onAbort') === 1, 'onAbort');
    expect(listener.named('onAbort')).toEqual([['onAbort', boom]]);
    await connection.closed;
    await expect(settledWithin(handle.close(), 1_000)).resolves.toBeUndefined();
    expect(handle.isAlive()).toBe(false);
  });

  // Where exactly close() lands between the handler's error and the onAbort call depends on microtask hops, so each
  // hop count up to well past the run's own chain is tried: onAbort either comes before close() or not at all.
  it.each(Array.from({ length: 16 }, (_, hops) => hops))('a close() %i microtask hops after a handler error stopped the run is never followed by onAbort', async (hops) => {
    const server = await cleanup.server();
    const order: string[] = [];
    let handle: StreamHandle | undefined;
    let closing: Promise<void> | undefined;
    let markHandleReady = () => {};
    const handleReady = new Promise<void>((resolve) => (markHandleReady = resolve));
    class FailingHeartbeat extends Recorder {
      override async handleHeartbeat() {
        await handleReady;
        let hop: Promise<void> = Promise.resolve();
        for (let step = 0; step < hops; step++) hop = hop.then(() => undefined);
        void hop.then(() => {
          order.push('close');
          closing = handle?.close();
        });
        throw new Error('heartbeat handler failed');
      }
      override onAbort(error: Error) {
        order.push('onAbort');
        super.onAbort(error);
      }
    }
    handle = await clientFor(server).streamUser(new FailingHeartbeat(), { runAsync: true, stopOnHandlerError: true });
    markHandleReady();
    await waitFor(() => closing !== undefined, 'close() to be called');
    await expect(settledWithin(closing as Promise<void>, 1_000)).resolves.toBeUndefined();
    expect(handle.isAlive()).toBe(false);
    expect(order.slice(order.indexOf('close'))).toEqual(['close']);
  });

  it('a blocking call stopped by its signal settles even when a handler never does and a fatal error came behind it', async () => {
    const server = await cleanup.server();
    const listener = new StuckHeartbeat();
    const controller = new AbortController();
    const call = clientFor(server).streamUser(listener, { signal: controller.signal }).catch((error: unknown) => error);
    await server.waitForConnection();
    await waitFor(() => listener.count('handleHeartbeat') === 1, 'the stuck heartbeat handler');
    server.dropConnections();
    await delay(50);
    controller.abort();
    await expect(settledWithin(call, 1_000)).resolves.toBe(controller.signal.reason);
    expect(listener.named('onAbort')).toEqual([]);
  });

  it.each([
    ['a handler error', (server: { postStatus(partial: object, options: object): unknown }) => void server.postStatus({}, { homeOf: ['1001'] })],
    ['a malformed event a handler raised', (server: { pushRaw(bytes: string): void }) => server.pushRaw(sse('custom.thing', '{"broken":'))],
  ])('an onError that awaits close() (reporting %s) does not wait for itself: close() resolves and the handle is dead', async (_label, provoke) => {
    const server = await cleanup.server();
    let handle: StreamHandle | undefined;
    let outcome = 'onError not called';
    class ClosingOnError extends Recorder {
      override onUpdate(): void {
        throw new Error('handler failed');
      }
      onCustomThing(): void {}
      override async onError(): Promise<void> {
        outcome = 'close() pending';
        await handle?.close();
        outcome = 'close() resolved';
      }
    }
    handle = await clientFor(server).streamUser(new ClosingOnError(), { runAsync: true });
    await server.waitForConnection();
    provoke(server as never);
    await waitFor(() => outcome === 'close() resolved', 'onError to see close() resolve', 2_000);
    expect(handle.isAlive()).toBe(false);
  });

  it('a handler pending when close() came is the last: the specific handler behind an async onAnyEvent is not called', async () => {
    const server = await cleanup.server();
    class SlowAnyEvent extends Recorder {
      override async onAnyEvent(name: string) {
        this.calls.push(['onAnyEvent', name]);
        await delay(200);
      }
      onCustomThing(payload: unknown) {
        this.calls.push(['onCustomThing', payload]);
      }
    }
    const listener = new SlowAnyEvent();
    const handle = await clientFor(server).streamUser(listener, { runAsync: true });
    await server.waitForConnection();
    server.postStatus({}, { homeOf: ['1001'] });
    await waitFor(() => listener.count('onAnyEvent') === 1, 'onAnyEvent of the update');
    await handle.close();
    await delay(400);
    expect(listener.named('onUpdate')).toEqual([]);

    // The same for an event core does not know, whose dispatch loads a chunk first.
    const second = new SlowAnyEvent();
    await server.waitForConnectionCount(0);
    const other = await clientFor(server).streamUser(second, { runAsync: true });
    await server.waitForConnectionCount(1);
    server.pushRaw(sse('custom.thing', '{"a":1}'));
    await waitFor(() => second.count('onAnyEvent') === 1, 'onAnyEvent of the unknown event');
    await other.close();
    await delay(400);
    expect(second.named('onCustomThing')).toEqual([]);
  });

  it('a handler that fails after close() resolved is not reported to onError', async () => {
    const server = await cleanup.server();
    const listener = new SlowHeartbeat(300, new Error('late failure'));
    const handle = await clientFor(server).streamUser(listener, { runAsync: true });
    await server.waitForConnection();
    await waitFor(() => listener.count('handleHeartbeat') === 1, 'the slow heartbeat handler');
    await handle.close();
    await waitFor(() => listener.heartbeatsDone === 1, 'the slow handler to finish');
    await delay(50);
    expect(listener.named('onError')).toEqual([]);
  });

  it('during the feed check of streamPublic, an instance request still waiting for headers is cancelled: its socket closes at once; the next stream asks again', async () => {
    const server = await cleanup.server();
    // The first instance request is left without an answer for a minute; requestTimeout is longer still.
    server.failNext({ status: 200, body: {}, paths: 'rest', delayMs: 60_000 });
    const mastodon = clientFor(server, { requestTimeout: 120 });
    const handle = await mastodon.streamPublic(new Recorder(), { runAsync: true });
    await waitFor(() => clientSocketsTo(server.port) === 1, 'the instance request to be waiting');
    await handle.close();
    await waitFor(() => clientSocketsTo(server.port) === 0, 'the instance request socket to close', 1_000);

    await cleanup.handle(mastodon.streamPublic(new Recorder(), { runAsync: true }));
    await server.waitForConnection();
    expect(server.requests.filter((request) => request.path === '/api/v2/instance')).toHaveLength(2);
  });

  it("with versionCheckMode, an instance body that never ends is cancelled by the call's signal (there is no handle yet): its socket closes at once", async () => {
    const server = await cleanup.server();
    server.failNext({ status: 200, body: '{"version":', paths: 'rest', holdOpen: true });
    const controller = new AbortController();
    const call = clientFor(server, { requestTimeout: 120, versionCheckMode: 'created' }).streamUser(new Recorder(), { runAsync: true, signal: controller.signal });
    await waitFor(() => server.requests.some((request) => request.path === '/api/v2/instance') && clientSocketsTo(server.port) === 1, 'the instance body to be pending');
    await delay(50);
    controller.abort();
    await expect(call).rejects.toBe(controller.signal.reason);
    await waitFor(() => clientSocketsTo(server.port) === 0, 'the instance request socket to close', 1_000);
    expect(server.totalConnections).toBe(0);
  });
});
