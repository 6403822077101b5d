import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { RawCapture, getRequest, maskVariable, rawExchange, splitResponse } from './raw-http.js';

// The stream route of the 4.5.7 streaming server is `api.get('/api/v1/streaming/*splat')`, so only
// GET and HEAD reach it. Its `authenticationMiddleware` is mounted with `api.use` and checks the
// channel, token and scopes for every method first; a request that passes them finds no route, and
// Express 5's final handler (finalhandler 2.x) answers 404 with its HTML page.

const perTest = useFakeServer<RawCapture>();

function start(): Promise<FakeMastodon> {
  return perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
}

const ALICE = { Authorization: 'Bearer peer-test-token' };
const EMPTY_BODY = { 'Content-Length': '0' };

/** Byte for byte what Express 5.1 + finalhandler 2.1 send (Date and X-Request-Id masked). */
function expressNotFound(method: string, path: string): string {
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${method} ${path}</pre>\n</body>\n</html>\n`;
  const head = [
    'HTTP/1.1 404 Not Found',
    'X-Powered-By: Express',
    'X-Request-Id: <uuid>',
    'Access-Control-Allow-Origin: *',
    "Content-Security-Policy: default-src 'none'",
    'X-Content-Type-Options: nosniff',
    'Content-Type: text/html; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Date: <date>',
    'Connection: keep-alive',
    'Keep-Alive: timeout=5',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

describe('stream paths with methods other than GET and HEAD', () => {
  it('answer Express’s 404 page to a usable token instead of opening a stream', async () => {
    const s = await start();
    for (const [method, path] of [
      ['POST', '/api/v1/streaming/user'],
      ['PUT', '/api/v1/streaming/public'],
      ['DELETE', '/api/v1/streaming/hashtag?tag=rust'],
      ['PATCH', '/api/v1/streaming/list?list=42'],
    ] as const) {
      const answer = await rawExchange(s.port, getRequest(path, { ...ALICE, ...EMPTY_BODY }, method));
      expect(maskVariable(answer), `${method} ${path}`).toBe(expressNotFound(method, path.split('?')[0] ?? path));
    }
    expect(s.totalConnections).toBe(0);
    expect(s.requests.map((request) => request.status)).toEqual([404, 404, 404, 404]);
  });

  it('refuse a missing, unknown or under-scoped token as a GET would, before the 404', async () => {
    const s = await start();
    const cases: Array<[Record<string, string>, string]> = [
      [{}, '{"error":"Missing access token"}'],
      [{ Authorization: 'Bearer nobody' }, '{"error":"Invalid access token"}'],
      [{ Authorization: 'Bearer peer-test-token-writeonly' }, '{"error":"Access token does not have the required scopes"}'],
    ];
    for (const [headers, error] of cases) {
      const { head, body } = splitResponse(await rawExchange(s.port, getRequest('/api/v1/streaming/user', { ...headers, ...EMPTY_BODY }, 'POST')));
      expect(head).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
      expect(body).toContain(error);
    }
    // The channel is checked first: an unknown path is refused whatever the token.
    const unknown = await rawExchange(s.port, getRequest('/api/v1/streaming/nope', { ...ALICE, ...EMPTY_BODY }, 'POST'));
    expect(unknown).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"Unknown channel requested"\}/);
  });

  it('wait for the request body before the 404, as finalhandler does', async () => {
    const s = await start();
    const capture = perTest.track(await RawCapture.open(s.port, getRequest('/api/v1/streaming/user', { ...ALICE, 'Content-Length': '5' }, 'POST')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(capture.text()).toBe('');
    expect(s.requests[0]?.status).toBe(0);
    await capture.write('hello');
    await capture.waitFor((text) => text.endsWith('</html>\n'));
    expect(maskVariable(capture.text())).toBe(expressNotFound('POST', '/api/v1/streaming/user'));
    expect(s.requests[0]?.status).toBe(404);
  });

  it('leave HEAD on the stream route and only GET and HEAD on /favicon.ico', async () => {
    const s = await start();
    const head = await RawCapture.open(s.port, getRequest('/api/v1/streaming/user', ALICE, 'HEAD'));
    perTest.track(head);
    // Node sends no head for a HEAD response until it ends, so the open stream is seen by the server only.
    expect((await s.waitForConnection()).stream).toBe('user');
    // `app.get('/favicon.ico')` answers GET; a POST goes on to the stream checks, which find no channel.
    expect(await rawExchange(s.port, getRequest('/favicon.ico'))).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*Content-Length: 0\r\n\r\n$/);
    const post = await rawExchange(s.port, getRequest('/favicon.ico', { ...ALICE, ...EMPTY_BODY }, 'POST'));
    expect(post).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\{"error":"Unknown channel requested"\}/);
  });
});
