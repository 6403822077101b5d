import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, clientFor, delay, Recorder, sse, waitFor } from './support/harness.js';

// listener-port.md §9.4: close() never calls onAbort, and nothing reaches the
// listener once it has resolved.

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

describe('close()', () => {
  it('no hook queued behind a slow handler runs after close(): not the onAbort of a drop, not an onError report; and close() does not wait for the handler', async () => {
    const server = await cleanup.server();
    const listener = new SlowHeartbeat(400);
    const handle = clientFor(server).streamUser(listener, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 30 });
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

  it('a handler that fails after close() resolved is not reported to onError', async () => {
    const server = await cleanup.server();
    const listener = new SlowHeartbeat(300, new Error('late failure'));
    const handle = clientFor(server).streamUser(listener, { runAsync: true });
    await server.waitForConnection();
    await waitFor(() => listener.count('handleHeartbeat') === 1, 'the slow heartbeat handler');
    await handle.close();
    await waitFor(() => listener.heartbeatsDone === 1, 'the slow handler to finish');
    await delay(50);
    expect(listener.named('onError')).toEqual([]);
  });
});
