import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { upgradeRequest } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

// failNext({ delayMs }) leaves the request unanswered that long. Until the status line goes out
// the request is not answered: `requests` shows status 0 and waitForRequest (which resolves with
// answered requests only) keeps waiting. A client that gives up during the delay gets nothing,
// and its request stays at status 0 for good.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const DELAY_MS = 300;

const perTest = useFakeServer<RawCapture>();

async function open(fake: FakeMastodon, request: string): Promise<RawCapture> {
  const client = await RawCapture.open(fake.port, request);
  perTest.track(client);
  return client;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const requests = {
  'an SSE connect': getRequest('/api/v1/streaming/public', ALICE),
  'a WebSocket upgrade': upgradeRequest('/api/v1/streaming?stream=public', ALICE),
};

describe.each(Object.entries(requests))('failNext({ delayMs }) on %s', (_name, request) => {
  it('is unanswered (status 0, not waited for) until the answer is written', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    s.failNext({ status: 503, delayMs: DELAY_MS });
    const client = await open(s, request);
    await expect(s.waitForRequest((r) => r.path === '/api/v1/streaming/public' || r.path === '/api/v1/streaming', { timeoutMs: 100 })).rejects.toThrow(
      /timed out after 100 ms waiting for a matching request.*→ unanswered/s,
    );
    expect(s.requests.map((r) => r.status)).toEqual([0]);
    expect(client.text()).toBe('');

    const answered = await s.waitForRequest();
    expect(answered.status).toBe(503);
    await client.waitFor((text) => text.startsWith('HTTP/1.1 503 '));
    expect(s.requests.map((r) => r.status)).toEqual([503]);
  });

  it('stays unanswered (status 0) when the client gives up during the delay', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    s.failNext({ status: 503, delayMs: 150 });
    const client = await open(s, request);
    await sleep(30);
    client.close();
    await sleep(250);
    expect(s.requests.map((r) => r.status)).toEqual([0]);
    await expect(s.waitForRequest(undefined, { timeoutMs: 50 })).rejects.toThrow(/timed out/);
  });
});

describe('failNext({ delayMs, paths: "rest" })', () => {
  it('records the REST answer only once it is sent, and not for a fetch that was aborted first', async () => {
    const s = await perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
    s.failNext({ status: 503, delayMs: 200, paths: 'rest', times: 2 });
    // Given up once the server holds the request (status 0): a timer could fire before a busy machine sent it at all.
    const giveUp = new AbortController();
    const pending = fetch(`${s.url}/api/v1/timelines/home`, { headers: ALICE, signal: giveUp.signal }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    while (!s.requests.some((r) => r.path === '/api/v1/timelines/home')) await sleep(5);
    giveUp.abort();
    expect(await pending).toBe('AbortError');
    const started = Date.now();
    const waited = fetch(`${s.url}/api/v1/timelines/public`, { headers: ALICE });
    const answered = await s.waitForRequest((r) => r.path === '/api/v1/timelines/public');
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(answered.status).toBe(503);
    expect((await waited).status).toBe(503);
    await sleep(200); // the aborted one's delay is over too
    expect(s.requests.map((r) => [r.path, r.status])).toEqual([
      ['/api/v1/timelines/home', 0],
      ['/api/v1/timelines/public', 503],
    ]);
  });
});
