import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// Mastodon 4.5's config/initializers/rack_attack.rb and app/controllers/concerns/api/rate_limit_headers.rb:
// Rack::Attack counts in windows aligned to multiples of the period, the headers show the throttle
// with the fewest requests left, requests carrying page/min_id/max_id/since_id also count against
// throttle_authenticated_paging (300 per 15 minutes per user), and the throttled responder answers
// with its own bare `Content-Type: application/json`.

const perTest = useFakeServer();
const FIVE_MINUTES = 300_000;
const FIFTEEN_MINUTES = 900_000;

// Registered after useFakeServer, so it runs before the server closes (vitest runs after-hooks last first).
afterEach(() => {
  vi.useRealTimers();
});

async function get(path: string, token = 'peer-test-token'): Promise<Response> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response;
}

/** The reset without the request's sub-second part, which Rails adds to it (`request_time + offset`). */
const resetSecond = (response: Response) => Math.floor(Date.parse(response.headers.get('x-ratelimit-reset') ?? '') / 1000) * 1000;

describe('X-RateLimit-* headers (rack_attack.rb, Api::RateLimitHeaders)', () => {
  it('resets at the end of the period-aligned window, not a period after the first request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const windowStart = Math.ceil(Date.now() / FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
    vi.setSystemTime(windowStart + 120_000 + 250);
    const server = await perTest.start();
    const response = await get('/api/v1/timelines/home');
    expect(response.headers.get('x-ratelimit-limit')).toBe('300');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('299');
    expect(response.headers.get('x-ratelimit-reset')).toBe(new Date(windowStart + FIVE_MINUTES + 250).toISOString().replace('Z', '000Z'));
  });

  it('shows the per-user paging throttle (300 per 15 minutes) once it has fewer requests left', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const windowStart = Math.ceil(Date.now() / FIFTEEN_MINUTES) * FIFTEEN_MINUTES;
    vi.setSystemTime(windowStart + 10_000);
    const server = await perTest.start();
    const first = await get('/api/v1/timelines/home?min_id=1');
    // A tie with the per-token throttle: Ruby's min_by keeps the first declared, the 5-minute one.
    expect([first.headers.get('x-ratelimit-remaining'), resetSecond(first)]).toEqual(['299', windowStart + FIVE_MINUTES]);
    // Another token of the same account: its own per-token count, the account's paging count.
    vi.setSystemTime(windowStart + FIVE_MINUTES + 10_000);
    const second = await get('/api/v1/timelines/home?max_id=99', 'peer-test-token-writeonly');
    expect(second.status).toBe(403);
    expect([second.headers.get('x-ratelimit-limit'), second.headers.get('x-ratelimit-remaining')]).toEqual(['300', '298']);
    expect(resetSecond(second)).toBe(windowStart + FIFTEEN_MINUTES);
    // Requests without a cursor do not count against it.
    const plain = await get('/api/v1/timelines/home');
    expect([plain.headers.get('x-ratelimit-remaining'), resetSecond(plain)]).toEqual(['299', windowStart + 2 * FIVE_MINUTES]);
  });

  it('counts a token a form body carries against that token, as Rack::Attack reads form params, but not one in a JSON body', async () => {
    const server = await perTest.start();
    const byHeader = await get('/api/v1/timelines/home');
    expect(byHeader.headers.get('x-ratelimit-remaining')).toBe('299');
    const post = async (body: string, contentType: string) => {
      const response = await fetch(`${server.url}/api/v1/statuses`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
      await response.arrayBuffer();
      return response;
    };
    const byForm = await post('access_token=peer-test-token&status=hi', 'application/x-www-form-urlencoded');
    expect([byForm.status, byForm.headers.get('x-ratelimit-remaining')]).toEqual([200, '298']);
    // Rails reads the JSON body's token (the post succeeds), Rack::Attack counts the address.
    const byJson = await post(JSON.stringify({ access_token: 'peer-test-token', status: 'hi' }), 'application/json');
    expect([byJson.status, byJson.headers.get('x-ratelimit-remaining')]).toEqual([200, '299']);
    expect((await get('/api/v1/timelines/home')).headers.get('x-ratelimit-remaining')).toBe('297');
  });

  it('answers a throttled request with the responder’s bare JSON content type and no Rails cache headers', async () => {
    const server = await perTest.start();
    server.rateLimitNext();
    const limited = await fetch(`${server.url}/api/v1/timelines/home`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect([limited.status, await limited.text()]).toEqual([429, '{"error":"Too many requests"}']);
    expect(limited.headers.get('content-type')).toBe('application/json');
    expect(limited.headers.get('cache-control')).toBeNull();
  });
});
