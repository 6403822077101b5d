import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { rawGet } from './raw-http.js';

// Mastodon 4.5 runs on Puma, which lets a bare '%' through (http11_parser_common.rl: uchar = (unreserved | escape | "%")).
// In a path, Rails' router unescapes a parameter leniently (a lone '%' stays, '%ZZ' is a NUL byte), so the route
// answers as for any other value; the fake threw there and answered 500. In a query string, Rack's QueryParser cannot
// unescape '%' without two hex digits (URI.decode_www_form_component's ArgumentError, raised as InvalidParameterError)
// and ActionDispatch refuses values that are not UTF-8 (ActionController::BadRequest): both 400 from
// ActionDispatch::PublicExceptions, {"status":400,"error":"Bad Request"} for a JSON request.

const perTest = useFakeServer();
const start = (): Promise<FakeMastodon> => perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
const BAD_REQUEST = { statusLine: 'HTTP/1.1 400 Bad Request', type: 'application/json; charset=utf-8', body: '{"status":400,"error":"Bad Request"}' };
const JSON_BEARER = { Accept: 'application/json', Authorization: 'Bearer peer-test-token' };

const get = (s: FakeMastodon, path: string, headers: Record<string, string>) => rawGet(s.port, path, headers);

describe('a REST path with a % that is no escape', () => {
  it('reaches the route, which finds no such status or list, and no tag of that name', async () => {
    const s = await start();
    for (const path of ['/api/v1/statuses/%', '/api/v1/statuses/%ZZ', '/api/v1/timelines/list/%']) {
      const answer = await get(s, path, JSON_BEARER);
      expect([answer.statusLine, answer.body], path).toEqual(['HTTP/1.1 404 Not Found', '{"error":"Record not found"}']);
    }
    const tag = await get(s, '/api/v1/timelines/tag/%', JSON_BEARER);
    expect([tag.statusLine, tag.body]).toEqual(['HTTP/1.1 200 OK', '[]']);
  });
});

describe('a REST query string Rails cannot read', () => {
  it('gets Rails’ 400 for a % without two hex digits, and for escapes whose value is not UTF-8', async () => {
    const s = await start();
    const targets = ['/api/v1/timelines/public?max_id=%', '/api/v1/timelines/public?limit=%ZZ', '/api/v1/timelines/home?%4=1', '/api/v1/timelines/public?limit=%E0%A4', '/api/v1/statuses?id[]=%C0'];
    for (const target of targets) {
      expect(await get(s, target, JSON_BEARER), target).toEqual(BAD_REQUEST);
      expect(await get(s, target, { Accept: 'application/json' }), `${target} anonymous`).toEqual(BAD_REQUEST);
    }
    expect(await get(s, '/api/v1/timelines/public?max_id=%', {})).toEqual({ statusLine: 'HTTP/1.1 400 Bad Request', type: 'text/html; charset=utf-8', body: '' });
  });

  it('refuses the query before the route: an unknown path gets the 400, not the 404', async () => {
    const s = await start();
    expect(await get(s, '/api/v1/no-such-endpoint?x=%C0', JSON_BEARER)).toEqual(BAD_REQUEST);
    expect(await get(s, '/api/v1/no-such-endpoint?x=%', JSON_BEARER)).toEqual(BAD_REQUEST);
  });

  // (A key that is not UTF-8 is not modelled: Rails' parameter filter may raise on it.)
  it('leaves well-formed escapes and + alone', async () => {
    const s = await start();
    for (const target of ['/api/v1/timelines/public?local=%74rue', '/api/v1/timelines/public?x=caf%C3%A9+au+lait']) {
      expect((await get(s, target, JSON_BEARER)).statusLine, target).toBe('HTTP/1.1 200 OK');
    }
  });

  it('is refused uncounted without a Bearer header, and after the throttle with one', async () => {
    const s = await start();
    s.rateLimitNext();
    // Doorkeeper reads the access_token parameter in Rack::Attack's first throttle: nothing is counted.
    expect(await get(s, '/api/v1/timelines/public?max_id=%', { Accept: 'application/json' })).toEqual(BAD_REQUEST);
    expect((await get(s, '/api/v1/timelines/public?max_id=%', JSON_BEARER)).statusLine).toBe('HTTP/1.1 429 Too Many Requests');
    expect(await get(s, '/api/v1/timelines/public?max_id=%', JSON_BEARER)).toEqual(BAD_REQUEST);
    s.rateLimitNext();
    // Rack reads escapes that are not UTF-8 without a word: the throttles count it, the controller refuses it.
    expect((await get(s, '/api/v1/timelines/public?limit=%E0%A4', { Accept: 'application/json' })).statusLine).toBe('HTTP/1.1 429 Too Many Requests');
  });

  it('leaves the streaming server’s paths to it', async () => {
    const s = await start();
    // The streaming server reads its query with Node's lenient URL parser: no token is what it refuses.
    const answer = await get(s, '/api/v1/streaming/public?x=%', { Accept: 'application/json' });
    expect([answer.statusLine, answer.body]).toEqual(['HTTP/1.1 401 Unauthorized', '20\r\n{"error":"Missing access token"}\r\n0\r\n\r\n']);
  });
});
