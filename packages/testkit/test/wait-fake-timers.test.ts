import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkChaosStreamsClosed, recordStream, type FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { RawCapture, dechunk, getRequest, splitResponse } from './raw-http.js';

// Under vi.useFakeTimers() a wait's timeout must still be a guard against a hung test: it runs on
// real time, so moving the fake clock (to drive a client's watchdog, say) cannot fail a wait the
// client then satisfies, and a wait that never holds still times out while the fake clock stands
// still. The server's own timers (heartbeats here) stay on the faked clock, as documented.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const PUBLIC = getRequest('/api/v1/streaming/public', ALICE);

// Taken before any test fakes the globals.
const realSleep = ((realSetTimeout) => (ms: number) => new Promise<void>((resolve) => realSetTimeout(resolve, ms)))(globalThis.setTimeout);

const perTest = useFakeServer<RawCapture>();
afterEach(() => {
  vi.useRealTimers();
});

async function open(server: FakeMastodon): Promise<RawCapture> {
  return perTest.track(await RawCapture.open(server.port, PUBLIC));
}

function settledState(promise: Promise<unknown>): { current: string } {
  const state = { current: 'pending' };
  promise.then(
    () => void (state.current = 'resolved'),
    (error: Error) => void (state.current = `rejected: ${error.message}`),
  );
  return state;
}

describe('waits under vi.useFakeTimers()', () => {
  it('do not time out when the test moves the fake clock, and resolve once the client does what is awaited', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    vi.useFakeTimers();
    const waiting = s.waitForConnection(undefined, { timeoutMs: 2_000 });
    const state = settledState(waiting);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.current).toBe('pending');
    await open(s);
    await expect(waiting).resolves.toMatchObject({ stream: 'public' });
  });

  it('time out on real time while the fake clock stands still', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    vi.useFakeTimers();
    const state = settledState(s.waitForRequest((request) => request.path === '/never', { timeoutMs: 50 }));
    await realSleep(500);
    expect(state.current).toMatch(/^rejected: FakeMastodon: timed out after 50 ms waiting for a matching request/);
  });

  it("so does recordStream's waitFor", async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const recording = await recordStream(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    await s.waitForConnection();
    vi.useFakeTimers();
    const state = settledState(recording.waitFor((text) => text.includes('event: update'), { timeoutMs: 50 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(state.current).toBe('pending');
    await realSleep(500);
    expect(state.current).toMatch(/^rejected: recordStream: timed out after 50 ms/);
    await recording.stop();
  });

  it("so does the chaos oracle's checkChaosStreamsClosed: moving the fake clock does not end it, and it sees the client close", async () => {
    vi.useFakeTimers();
    let open = 1;
    const checking = checkChaosStreamsClosed({ openStreams: () => open }, { withinMs: 2_000 });
    const state = settledState(checking);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.current).toBe('pending');
    open = 0;
    await realSleep(200);
    expect(state.current).toBe('resolved');
    await expect(checking).resolves.toEqual([]);
  });

  it('and it reports the streams left open after withinMs of real time while the fake clock stands still', async () => {
    vi.useFakeTimers();
    const checking = checkChaosStreamsClosed({ openStreams: () => 1 }, { withinMs: 50 });
    const state = settledState(checking);
    await realSleep(500);
    expect(state.current).toBe('resolved');
    await expect(checking).resolves.toMatchObject([{ rule: 'streams-left-open', actual: 1 }]);
  });

  it('leave heartbeats on the faked clock', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 10_000 });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const client = await open(s);
    await s.waitForConnection();
    await client.waitFor((text) => text.includes(':)\n'));
    expect(client.text()).not.toContain(':thump');
    vi.advanceTimersByTime(10_000);
    await client.waitFor((text) => text.includes(':thump\n'));
  });

  it("pace a trickled stream and flush what a stall held on real time: faked setImmediate does not freeze the server's output", async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const client = await open(s);
    await s.waitForConnection();
    vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'] });
    const within = <T>(promise: Promise<T>, what: string) =>
      Promise.race([promise, realSleep(2_000).then(() => Promise.reject(new Error(`${what} stood still with the fake clock`)))]);
    s.trickle(true);
    s.publish('public', 'delete', '109876543210'); // short: one byte per turn of the event loop
    const body = (text: string) => dechunk(splitResponse(text).body);
    await within(client.waitFor((text) => body(text).endsWith('event: delete\ndata: 109876543210\n\n')), 'a trickled event');
    s.trickle(false);
    s.stall();
    s.endStreams();
    s.resume();
    // The chunked terminator: the body's end, which a client reads (the socket itself stays for keep-alive).
    await within(client.waitFor((text) => text.endsWith('\r\n0\r\n\r\n')), 'the end queued behind a stall');
  });
});
