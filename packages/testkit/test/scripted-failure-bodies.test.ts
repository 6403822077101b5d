import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { httpSections } from './fixtures.js';
import { RawCapture, asFixtureNotation, getRequest, maskVariable, rawExchange } from './raw-http.js';
import { upgradeRequest } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

// failNext without a body answers with the error text of the server that would have answered:
// on a stream connect the streaming server's own (as captured in http-errors.txt, in its header
// layout), on a REST path Rails'. A status the streaming server never sends gets the HTTP reason
// phrase: it comes from whatever stands in front of it.
const ALICE = { Authorization: 'Bearer peer-test-token' };
const captured = httpSections('http-errors.txt');

const perTest = useFakeServer();

function capturedSection(name: string): string {
  const section = [...captured].find(([title]) => title.startsWith(`${name}:`))?.[1];
  if (section === undefined) throw new Error(`no section ${name} in http-errors.txt`);
  return maskVariable(section).trimEnd();
}

async function scriptedStreamAnswer(fake: FakeMastodon, status: number): Promise<string> {
  fake.failNext({ status });
  return maskVariable(asFixtureNotation(await rawExchange(fake.port, getRequest('/api/v1/streaming/user', ALICE)))).trimEnd();
}

/** The body of a fixture-notation response. */
const bodyOf = (response: string): string => response.slice(response.indexOf('\n\n') + 2);

describe('failNext default bodies on stream connects (SSE)', () => {
  it('401 is the captured refusal of a token, byte for byte (bad-token)', async () => {
    const s = await perTest.start();
    expect(await scriptedStreamAnswer(s, 401)).toBe(capturedSection('bad-token'));
  });

  it('400 is the captured unknown channel, byte for byte (unknown-path)', async () => {
    const s = await perTest.start();
    expect(await scriptedStreamAnswer(s, 400)).toBe(capturedSection('unknown-path'));
  });

  it('500 is the streaming server’s catch-all; other statuses the reason phrase, in the same layout', async () => {
    const s = await perTest.start();
    const layout = capturedSection('bad-token').split('\n\n')[0]?.replace('401 Unauthorized', 'STATUS');
    for (const [status, phrase, error] of [
      [500, 'Internal Server Error', 'An unexpected error occurred'],
      [404, 'Not Found', 'Not Found'],
      [429, 'Too Many Requests', 'Too Many Requests'],
      [503, 'Service Unavailable', 'Service Unavailable'],
    ] as const) {
      const answer = await scriptedStreamAnswer(s, status);
      expect(answer).toBe(`${layout?.replace('STATUS', `${status} ${phrase}`)}\n\n{"error":"${error}"}`);
    }
  });

  it("follows streamingErrorTexts: 'pre-4.2' gives the old server's 401 and 404 texts", async () => {
    const s = await perTest.start({ streamingErrorTexts: 'pre-4.2' });
    expect(bodyOf(await scriptedStreamAnswer(s, 401))).toBe('{"error":"Error: Invalid access token"}');
    expect(bodyOf(await scriptedStreamAnswer(s, 404))).toBe('{"error":"Not found"}');
    expect(bodyOf(await scriptedStreamAnswer(s, 500))).toBe('{"error":"An unexpected error occurred"}');
  });

  it('a body or headers the test gives still win', async () => {
    const s = await perTest.start();
    s.failNext({ status: 401, body: { error: 'custom' }, headers: { 'X-Extra': '1' } });
    const answer = asFixtureNotation(await rawExchange(s.port, getRequest('/api/v1/streaming/user', ALICE)));
    expect(answer).toContain('\nX-Extra: 1\n');
    expect(bodyOf(answer)).toBe('{"error":"custom"}');
  });
});

