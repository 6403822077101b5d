import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_OPTIONS } from '@tootstream/core';
import { MastodonNetworkError, MastodonReadTimeout } from '@tootstream/listener';
import { Cleanup, clientFor, delay, Recorder, sse, waitFor } from './support/harness.js';
// Core's virtual clock: the listener hands its clock to core, so both run on one.
import { VirtualClock } from '../../core/test/support/virtual-clock.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

/** Core's stall limit, 3 Mastodon heartbeats: the silence allowed once a connection has heartbeated (listener-port §9.2). */
const HEARTBEAT_LIMIT_MS = DEFAULT_STREAM_OPTIONS.stallTimeoutMs;

// Every test runs on a virtual clock (core's timers and the listener's watchdog alike): time moves only by clock.advance().
describe('heartbeat-aware stall watchdog (listener-port §9.2)', () => {
  it('once a heartbeat arrived, 45 s of silence ends the stream with MastodonReadTimeout, although `timeout` is 300 s', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const done = clientFor(server, { clock }).streamUser(recorder).catch((e: unknown) => e);
    await server.waitForConnection();
    server.pushRaw(':thump\n');
    await waitFor(() => recorder.count('handleHeartbeat') === 2, 'the opening `:)` and a heartbeat');
    server.stall();
    clock.advance(HEARTBEAT_LIMIT_MS - 1);
    clock.advance(1);
    await waitFor(() => recorder.count('onAbort') === 1, 'onAbort after 45 s of silence');
    const error = await done;
    expect(error).toBeInstanceOf(MastodonReadTimeout);
    expect((error as Error).message).toBe('Timed out while reading from server.');
    expect(recorder.named('onAbort')).toEqual([['onAbort', error]]);
    // Neither the watchdog nor any timer of core outlives the stream.
    expect(clock.pending).toEqual([]);
  });

  it('a connection that sent no heartbeat (only the opening `:)`) may stay silent up to `timeout`', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const done = clientFor(server, { clock }).streamUser(recorder, { timeout: 120 }).catch((e: unknown) => e);
    const connection = await server.waitForConnection();
    await waitFor(() => recorder.count('handleHeartbeat') === 1, 'the opening `:)`');
    clock.advance(100_000);
    // Still the same connection, still delivering.
    server.pushRaw(sse('delete', '1'));
    await waitFor(() => recorder.count('onDelete') === 1, 'an event after 100 s of silence');
    expect(recorder.count('onAbort')).toBe(0);
    expect(connection.isClosed).toBe(false);
    // `timeout` still applies (core's watchdog, counted from the last bytes).
    clock.advance(120_000);
    expect(await done).toBeInstanceOf(MastodonReadTimeout);
  });

  it('a `timeout` below half a millisecond is still a timeout (1 ms), not rounded to 0, which would turn it off', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const done = clientFor(server, { clock }).streamUser(recorder, { timeout: 0.0004 }).catch((e: unknown) => e);
    await server.waitForConnection();
    await waitFor(() => recorder.count('handleHeartbeat') === 1, 'the opening `:)`');
    clock.advance(1);
    expect(await done).toBeInstanceOf(MastodonReadTimeout);
  });

  it.each([
    [{ malformedEvents: 'throw' }, 'malformedEvents must be report or abort (got "throw")'],
    [{ validate: false }, 'validate must be one of essentials, full, off (got false)'],
  ])('a text option outside its values (%j) rejects the call, not silently the default', async (options, message) => {
    const server = await cleanup.server();
    await expect(clientFor(server).streamUser(new Recorder(), options as never)).rejects.toThrow(message);
    expect(server.totalConnections).toBe(0);
  });

  it.each([['5'], [true]])('a `timeout` of %j is refused, not taken as no timeout', async (timeout) => {
    const server = await cleanup.server();
    await expect(clientFor(server).streamUser(new Recorder(), { timeout: timeout as unknown as number })).rejects.toThrow(/timeout must be a number of seconds >= 0/);
  });

  it("`timeout: null` is Python's timeout=None: no read timeout (it took the default 300 s and ended a quiet stream)", async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const done = clientFor(server, { clock }).streamUser(recorder, { timeout: null }).catch((e: unknown) => e);
    const connection = await server.waitForConnection();
    await waitFor(() => recorder.count('handleHeartbeat') === 1, 'the opening `:)`');
    // No watchdog of core's or the listener's is waiting: a day of silence changes nothing.
    expect(clock.pending).toEqual([]);
    clock.advance(86_400_000);
    server.pushRaw(sse('delete', '1'));
    await waitFor(() => recorder.count('onDelete') === 1, 'an event after a day of silence');
    expect(recorder.count('onAbort')).toBe(0);
    expect(connection.isClosed).toBe(false);
    server.endStreams();
    await done;
  });

  it('a `timeout` without a prototype is refused in words, not with a TypeError from showing it', async () => {
    const server = await cleanup.server();
    await expect(clientFor(server).streamUser(new Recorder(), { timeout: Object.create(null) })).rejects.toThrow('timeout must be a number of seconds >= 0 (got object)');
    await expect(clientFor(server).streamUser(new Recorder(), { reconnectAsyncWaitSec: Object.create(null) })).rejects.toThrow('reconnectAsyncWaitSec must be a number of seconds finite and >= 0 (got object)');
  });

  it('a slow handler is not silence: only the time spent waiting for the server counts', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    let release = () => {};
    const recorder = new (class extends Recorder {
      override async onDelete(id: string) {
        super.onDelete(id);
        if (id === '1') await new Promise<void>((resolve) => (release = resolve));
      }
    })();
    const handle = await cleanup.handle(clientFor(server, { clock }).streamUser(recorder, { runAsync: true }));
    await server.waitForConnection();
    server.pushRaw(`:thump\n${sse('delete', '1')}`);
    await waitFor(() => recorder.count('onDelete') === 1, 'the slow handler');
    // The handler takes 67.5 s; the watchdog looks at 45 s (busy, so it looks again at 90 s).
    clock.advance(1.5 * HEARTBEAT_LIMIT_MS);
    release();
    // Lets the run go back to waiting (promise callbacks only; no timer involved).
    await delay(20);
    // At 90 s the last heartbeat is 90 s old, but the wait began 22.5 s ago: not a stall.
    clock.advance(HEARTBEAT_LIMIT_MS * (2 / 3));
    server.pushRaw(sse('delete', '2'));
    await waitFor(() => recorder.count('onDelete') === 2, 'the next event');
    expect(recorder.count('onAbort')).toBe(0);
    expect(handle.isReceiving()).toBe(true);
  });

  it('with reconnectAsync, a heartbeat stall reconnects after the wait; the new connection must heartbeat before the watchdog applies to it', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    const recorder = new Recorder();
    const handle = await cleanup.handle(clientFor(server, { clock }).streamUser(recorder, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05 }));
    const first = await server.waitForConnection();
    server.pushRaw(':thump\n');
    await waitFor(() => recorder.count('handleHeartbeat') === 2, 'a heartbeat');
    server.stall((c) => c.id === first.id);
    clock.advance(HEARTBEAT_LIMIT_MS);
    // The restart waits its backoff (under a second here) on the client's clock; core's own timers are minutes long.
    const restart = await clock.waitForTimer((timer) => timer.delay < 1_000);
    clock.advance(restart.delay);
    const second = await server.waitForConnection((c) => c.id !== first.id);
    expect(recorder.named('onAbort').map((call) => call[1])).toEqual([expect.any(MastodonReadTimeout)]);
    expect(handle.isAlive()).toBe(true);
    await waitFor(() => handle.isReceiving(), 'the new connection');
    clock.advance(2 * HEARTBEAT_LIMIT_MS);
    server.pushRaw(sse('delete', '5'), (c) => c.id === second.id);
    await waitFor(() => recorder.count('onDelete') === 1, 'an event on the new connection');
    expect(recorder.count('onAbort')).toBe(1);
    await handle.close();
    expect(clock.pending).toEqual([]);
  });
});

