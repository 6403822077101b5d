import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { rawGet } from './raw-http.js';

// Rails 8's router unescapes a path parameter byte by byte and refuses one that is not UTF-8 with
// ActionController::BadRequest ("Invalid path parameters: Invalid encoding for parameter", raised in
// ActionDispatch::Http::Parameters#path_parameters= from Journey::Router#serve), before any controller
// runs. Mastodon 4.5 sets no exceptions_app, so ActionDispatch::PublicExceptions answers: 400 with
// {"status":400,"error":"Bad Request"} for a JSON request, else an empty HTML body (there is no
// public/400.html). The fake answered these with the streaming server's 500.

const perTest = useFakeServer();
const start = (): Promise<FakeMastodon> => perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });

const get = (s: FakeMastodon, path: string, headers: Record<string, string>) => rawGet(s.port, path, headers);

describe('a REST path whose escapes are not UTF-8', () => {
  it('gets Rails’ 400, as JSON for a JSON request, whatever the token', async () => {
    const s = await start();
    const paths = ['/api/v1/statuses/%E0%A4', '/api/v1/timelines/tag/%C0', '/api/v1/timelines/list/%FF', '/api/v1/no-such-endpoint/%E0%A4'];
    for (const path of paths) {
      for (const token of ['peer-test-token', 'not-a-token']) {
        expect(await get(s, path, { Accept: 'application/json', Authorization: `Bearer ${token}` }), `${path} ${token}`).toEqual({
          statusLine: 'HTTP/1.1 400 Bad Request',
          type: 'application/json; charset=utf-8',
          body: '{"status":400,"error":"Bad Request"}',
        });
      }
    }
    expect(s.requests.filter((request) => request.status === 400)).toHaveLength(paths.length * 2);
  });

  it('gets an empty HTML 400 without a JSON Accept', async () => {
    const s = await start();
    for (const accept of [undefined, '*/*', 'application/json, text/plain, */*']) {
      const answer = await get(s, '/api/v1/statuses/%E0%A4', accept === undefined ? {} : { Accept: accept });
      expect(answer, String(accept)).toEqual({ statusLine: 'HTTP/1.1 400 Bad Request', type: 'text/html; charset=utf-8', body: '' });
    }
  });

  it('is throttled first: Rack::Attack runs before the router', async () => {
    const s = await start();
    s.rateLimitNext();
    const throttled = await get(s, '/api/v1/statuses/%E0%A4', { Accept: 'application/json' });
    expect([throttled.statusLine, throttled.body]).toEqual(['HTTP/1.1 429 Too Many Requests', '{"error":"Too many requests"}']);
    expect((await get(s, '/api/v1/statuses/%E0%A4', { Accept: 'application/json' })).statusLine).toBe('HTTP/1.1 400 Bad Request');
  });

  it('leaves well-formed escapes to the route as before', async () => {
    const s = await start();
    const tagged = s.postStatus({}, { tags: ['café'] });
    const answer = await get(s, '/api/v1/timelines/tag/caf%C3%A9', { Accept: 'application/json' });
    expect(answer.statusLine).toBe('HTTP/1.1 200 OK');
    expect((JSON.parse(answer.body) as Array<{ id: string }>).map((status) => status.id)).toEqual([tagged.id]);
  });
});