describe('failNext default bodies on REST paths', () => {
  it("are Rails': 401 Doorkeeper's, 404 Record not found, 429 the throttle's", async () => {
    const s = await perTest.start();
    for (const [status, error] of [
      [401, 'The access token is invalid'],
      [404, 'Record not found'],
      [429, 'Too many requests'],
    ] as const) {
      s.failNext({ status, paths: 'rest' });
      const response = await fetch(`${s.url}/api/v1/timelines/home`, { headers: ALICE });
      expect([response.status, await response.json()]).toEqual([status, { error }]);
    }
  });
  it("come in Rails' header layout, not the streaming server's Express one", async () => {
    const s = await perTest.start();
    s.failNext({ status: 401, paths: 'rest', headers: { 'X-Extra': '1' } });
    const refused = await fetch(`${s.url}/api/v1/timelines/home`, { headers: ALICE });
    const ordinary = await fetch(`${s.url}/api/v1/timelines/home`, { headers: { Authorization: 'Bearer not-a-token' } });
    const layout = (response: Response) => ({
      poweredBy: response.headers.get('x-powered-by'),
      contentType: response.headers.get('content-type'),
      cacheControl: response.headers.get('cache-control'),
      hasRequestId: response.headers.has('x-request-id'),
      length: response.headers.get('content-length'),
    });
    const body = '{"error":"The access token is invalid"}';
    expect([refused.status, ordinary.status]).toEqual([401, 401]);
    expect(layout(refused)).toEqual({ ...layout(ordinary), length: String(body.length) });
    expect(layout(refused)).toEqual({ poweredBy: null, contentType: 'application/json; charset=utf-8', cacheControl: 'private, no-store', hasRequestId: true, length: String(body.length) });
    expect(refused.headers.get('x-extra')).toBe('1');
    expect(await refused.text()).toBe(body);
    s.failNext({ status: 429, paths: 'rest' });
    const throttled = await fetch(`${s.url}/api/v1/timelines/home`, { headers: ALICE });
    expect([throttled.headers.get('content-type'), throttled.headers.get('cache-control'), throttled.headers.get('x-powered-by')]).toEqual(['application/json', null, null]);
  });
});

describe('failNext default answers on WebSocket upgrades', () => {
  async function upgradeAnswer(fake: FakeMastodon): Promise<string> {
    const client = await RawCapture.open(fake.port, upgradeRequest('/api/v1/streaming?stream=user', ALICE));
    await client.ended;
    return maskVariable(client.text());
  }

  it('401 is the raw refusal the 4.5.7 server sends for a bad token (X-Error-Message, empty body)', async () => {
    const s = await perTest.start();
    s.failNext({ status: 401 });
    expect(await upgradeAnswer(s)).toBe(
      'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX-Request-Id: <uuid>\r\nX-Error-Message: Invalid access token\r\n\r\n',
    );
    s.failNext({ status: 401, headers: { 'X-Extra': '1' } });
    expect(await upgradeAnswer(s)).toMatch(/\r\nX-Error-Message: Invalid access token\r\nX-Extra: 1\r\n\r\n$/);
  });

  it('other statuses get their reason phrase as the JSON error', async () => {
    const s = await perTest.start();
    s.failNext({ status: 503 });
    expect(await upgradeAnswer(s)).toBe(
      'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n{"error":"Service Unavailable"}',
    );
  });
});

describe('failNext body content types (the README rule)', () => {
  it.each(['rest', 'streaming'] as const)('on %s paths: an object is JSON, a string text/plain, and a Content-Type header overrides', async (paths) => {
    const s = await perTest.start({ heartbeatIntervalMs: 0 });
    const path = paths === 'rest' ? '/api/v1/timelines/home' : '/api/v1/streaming/user';
    const answer = async () => {
      const response = await fetch(`${s.url}${path}`, { headers: ALICE });
      return [response.headers.get('content-type')?.split(';')[0], await response.text()];
    };
    s.failNext({ status: 500, paths, body: { error: 'x' } });
    expect(await answer()).toEqual(['application/json', '{"error":"x"}']);
    s.failNext({ status: 500, paths, body: '{"error":"x"}' });
    expect(await answer()).toEqual(['text/plain', '{"error":"x"}']);
    s.failNext({ status: 500, paths, body: '{"error":"x"}', headers: { 'Content-Type': 'application/json' } });
    expect(await answer()).toEqual(['application/json', '{"error":"x"}']);
  });
});
