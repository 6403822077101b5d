import { describe, expect, it, vi } from 'vitest';
import { checkChaosStreamsClosed, recordStream, type FakeMastodon } from '@tootstream/testkit';
import { runAfter } from '../src/durations.js';
import { useFakeServer } from './fake-per-test.js';
import { RawCapture, canConnect, getRequest } from './raw-http.js';
import { sleep } from './sse-client.js';

// One rule for every duration (src/durations.ts): Infinity means never, a value past the
// runtime's timer limit is clamped, negative/NaN/non-numbers are refused at the call, 0 keeps its
// documented meaning. Node fires a timer of Infinity or ≥ 2^31 ms after 1 ms, so before the rule
// each "never" below happened at once.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const PUBLIC = getRequest('/api/v1/streaming/public', ALICE);
// Long enough for a 1 ms timer (what Node makes of Infinity) to have fired many times over.
const SETTLE_MS = 60;

const perTest = useFakeServer<RawCapture>();

async function open(server: FakeMastodon, request = PUBLIC): Promise<RawCapture> {
  return perTest.track(await RawCapture.open(server.port, request));
}

/** 'pending' if `promise` has not settled after SETTLE_MS. */
function stateAfterSettling(promise: Promise<unknown>): Promise<string> {
  return Promise.race([promise.then(() => 'resolved', (error: Error) => `rejected: ${error.message}`), sleep(SETTLE_MS).then(() => 'pending')]);
}

describe('Infinity means never', () => {
  it('heartbeatIntervalMs: Infinity sends no heartbeat', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: Infinity });
    const client = await open(s);
    await s.waitForConnection();
    await sleep(SETTLE_MS);
    expect(client.text()).toContain(':)\n');
    expect(client.text()).not.toContain(':thump');
  });

  it('waitForConnection({ timeoutMs: Infinity }) waits, and resolves once the client connects', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const waiting = s.waitForConnection(undefined, { timeoutMs: Infinity });
    expect(await stateAfterSettling(waiting)).toBe('pending');
    await open(s);
    await expect(waiting).resolves.toMatchObject({ stream: 'public' });
  });

  it('every wait takes timeoutMs: Infinity, and close() ends it', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    const never = { timeoutMs: Infinity };
    const waits = [s.waitForConnection(undefined, never), s.waitForConnectionCount(3, never), s.waitForWebSocket(undefined, never), s.waitForRequest(() => false, never)];
    expect(await Promise.all(waits.map(stateAfterSettling))).toEqual(['pending', 'pending', 'pending', 'pending']);
    await s.close();
    for (const wait of waits) await expect(wait).rejects.toThrow('server closed while waiting');
  });

  it('recordStream waitFor({ timeoutMs: Infinity }) waits', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const recording = await recordStream(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    await s.waitForConnection();
    const waiting = recording.waitFor((text) => text.includes('event: update'), { timeoutMs: Infinity });
    expect(await stateAfterSettling(waiting)).toBe('pending');
    s.postStatus();
    await waiting;
    await recording.stop();
  });

  it('a timeout past the timer limit (2^31 ms) waits too: it is clamped, not fired at once', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const waiting = s.waitForConnection(undefined, { timeoutMs: 2 ** 31 });
    expect(await stateAfterSettling(waiting)).toBe('pending');
    await open(s);
    await waiting;
  });

  it('restart({ downMs: Infinity }) stays down until close(), which settles it', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const restarting = s.restart({ downMs: Infinity });
    expect(await stateAfterSettling(restarting)).toBe('pending');
    expect(await canConnect(s.port)).toBe(false);
    await s.close();
    await expect(restarting).resolves.toBeUndefined();
  });

  it('failNext({ delayMs: Infinity }) never answers the request', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    s.failNext({ status: 503, delayMs: Infinity });
    const client = await open(s);
    await sleep(SETTLE_MS);
    expect(client.text()).toBe('');
    expect(s.requests.map((request) => request.status)).toEqual([0]);
  });

  it('subscribeDelayMs: Infinity never subscribes the stream', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, subscribeDelayMs: Infinity });
    const client = await open(s);
    await client.waitFor((text) => text.includes(':)\n'));
    await sleep(SETTLE_MS);
    expect(s.connections.map((connection) => connection.isSubscribed)).toEqual([false]);
  });

  it('reorderUpdatesMs: Infinity holds public updates for good, other events still go out', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, reorderUpdatesMs: Infinity });
    const client = await open(s);
    await s.waitForConnection();
    const status = s.postStatus();
    s.deleteStatus(status.id);
    await client.waitFor((text) => text.includes('event: delete'));
    await sleep(SETTLE_MS);
    expect(client.text()).not.toContain('event: update');
  });
});

