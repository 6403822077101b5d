import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// The README fixes ids and times with a faked Date. A client that reads the server's clock from the Date header (core's
// resume cursors and catch-up do) must then see the same clock as the ids, or it pages from the wrong time.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const perTest = useFakeServer();
afterEach(() => void vi.useRealTimers());

describe('the Date header', () => {
  it.each([
    ['a past date', Date.UTC(2024, 0, 2, 3, 4, 5)],
    ['a future date', Date.UTC(2030, 0, 1)],
  ])('follows a faked Date (%s), as the ids do, on REST answers, stream answers and errors', async (_label, fakedNow) => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(fakedNow);
    const expected = new Date(fakedNow).toUTCString();
    const status = s.postStatus({}, { account: 'alice' });
    expect(BigInt(status.id) >> 16n).toBe(BigInt(fakedNow));

    const timeline = await fetch(`${s.url}/api/v1/timelines/public`, { headers: ALICE });
    expect(timeline.headers.get('date')).toBe(expected);
    await timeline.body?.cancel();
    const unauthorized = await fetch(`${s.url}/api/v1/timelines/home`);
    expect([unauthorized.status, unauthorized.headers.get('date')]).toEqual([401, expected]);
    await unauthorized.body?.cancel();
    const controller = new AbortController();
    const stream = await fetch(`${s.url}/api/v1/streaming/public`, { headers: ALICE, signal: controller.signal });
    expect(stream.headers.get('date')).toBe(expected);
    controller.abort();
  });
});
