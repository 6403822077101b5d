import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// Paths and methods Rails has no route for (or the fake does not serve) reach Mastodon's last
// route, `match '*unmatched_route', via: :all, to: 'application#raise_not_found'`, whose 404 comes
// from ApplicationController: `{"error":"Not Found"}` for a JSON Accept, the HTML error page
// otherwise. Only the streaming API's own paths keep the streaming server's answers.

const perTest = useFakeServer();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0, ...options });
}

const JSON_ACCEPT = { Accept: 'application/json', Authorization: 'Bearer peer-test-token' };

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; type: string | null; text: string; limit: string | null }> {
  const response = await fetch(`${perTest.current().url}${path}`, init);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), limit: response.headers.get('x-ratelimit-limit') };
}

const NOT_FOUND_JSON = { status: 404, type: 'application/json; charset=utf-8', text: '{"error":"Not Found"}', limit: null };

describe('Rails’ unknown route', () => {
  it('answers endpoints the fake does not serve, and wrong methods, with 404 Not Found instead of the streaming 400', async () => {
    const s = await start();
    const id = s.postStatus().id;
    const cases: Array<[string, RequestInit]> = [
      [`/api/v1/statuses/${id}/pin`, { method: 'POST', headers: JSON_ACCEPT, body: '' }],
      ['/api/v1/accounts/1002/follow', { method: 'POST', headers: { ...JSON_ACCEPT, 'Content-Type': 'application/json' }, body: '{"reblogs":false}' }],
      ['/api/v1/timelines/home', { method: 'PUT', headers: JSON_ACCEPT }],
      // The collection has no destroy route (config/routes/api.rb:14), only its members do.
      ['/api/v1/statuses', { method: 'DELETE', headers: JSON_ACCEPT }],
      ['/api/v1/nothing-here', { headers: JSON_ACCEPT }],
      ['/api', { headers: JSON_ACCEPT }],
    ];
    for (const [path, init] of cases) expect(await call(path, init), `${init.method ?? 'GET'} ${path}`).toEqual(NOT_FOUND_JSON);
    // The body is recorded, so a test can check what a bot sent to an endpoint the fake lacks.
    expect(s.requests.find((request) => request.path === '/api/v1/accounts/1002/follow')).toMatchObject({ status: 404, body: '{"reblogs":false}' });
  });

  it('sends the HTML error page unless the Accept header asks for JSON first and is not a browser’s', async () => {
    const s = await start();
    const path = `/api/v1/statuses/${s.postStatus().id}/bookmark`;
    for (const accept of [undefined, '*/*', 'text/html,application/json,*/*', 'application/json;q=0.5, text/plain']) {
      const answer = await call(path, { method: 'POST', headers: accept === undefined ? {} : { Accept: accept } });
      expect(answer.status, String(accept)).toBe(404);
      expect(answer.type, String(accept)).toBe('text/html; charset=utf-8');
      expect(answer.text, String(accept)).toContain("The page you are looking for isn't here.");
    }
    expect((await call(path, { method: 'POST', headers: { Accept: 'application/json, text/plain;q=0.9' } })).text).toBe('{"error":"Not Found"}');
  });

  it('is throttled and scripted like the other REST requests', async () => {
    const s = await start();
    s.rateLimitNext();
    expect((await call('/api/v1/favourites', { headers: JSON_ACCEPT })).status).toBe(429);
    s.failNext({ paths: 'rest', status: 503 });
    expect((await call('/api/v1/favourites', { headers: JSON_ACCEPT })).status).toBe(503);
    expect(await call('/api/v1/favourites', { headers: JSON_ACCEPT })).toEqual(NOT_FOUND_JSON);
  });

  it('leaves the streaming server’s paths to it', async () => {
    await start();
    const unknownChannel = { status: 400, text: '{"error":"Unknown channel requested"}' };
    for (const path of ['/api/v1/streaming/nope', '/api/v1/streaming', '/nope']) {
      expect(await call(path, { headers: JSON_ACCEPT }), path).toMatchObject(unknownChannel);
    }
  });

  it('answers every path outside a streamingPath prefix, not only /api ones', async () => {
    await start({ streamingPath: '/stream' });
    expect(await call('/api/v1/nothing-here', { headers: JSON_ACCEPT })).toEqual(NOT_FOUND_JSON);
    expect(await call('/about/nothing', { headers: JSON_ACCEPT })).toEqual(NOT_FOUND_JSON);
    expect((await call('/about/nothing')).type).toBe('text/html; charset=utf-8');
    // Rails' own streaming route (`get '/streaming/(*any)'`) keeps its answer.
    expect(await call('/api/v1/streaming/user', { headers: JSON_ACCEPT })).toMatchObject({ status: 404, text: '{"error":"Record not found"}' });
  });
});

describe('Rails’ path normalisation', () => {
  it('routes a path with a trailing or a doubled slash as Rails does (Mastodon.py asks for /api/v2/instance/)', async () => {
    const s = await start();
    const id = s.postStatus({ content: '<p>hello</p>' }).id;
    const pairs: Array<[string, string]> = [
      ['/api/v2/instance/', '/api/v2/instance'],
      ['/api/v1/instance/', '/api/v1/instance'],
      ['/api/v1//timelines/public/', '/api/v1/timelines/public'],
      [`/api/v1/statuses/${id}/`, `/api/v1/statuses/${id}`],
    ];
    for (const [variant, canonical] of pairs) {
      const [got, wanted] = [await call(variant, { headers: JSON_ACCEPT }), await call(canonical, { headers: JSON_ACCEPT })];
      expect(got.status, variant).toBe(200);
      expect({ ...got, limit: null }, variant).toEqual({ ...wanted, limit: null });
    }
    // Recorded as asked, so a test sees what the client really requested.
    expect(s.requests.map((request) => request.path)).toContain('/api/v2/instance/');
  });

  it('takes a path that starts with two slashes as a path (it was read as a host, and `//` ended the process)', async () => {
    const s = await start();
    expect((await call('//api/v1/instance', { headers: JSON_ACCEPT })).status).toBe(200);
    // Answered as `/` is (the path is outside Rails' API).
    expect(await call('//', { headers: JSON_ACCEPT })).toEqual(await call('/', { headers: JSON_ACCEPT }));
    expect(s.requests.map((request) => request.path)).toEqual(['//api/v1/instance', '//', '/']);
    // A doubled slash inside the streaming prefix is still no streaming path: Rails' 404, as before.
    expect(await call('/api/v1//streaming/user', { headers: JSON_ACCEPT })).toEqual(NOT_FOUND_JSON);
    expect((await call('/api/v1/instance', { headers: JSON_ACCEPT })).status).toBe(200);
  });
});
