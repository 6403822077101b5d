import { describe, expect, it } from 'vitest';
import type { PublishTarget } from '@tootstream/testkit';
import { httpSections, readRaw, sseEvents } from './fixtures.js';
import { RawCapture, asFixtureNotation, dechunk, getRequest, maskVariable, rawExchange, splitResponse } from './raw-http.js';
import { useFakeServer } from './fake-per-test.js';

const ALICE = { Authorization: 'Bearer peer-test-token' };

interface SseScenario {
  fixture: string;
  path: string;
  headers: Record<string, string>;
  target: PublishTarget;
  /** The server appends `"filtered":[]` itself on these streams, so it is stripped before publishing. */
  annotated: boolean;
}

const SCENARIOS: SseScenario[] = [
  { fixture: 'sse-user', path: '/api/v1/streaming/user', headers: ALICE, target: { stream: 'user', accountId: '1001' }, annotated: false },
  { fixture: 'sse-user-notification', path: '/api/v1/streaming/user/notification', headers: ALICE, target: { stream: 'user:notification' }, annotated: false },
  { fixture: 'sse-public', path: '/api/v1/streaming/public', headers: ALICE, target: { stream: 'public' }, annotated: true },
  { fixture: 'sse-public-local-qs', path: '/api/v1/streaming/public/local?access_token=peer-test-token', headers: {}, target: { stream: 'public:local' }, annotated: true },
  { fixture: 'sse-hashtag', path: '/api/v1/streaming/hashtag?tag=Test', headers: ALICE, target: { stream: 'hashtag', tag: 'test' }, annotated: true },
  { fixture: 'sse-hashtag-local', path: '/api/v1/streaming/hashtag/local?tag=test', headers: ALICE, target: { stream: 'hashtag:local', tag: 'test' }, annotated: true },
  { fixture: 'sse-list', path: '/api/v1/streaming/list?list=42', headers: ALICE, target: { stream: 'list', list: '42' }, annotated: false },
  { fixture: 'sse-direct', path: '/api/v1/streaming/direct', headers: ALICE, target: { stream: 'direct' }, annotated: false },
];

const perTest = useFakeServer<RawCapture>();

describe('SSE streams match the Mastodon 4.5.7 captures byte for byte', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.fixture, async () => {
      const expected = readRaw(scenario.fixture);
      const heartbeats = expected.split(':thump\n').length - 1;
      const interval = heartbeats > 0 ? 600 : 60_000;
      const server = await perTest.start({ heartbeatIntervalMs: interval });
      const capture = perTest.track(await RawCapture.open(server.port, getRequest(scenario.path, scenario.headers)));
      await server.waitForConnection();

      const events = sseEvents(dechunk(splitResponse(expected).body));
      expect(events.length).toBeGreaterThan(0);
      for (const { event, data } of events) {
        let payload = data;
        if (scenario.annotated && event === 'update') {
          expect(data.endsWith(',"filtered":[]}')).toBe(true);
          payload = `${data.slice(0, -',"filtered":[]}'.length)}}`;
        }
        expect(server.publish(scenario.target, event, payload)).toBe(1);
      }

      // Compare as soon as as many bytes as the capture holds have arrived (the next heartbeat
      // is a whole interval away, so nothing else can sneak in first).
      await capture.waitFor((text) => Buffer.byteLength(text) >= Buffer.byteLength(expected));
      expect(maskVariable(capture.text())).toBe(maskVariable(expected));
      expect(capture.text()).toMatch(/\r\nX-Request-Id: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\r\n/);
      expect(capture.text()).toMatch(/\r\nDate: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/);
    });
  }

  it('sse-kill: a revoked token ends the body with only the chunked terminator, then 401', async () => {
    const expected = readRaw('sse-kill');
    const server = await perTest.start();
    const capture = perTest.track(await RawCapture.open(server.port, getRequest('/api/v1/streaming/user', { Authorization: 'Bearer peer-test-token-bob' })));
    const connection = await server.waitForConnection((c) => c.accountId === '1002');
    server.revokeToken('peer-test-token-bob');
    await connection.closed;
    await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
    expect(maskVariable(capture.text())).toBe(maskVariable(expected));

    const again = await fetch(`${server.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(again.status).toBe(401);
    expect(await again.text()).toBe('{"error":"Invalid access token"}');
  });
});

/** Turns a captured raw response into the fixture's notation: LF line ends, de-chunked body. */
function parseTitle(title: string): { path: string; headers: Record<string, string> } {
  const match = /^[\w-]+: GET (\S+)(?: \[([^:]+): (.*)\])?$/.exec(title);
  if (!match?.[1]) throw new Error(`unexpected title ${title}`);
  return { path: match[1], headers: match[2] && match[3] ? { [match[2]]: match[3] } : {} };
}

describe('HTTP responses match http-errors.txt and http-misc.txt', () => {
  const errors = httpSections('http-errors.txt');
  // The fake serves REST on the same origin, so this streaming-only answer does not apply here.
  const notApplicable = new Set(['outside-path']);

  for (const [title, expected] of errors) {
    const name = title.split(':')[0] ?? title;
    if (notApplicable.has(name)) continue;
    it(title, async () => {
      const server = await perTest.start();
      const { path, headers } = parseTitle(title);
      const raw = await rawExchange(server.port, getRequest(path, headers));
      expect(maskVariable(asFixtureNotation(raw)).trimEnd()).toBe(maskVariable(expected).trimEnd());
    });
  }

  it('outside-path is still answered 400 by the streaming mount when a prefix is used', async () => {
    const server = await perTest.start({ streamingPath: '/streaming-host' });
    const raw = await rawExchange(server.port, getRequest('/streaming-host/api/v1/timelines/home', ALICE));
    expect(maskVariable(asFixtureNotation(raw)).trimEnd()).toBe(maskVariable(errors.get('outside-path: GET /api/v1/timelines/home [Authorization: Bearer peer-test-token]') ?? '').trimEnd());
  });

  const misc = httpSections('http-misc.txt');
  const miscRequests: Record<string, string> = {
    'OPTIONS preflight': getRequest(
      '/api/v1/streaming/user',
      { Origin: 'http://example.test', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
      'OPTIONS',
    ),
    'GET /api/v1/streaming (no sub-path)': getRequest('/api/v1/streaming'),
    'HEAD /api/v1/streaming/health': getRequest('/api/v1/streaming/health', {}, 'HEAD'),
  };
  for (const [title, request] of Object.entries(miscRequests)) {
    it(title, async () => {
      const expected = misc.get(title);
      expect(expected).toBeDefined();
      const server = await perTest.start();
      const raw = await rawExchange(server.port, request);
      expect(maskVariable(asFixtureNotation(raw)).trimEnd()).toBe(maskVariable(expected ?? '').trimEnd());
    });
  }
});