// The listener's own REST checks (streamHealthy, the version gate, the feed warning) time out on the client's clock too.
describe('requestTimeout on the client clock', () => {
  const REQUEST_TIMEOUT_SEC = 300;

  it('a health check whose headers never come fails when the virtual clock passes requestTimeout, and leaves no timer', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    // Unanswered for longer than the test runs in real time: only the virtual clock can end the wait.
    server.failNext({ status: 200, body: 'OK', paths: 'all', delayMs: 600_000 });
    const failure = clientFor(server, { clock, requestTimeout: REQUEST_TIMEOUT_SEC }).streamHealthy().catch((error: unknown) => error);
    const timer = await clock.waitForTimer((pending) => pending.delay === REQUEST_TIMEOUT_SEC * 1_000);
    clock.advance(timer.delay);
    const error = await failure;
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toContain(`No response headers within ${REQUEST_TIMEOUT_SEC * 1_000} ms`);
    expect(clock.pending).toEqual([]);
  });

  it('a health answer whose body never ends fails when the virtual clock passes requestTimeout, and leaves no timer', async () => {
    const server = await cleanup.server();
    const clock = new VirtualClock();
    server.failNext({ status: 200, body: 'O', paths: 'all', holdOpen: true });
    const failure = clientFor(server, { clock, requestTimeout: REQUEST_TIMEOUT_SEC }).streamHealthy().catch((error: unknown) => error);
    // The header wait's timer comes first; the body's is another timer of the same length, set once the headers came.
    const headerTimer = await clock.waitForTimer((pending) => pending.delay === REQUEST_TIMEOUT_SEC * 1_000);
    const bodyTimer = await clock.waitForTimer((pending) => pending.delay === REQUEST_TIMEOUT_SEC * 1_000 && pending.id !== headerTimer.id);
    expect(clock.pending).toEqual([bodyTimer]);
    clock.advance(bodyTimer.delay);
    const error = await failure;
    expect(error).toBeInstanceOf(MastodonNetworkError);
    expect((error as Error).message).toContain(`did not finish within ${REQUEST_TIMEOUT_SEC * 1_000} ms`);
    expect(clock.pending).toEqual([]);
  });
});