describe('bad durations are refused at the call, naming the option and the value', () => {
  it.each([
    ['heartbeatIntervalMs', -5, RangeError, /createFakeMastodon: heartbeatIntervalMs must be ≥ 0 ms.*got -5/],
    ['heartbeatIntervalMs', NaN, RangeError, /createFakeMastodon: heartbeatIntervalMs must be ≥ 0 ms.*got NaN/],
    ['subscribeDelayMs', '20', TypeError, /createFakeMastodon: subscribeDelayMs must be a number of ms.*got '20'/],
    ['reorderUpdatesMs', -1, RangeError, /createFakeMastodon: reorderUpdatesMs.*got -1/],
    ['webSocketPingIntervalMs', NaN, RangeError, /createFakeMastodon: webSocketPingIntervalMs.*got NaN/],
    ['webSocketCloseTimeoutMs', -1, RangeError, /createFakeMastodon: webSocketCloseTimeoutMs.*got -1/],
    ['webSocketSubscribeDelayMs', null, TypeError, /createFakeMastodon: webSocketSubscribeDelayMs.*got null/],
  ])('createFakeMastodon({ %s: %s })', async (name, value, type, message) => {
    const refused = perTest.start({ [name]: value } as never);
    await expect(refused).rejects.toThrow(type);
    await expect(refused).rejects.toThrow(message);
  });

  it.each([0, -1, NaN])('timeoutMs %s: 0 checks what is there already, a negative or NaN one is refused', async (timeoutMs) => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    if (timeoutMs === 0) {
      // 0 keeps its meaning: "only what is already there", checked at once.
      await expect(s.waitForConnection(undefined, { timeoutMs })).rejects.toThrow('timed out after 0 ms');
      return;
    }
    for (const wait of [
      () => s.waitForConnection(undefined, { timeoutMs }),
      () => s.waitForConnectionCount(0, { timeoutMs }),
      () => s.waitForWebSocket(undefined, { timeoutMs }),
      () => s.waitForRequest(undefined, { timeoutMs }),
    ]) {
      expect(wait).toThrow(RangeError);
      expect(wait).toThrow(new RegExp(`FakeMastodon\\.waitFor\\w+: timeoutMs must be ≥ 0 ms.*got ${timeoutMs}`));
    }
  });

  it('failNext, restart, setReorderUpdates and rateLimitNext name themselves', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    expect(() => s.failNext({ status: 503, delayMs: -1 })).toThrow(/FakeMastodon\.failNext: delayMs must be ≥ 0 ms.*got -1/);
    expect(() => s.restart({ downMs: NaN })).toThrow(/FakeMastodon\.restart: downMs must be ≥ 0 ms.*got NaN/);
    expect(() => s.setReorderUpdates(-2)).toThrow(/FakeMastodon\.setReorderUpdates: delayMs must be ≥ 0 ms.*got -2/);
    expect(() => s.rateLimitNext({ resetInMs: -1 })).toThrow(/FakeMastodon\.rateLimitNext: resetInMs must be ≥ 0 ms.*got -1/);
    // The reset is sent as a date, so there is no "never" to give it.
    expect(() => s.rateLimitNext({ resetInMs: Infinity })).toThrow(/resetInMs must be finite/);
    // Nothing was queued or restarted by the refused calls.
    expect(await canConnect(s.port)).toBe(true);
    const response = await fetch(`${s.url}/api/v1/timelines/public`);
    expect(response.status).toBe(200);
  });

  it('recordStream and checkChaosStreamsClosed refuse theirs', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    expect(() => recordStream(`${s.url}/api/v1/streaming/public`, { headers: ALICE, durationMs: -1 })).toThrow(/recordStream: durationMs must be ≥ 0 ms.*got -1/);
    const recording = await recordStream(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    expect(() => recording.waitFor(() => true, { timeoutMs: NaN })).toThrow(/recordStream waitFor: timeoutMs must be ≥ 0 ms.*got NaN/);
    await recording.stop();
    await expect(checkChaosStreamsClosed({ openStreams: () => 0 }, { withinMs: -1 })).rejects.toThrow(/checkChaosStreamsClosed: withinMs must be ≥ 0 ms.*got -1/);
  });
});

describe('timer delays', () => {
  it('round a fraction up to the next whole ms, so 2.5 never fires at 2', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let fired = false;
      runAfter(2.5, () => void (fired = true));
      vi.advanceTimersByTime(2);
      expect(fired).toBe(false);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
