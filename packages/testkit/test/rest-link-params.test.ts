import { describe, expect, it } from 'vitest';
import { useFakeServer } from './fake-per-test.js';

// The parameters Mastodon 4.5 carries into its Link URLs: each timeline controller's
// PERMITTED_PARAMS (home: local, limit) and Api::V1::NotificationsController#pagination_params
// (limit, account_id, include_filtered and every value of types[] and exclude_types[]), written
// by Rails' to_query; and Api::BaseController#limit_param, which reads `limit` with to_i.

const perTest = useFakeServer();
const ALICE = { Authorization: 'Bearer peer-test-token' };

async function get(path: string): Promise<{ ids: string[]; link: string | null }> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers: ALICE });
  expect(response.status).toBe(200);
  const body = (await response.json()) as Array<{ id: string }>;
  return { ids: body.map((item) => item.id), link: response.headers.get('link') };
}

describe('Link parameters (Api::V1::Timelines::HomeController, Api::V1::NotificationsController)', () => {
  it('keeps `local` on the home timeline’s links', async () => {
    const server = await perTest.start();
    const [older, newer] = [server.postStatus().id, server.postStatus().id];
    const page = await get('/api/v1/timelines/home?local=true&limit=2');
    const base = `${server.url}/api/v1/timelines/home`;
    expect(page.link).toBe(`<${base}?limit=2&local=true&max_id=${older}>; rel="next", <${base}?limit=2&local=true&min_id=${newer}>; rel="prev"`);
  });

  it('keeps every types[] and exclude_types[] value, account_id and include_filtered on notification links', async () => {
    const server = await perTest.start();
    const [older, newer] = [server.notify('1001', { type: 'follow' }).id, server.notify('1001', { type: 'follow' }).id];
    const query = 'types[]=follow&types[]=mention&exclude_types[]=poll&exclude_types[]=update&include_filtered=true&limit=2&account_id=1002';
    const page = await get(`/api/v1/notifications?${query}`);
    const kept = 'account_id=1002&exclude_types%5B%5D=poll&exclude_types%5B%5D=update&include_filtered=true&limit=2';
    const base = `${server.url}/api/v1/notifications`;
    expect(page.link).toBe(
      `<${base}?${kept}&max_id=${older}&types%5B%5D=follow&types%5B%5D=mention>; rel="next", <${base}?${kept}&min_id=${newer}&types%5B%5D=follow&types%5B%5D=mention>; rel="prev"`,
    );
  });

  it('reads a `limit` that is not a number as 0, as Ruby’s to_i does: an empty page', async () => {
    const server = await perTest.start();
    server.postStatus();
    expect(await get('/api/v1/timelines/home?limit=many')).toEqual({ ids: [], link: null });
    expect(await get('/api/v1/timelines/home?limit=')).toEqual({ ids: [], link: null });
    expect((await get('/api/v1/timelines/home?limit=1x')).ids).toHaveLength(1);
  });

  it('reads the last of a repeated `limit`, as Rack’s query parser keeps it, in the page and its links', async () => {
    const server = await perTest.start();
    const [, older, newer] = [server.postStatus().id, server.postStatus().id, server.postStatus().id];
    const page = await get('/api/v1/timelines/home?limit=1&limit=2');
    expect(page.ids).toEqual([newer, older]);
    const base = `${server.url}/api/v1/timelines/home`;
    expect(page.link).toBe(`<${base}?limit=2&max_id=${older}>; rel="next", <${base}?limit=2&min_id=${newer}>; rel="prev"`);
  });
});

describe('GET /api/v1/notifications filters (Notification.browserable)', () => {
  it('keeps only types[], drops exclude_types[] and narrows to account_id', async () => {
    const server = await perTest.start();
    const follow = server.notify('1001', { type: 'follow', fromAccount: 'bob' }).id;
    const favourite = server.notify('1001', { type: 'favourite', fromAccount: 'carol' }).id;
    const mention = server.notify('1001', { type: 'mention', fromAccount: 'bob' }).id;
    expect((await get('/api/v1/notifications?types[]=follow&types[]=mention')).ids).toEqual([mention, follow]);
    expect((await get('/api/v1/notifications?exclude_types[]=mention')).ids).toEqual([favourite, follow]);
    expect((await get('/api/v1/notifications?types[]=follow&types[]=mention&exclude_types[]=follow')).ids).toEqual([mention]);
    expect((await get('/api/v1/notifications?account_id=1003')).ids).toEqual([favourite]);
    // Only unknown types: none of the requested types is left, so nothing matches.
    expect((await get('/api/v1/notifications?types[]=bogus')).ids).toEqual([]);
    // A bare `types=` is not an array, so permit(types: []) drops it.
    expect((await get('/api/v1/notifications?types=follow')).ids).toEqual([mention, favourite, follow]);
  });
});

describe("CORS on REST answers (Mastodon's config/initializers/cors.rb, resource '/api/*')", () => {
  it('lets a page read Link, the X-RateLimit-* headers and X-Request-Id, on a timeline page and on a throttled answer alike', async () => {
    const server = await perTest.start();
    server.postStatus();
    const exposed = ['Link', 'X-RateLimit-Reset', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-Request-Id'];
    const page = await fetch(`${server.url}/api/v1/timelines/home`, { headers: { ...ALICE, Origin: 'http://page.example' } });
    await page.body?.cancel();
    expect(page.headers.get('access-control-allow-origin')).toBe('*');
    expect(page.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(exposed);
    server.failNext({ status: 429, paths: 'rest', body: { error: 'Too many requests' } });
    const throttled = await fetch(`${server.url}/api/v1/timelines/home`, { headers: { ...ALICE, Origin: 'http://page.example' } });
    await throttled.body?.cancel();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(exposed);
  });
});
