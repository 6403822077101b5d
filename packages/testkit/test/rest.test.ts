import { describe, expect, it } from 'vitest';
import { compareIds, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer();
const ALICE = { Authorization: 'Bearer peer-test-token' };

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function getJson(path: string, headers: Record<string, string> = ALICE): Promise<{ status: number; body: unknown; link: string | null; response: Response }> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers });
  return { status: response.status, body: await response.json(), link: response.headers.get('link'), response };
}

async function ids(path: string): Promise<string[]> {
  const { status, body } = await getJson(path);
  expect(status).toBe(200);
  return (body as Array<{ id: string }>).map((item) => item.id);
}

describe('REST pagination (protocol.md §12.2–12.3)', () => {
  it('pages statuses newest first with max_id, since_id, min_id, limit and Link headers', async () => {
    const s = await start();
    const posted = Array.from({ length: 50 }, () => s.postStatus().id);
    const newestFirst = [...posted].reverse();
    for (let i = 1; i < posted.length; i += 1) expect(compareIds(posted[i] ?? '', posted[i - 1] ?? '')).toBe(1);
    expect(BigInt(posted[0] ?? '0')).toBeGreaterThan(2n ** 53n);

    expect(await ids('/api/v1/timelines/home')).toEqual(newestFirst.slice(0, 20));
    expect(await ids('/api/v1/timelines/home?limit=100')).toEqual(newestFirst.slice(0, 40));
    expect(await ids('/api/v1/timelines/home?limit=5')).toEqual(newestFirst.slice(0, 5));

    const pivot = posted[10] ?? '';
    expect(await ids(`/api/v1/timelines/home?min_id=${pivot}&limit=5`)).toEqual(posted.slice(11, 16).reverse());
    expect(await ids(`/api/v1/timelines/home?since_id=${pivot}&limit=5`)).toEqual(newestFirst.slice(0, 5));
    expect(await ids(`/api/v1/timelines/home?max_id=${pivot}&limit=5`)).toEqual(posted.slice(5, 10).reverse());
    expect(await ids(`/api/v1/timelines/home?min_id=${pivot}&max_id=${posted[14]}`)).toEqual(posted.slice(11, 14).reverse());
    expect(await ids(`/api/v1/timelines/home?min_id=${posted[49]}`)).toEqual([]);

    const page = await getJson(`/api/v1/timelines/home?limit=5&max_id=${pivot}`);
    expect(page.link).toBe(
      `<${s.url}/api/v1/timelines/home?limit=5&max_id=${posted[5]}>; rel="next", <${s.url}/api/v1/timelines/home?limit=5&min_id=${posted[9]}>; rel="prev"`,
    );
    // Mastodon's timeline controllers link `next` from any page that is not empty, a short one too (only conversations check for a full page).
    const partial = await getJson(`/api/v1/timelines/home?limit=5&max_id=${posted[2]}`);
    expect(partial.link).toBe(
      `<${s.url}/api/v1/timelines/home?limit=5&max_id=${posted[0]}>; rel="next", <${s.url}/api/v1/timelines/home?limit=5&min_id=${posted[1]}>; rel="prev"`,
    );
    const empty = await getJson(`/api/v1/timelines/home?min_id=${posted[49]}`);
    expect(empty.link).toBeNull();
    expect(page.response.headers.get('x-ratelimit-limit')).toBe('300');
    expect(page.response.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    expect(page.response.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('compares ids as big integers (longer string = larger)', async () => {
    const s = await start();
    for (const id of ['9', '100', '10', '99999999999999999999']) s.postStatus({ id });
    expect(await ids('/api/v1/timelines/home')).toEqual(['99999999999999999999', '100', '10', '9']);
    expect(await ids('/api/v1/timelines/home?min_id=9&limit=2')).toEqual(['100', '10']);
    expect(await ids('/api/v1/timelines/home?since_id=9&limit=2')).toEqual(['99999999999999999999', '100']);
  });

  it('pages notifications (default 40, max 80) per account', async () => {
    const s = await start();
    const created = Array.from({ length: 90 }, () => s.notify('1001', { type: 'follow' }).id);
    s.notify('1002');
    const all = [...created].reverse();
    expect(await ids('/api/v1/notifications')).toEqual(all.slice(0, 40));
    expect(await ids('/api/v1/notifications?limit=500')).toEqual(all.slice(0, 80));
    expect(await ids(`/api/v1/notifications?min_id=${created[0]}&limit=3`)).toEqual(created.slice(1, 4).reverse());
    const page = await getJson('/api/v1/notifications?limit=2');
    expect(page.link).toBe(
      `<${s.url}/api/v1/notifications?limit=2&max_id=${all[1]}>; rel="next", <${s.url}/api/v1/notifications?limit=2&min_id=${all[0]}>; rel="prev"`,
    );
  });
});

describe('REST timelines and auth', () => {
  it('serves public (local/remote/only_media), tag and list timelines with the streaming rules', async () => {
    const s = await start();
    const local = s.postStatus({}, { tags: ['Rust'] }).id;
    const remote = s.postStatus({}, { account: 'carol', media: 2, inListIds: ['42'], tags: ['rust'] }).id;
    s.postStatus({}, { visibility: 'private', tags: ['rust'] });
    expect(await ids('/api/v1/timelines/public')).toEqual([remote, local]);
    expect(await ids('/api/v1/timelines/public?local=true')).toEqual([local]);
    expect(await ids('/api/v1/timelines/public?remote=true')).toEqual([remote]);
    expect(await ids('/api/v1/timelines/public?only_media=true')).toEqual([remote]);
    expect(await ids('/api/v1/timelines/tag/rust')).toEqual([remote, local]);
    expect(await ids('/api/v1/timelines/tag/rust?local=true')).toEqual([local]);
    expect(await ids('/api/v1/timelines/list/42')).toEqual([remote]);
    const page = await getJson('/api/v1/timelines/public?local=true&limit=1');
    expect(page.link).toContain(`${s.url}/api/v1/timelines/public?limit=1&local=true&max_id=${local}`);
    const anonymous = await getJson('/api/v1/timelines/public', {});
    expect(anonymous.status).toBe(200);
    expect((anonymous.body as Array<Record<string, unknown>>)[0]).not.toHaveProperty('favourited');
  });

  it('requires a valid token for home, list and notifications', async () => {
    await start();
    expect((await getJson('/api/v1/timelines/home', {})).status).toBe(401);
    expect((await getJson('/api/v1/timelines/home', { Authorization: 'Bearer nope' })).body).toEqual({ error: 'The access token is invalid' });
    expect((await getJson('/api/v1/notifications', { Authorization: 'Bearer peer-test-token-revoked' })).status).toBe(401);
    expect((await getJson('/api/v1/timelines/home', { Authorization: 'Bearer peer-test-token-writeonly' })).status).toBe(403);
    expect((await getJson('/api/v1/timelines/list/43')).status).toBe(404);
    expect((await getJson('/api/v1/timelines/list/42')).status).toBe(200);
  });

  it('keeps what was posted while nobody listened, and 404s deleted statuses', async () => {
    const s = await start();
    const kept = s.postStatus().id;
    const gone = s.postStatus().id;
    s.deleteStatus(gone);
    expect(await ids('/api/v1/timelines/home')).toEqual([kept]);
    expect((await getJson(`/api/v1/statuses/${gone}`)).status).toBe(404);
    expect(((await getJson(`/api/v1/statuses/${kept}`)).body as { id: string }).id).toBe(kept);
  });
});

describe('instance discovery', () => {
  it('advertises the streaming URL in v1 and v2', async () => {
    const s = await start();
    const v1 = (await getJson('/api/v1/instance', {})).body as { urls: { streaming_api: string }; version: string };
    const v2 = (await getJson('/api/v2/instance', {})).body as {
      configuration: { urls: { streaming: string }; timelines_access: { live_feeds: { local: string } } };
    };
    expect(v1.urls.streaming_api).toBe(`ws://127.0.0.1:${s.port}`);
    expect(v1.version).toBe('4.5.7');
    expect(v2.configuration.urls.streaming).toBe(`ws://127.0.0.1:${s.port}`);
    expect(v2.configuration.timelines_access.live_feeds.local).toBe('public');
  });

  it('can hide v2 so discovery falls back to v1, and mount streaming under a prefix', async () => {
    const s = await start({ instanceV2: false, streamingPath: '/stream' });
    // A server before 4.0 has no v2 route: Rails' unknown-route answer, not Api::BaseController's.
    const v2 = await getJson('/api/v2/instance', { Accept: 'application/json' });
    expect(v2.status).toBe(404);
    expect(v2.body).toEqual({ error: 'Not Found' });
    expect(v2.response.headers.get('x-ratelimit-limit')).toBeNull();
    const page = await fetch(`${s.url}/api/v2/instance`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await page.body?.cancel();
    const v1 = (await getJson('/api/v1/instance', {})).body as { urls: { streaming_api: string } };
    expect(v1.urls.streaming_api).toBe(`ws://127.0.0.1:${s.port}/stream`);
    const health = await fetch(`${s.url}/stream/api/v1/streaming/health`);
    expect(await health.text()).toBe('OK');
    const stream = await fetch(`${s.url}/stream/api/v1/streaming/public`, { headers: ALICE });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    await stream.body?.cancel();
    expect((await getJson('/api/v1/streaming/public', {})).status).toBe(404);
  });

  it('scripts REST failures such as 429 with Retry-After for catch-up tests', async () => {
    const s = await start();
    s.postStatus();
    s.failNext({ paths: 'rest', status: 429, headers: { 'Retry-After': '1' }, times: 2 });
    const stream = await fetch(`${s.url}/api/v1/streaming/public`, { headers: ALICE });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    for (let i = 0; i < 2; i += 1) {
      const limited = await getJson('/api/v1/timelines/home');
      expect(limited.status).toBe(429);
      expect(limited.response.headers.get('retry-after')).toBe('1');
      expect(limited.body).toEqual({ error: 'Too many requests' });
    }
    expect((await getJson('/api/v1/timelines/home')).status).toBe(200);
    expect(s.requests.filter((r) => r.path === '/api/v1/timelines/home').map((r) => r.status)).toEqual([429, 429, 200]);
  });
});
