// ky joins the signal it is given to its own with AbortSignal.any, and Node 20 never removes the entry that leaves on
// the given signal. A long-lived signal (a stream's lifetime, an app's shutdown signal) must therefore never reach ky
// itself: every REST request gets a signal of its own. A soak run found a catch-up stream growing by ~400 B a
// reconnect before this; these tests catch the pattern, not the bytes.
import { createFakeMastodon, type FakeMastodon } from '@tootstream/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/client.js';
import { ids, take } from './support/collect.js';

const TOKEN = 'peer-test-token';
let server: FakeMastodon | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Every signal handed to AbortSignal.any, per call. */
function recordAnyInputs(): AbortSignal[][] {
  const calls: AbortSignal[][] = [];
  const original = AbortSignal.any.bind(AbortSignal);
  vi.spyOn(AbortSignal, 'any').mockImplementation((signals: Iterable<AbortSignal>) => {
    const inputs = [...signals];
    calls.push(inputs);
    return original(inputs);
  });
  return calls;
}

describe('REST requests and long-lived signals', () => {
  it('health({ signal }) never hands the caller\'s signal to AbortSignal.any, however often it is called', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const client = createClient({ url: server.url, accessToken: TOKEN, streamingUrl: server.url });
    const calls = recordAnyInputs();
    const appSignal = new AbortController().signal;
    for (let call = 0; call < 3; call++) expect(await client.health({ signal: appSignal })).toBe(true);
    // ky did join signals (so the spy sees what it must), but never with the app's own.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.some((inputs) => inputs.includes(appSignal))).toBe(false);
    // The request is still the caller's to stop.
    const stopping = new AbortController();
    stopping.abort();
    expect(await client.health({ signal: stopping.signal })).toBe(false);
  });

  it('a catch-up stream through several reconnects hands no signal to AbortSignal.any twice (its lifetime signal would recur in every request)', async () => {
    server = await createFakeMastodon({ heartbeatIntervalMs: 0 });
    const fake = server;
    const client = createClient({ url: fake.url, accessToken: TOKEN, streamingUrl: fake.url });
    const stream = client.public({}, { stallTimeoutMs: 0, reconnect: { initialDelayMs: 1, minDelayMs: 1, maxDelayMs: 5, jitter: 'none' } });
    const iterator = stream[Symbol.asyncIterator]();
    const calls = recordAnyInputs();
    const first = take(iterator, 1);
    await fake.waitForConnection();
    const opening = fake.postStatus({}, { account: 'carol' });
    let seen = ids(await first);
    expect(seen).toEqual([opening.id]);
    const catchUpRequests = () => fake.requests.filter((request) => request.path === '/api/v1/timelines/public').length;
    for (let drop = 0; drop < 3; drop++) {
      const next = take(iterator, 2);
      const requestsBefore = catchUpRequests();
      fake.dropConnections();
      const missed = [fake.postStatus({}, { account: 'alice' }), fake.postStatus({}, { account: 'bob' })];
      seen = ids(await next);
      expect(seen).toEqual(missed.map((status) => status.id));
      expect(catchUpRequests()).toBeGreaterThan(requestsBefore);
    }
    await iterator.return?.();
    const inputs = calls.flat();
    expect(inputs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(inputs).size).toBe(inputs.length);
  });
});
