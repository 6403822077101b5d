import { describe, expect, it } from 'vitest';
import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { StreamReader } from './sse-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<StreamReader>();
const ALICE = { Authorization: 'Bearer peer-test-token' };

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start(options);
}

function get(s: FakeMastodon, path: string, headers: Record<string, string> = ALICE): Promise<Response> {
  return fetch(`${s.url}${path}`, { headers, redirect: 'manual' });
}

describe('GET /api/v1/streaming without upgrade (protocol.md §4.1 step 3, checklist 23)', () => {
  it('is the streaming process’s 400 when the fake serves streaming at the root', async () => {
    const s = await start();
    const response = await get(s, '/api/v1/streaming');
    expect([response.status, await response.text()]).toEqual([400, '{"error":"Unknown channel requested"}']);
  });

  it('is Rails’ 404 Record not found when the streaming URL names this host and port', async () => {
    const s = await start({ streamingPath: '/streaming-host' });
    const response = await get(s, '/api/v1/streaming');
    expect([response.status, await response.json()]).toEqual([404, { error: 'Record not found' }]);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('is a 301 to the same URL on the streaming host (host and port swapped, path and query kept) when it names another', async () => {
    const s = await start({ streamingPath: '/streaming-host', advertisedStreamingUrl: 'wss://streaming.example' });
    const response = await get(s, '/api/v1/streaming?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('http://streaming.example/api/v1/streaming?x=1');
    await response.arrayBuffer();

    const samePortOtherName = await createFakeMastodon({ streamingPath: '/s', advertisedStreamingUrl: 'ws://localhost:9/s' });
    try {
      const moved = await get(samePortOtherName, '/api/v1/streaming');
      expect([moved.status, moved.headers.get('location')]).toEqual([301, 'http://localhost:9/api/v1/streaming']);
      await moved.arrayBuffer();
    } finally {
      await samePortOtherName.close();
    }
  });
});

describe('rateLimitNext (protocol.md §12.4)', () => {
  it('answers the next REST requests with Mastodon’s 429 and no Retry-After, then counts on; streams are unaffected', async () => {
    const s = await start();
    s.rateLimitNext({ times: 2, resetInMs: 5_000 });
    const before = Date.now();
    const stream = await StreamReader.open(`${s.url}/api/v1/streaming/public`);
    perTest.track(stream);
    expect(stream.response.status).toBe(200);
    for (const path of ['/api/v1/timelines/home', '/api/v1/instance']) {
      const limited = await get(s, path);
      expect([limited.status, await limited.json()]).toEqual([429, { error: 'Too many requests' }]);
      expect(limited.headers.get('retry-after')).toBeNull();
      expect(limited.headers.get('x-ratelimit-limit')).toBe('300');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      const reset = limited.headers.get('x-ratelimit-reset') ?? '';
      expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Date.parse(reset) - before).toBeGreaterThanOrEqual(4_900);
      expect(Date.parse(reset) - before).toBeLessThan(7_000);
    }
    const after = await get(s, '/api/v1/timelines/home');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('299');
    await after.arrayBuffer();
  });

  it('defaults to one answer whose reset is the end of the current window', async () => {
    const s = await start();
    const first = await get(s, '/api/v1/timelines/public');
    await first.arrayBuffer();
    s.rateLimitNext();
    const limited = await get(s, '/api/v1/timelines/public');
    expect(limited.status).toBe(429);
    // The same window end; Rails adds each request's own sub-second part to it.
    const second = (response: Response) => (response.headers.get('x-ratelimit-reset') ?? '').slice(0, 19);
    expect(second(limited)).toBe(second(first));
    await limited.arrayBuffer();
    expect((await get(s, '/api/v1/timelines/public')).status).toBe(200);
  });
});

describe('GET /api/v1/conversations (protocol.md §12.1–12.3)', () => {
  it('pages the account’s conversations newest first by their last status, and the Link cursors are not conversation ids', async () => {
    const s = await start();
    const made = Array.from({ length: 5 }, (_, index) => s.conversation('1001', { id: String(index + 1) }));
    s.conversation('1002', { id: '99' });
    s.conversation('1001', { id: '2', unread: false }); // a new message moves conversation 2 to the top

    const first = await get(s, '/api/v1/conversations?limit=2');
    expect(first.status).toBe(200);
    expect(((await first.json()) as Array<{ id: string; unread: boolean }>).map((c) => [c.id, c.unread])).toEqual([
      ['2', false],
      ['5', true],
    ]);
    const link = first.headers.get('link') ?? '';
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const cursor = new URL(next).searchParams.get('max_id') ?? '';
    expect(cursor).toMatch(/^\d{15,}$/); // a status id, not the conversation id "5"
    expect(link).toMatch(/<[^>]+min_id=\d{15,}>; rel="prev"$/);

    const second = await fetch(next, { headers: ALICE });
    expect(((await second.json()) as Array<{ id: string }>).map((c) => c.id)).toEqual(['4', '3']);
    expect(made).toHaveLength(5);
    const all = await get(s, '/api/v1/conversations');
    expect(((await all.json()) as Array<{ id: string }>).map((c) => c.id)).toEqual(['2', '5', '4', '3', '1']);
    // Unlike the timelines, conversations link `next` only from a full page (ConversationsController#records_continue?).
    expect(all.headers.get('link')).toMatch(/^<[^>]+min_id=\d{15,}>; rel="prev"$/);
  });

  it('uses last_status.id as the cursor when given, needs a user token, and caps limit at 40', async () => {
    const s = await start();
    const direct = (id: string) => s.postStatus({ id }, { account: 'bob', visibility: 'direct', homeOf: [] });
    s.conversation('1001', { id: '7', last_status: direct('300') });
    s.conversation('1001', { id: '8', last_status: direct('200') });
    const page = await get(s, '/api/v1/conversations?min_id=250');
    expect(((await page.json()) as Array<{ id: string }>).map((c) => c.id)).toEqual(['7']);
    const anonymous = await get(s, '/api/v1/conversations', {});
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    for (let index = 0; index < 45; index += 1) s.conversation('1001', { id: `c${index}` });
    const capped = await get(s, '/api/v1/conversations?limit=100');
    expect(((await capped.json()) as unknown[]).length).toBe(40);
  });
});
