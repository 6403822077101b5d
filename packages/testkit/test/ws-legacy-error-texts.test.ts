import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture } from './raw-http.js';
import { connectWebSocket, settle, upgradeRequest, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

// streamingErrorTexts: 'pre-4.2' on the WebSocket endpoint: the 4.0/4.1 server let the `ws`
// library refuse the upgrade and sent `{ error: err.toString() }` frames without a status.

const perTest = useFakeServer<RawWebSocket | RawCapture>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: { ...defaultTokens(), 'peer-test-token-app': { accountId: '1001', scopes: ['read'], appOnly: true } },
    ...options,
  });
}

async function refusedUpgrade(s: FakeMastodon, path: string, headers: Record<string, string>): Promise<string> {
  const capture = await RawCapture.open(s.port, upgradeRequest(path, headers));
  perTest.track(capture);
  await capture.ended;
  return capture.text();
}

const WS_UNAUTHORIZED = 'HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\nUnauthorized';

describe('pre-4.2 WebSocket upgrade refusals', () => {
  it.each([
    ['no token', {}],
    ['an unknown token', { Authorization: 'Bearer nope' }],
    ['a revoked token', { Authorization: 'Bearer peer-test-token-revoked' }],
    ['an app-only token', { Authorization: 'Bearer peer-test-token-app' }],
    ['an unknown token as sub-protocol', { 'Sec-WebSocket-Protocol': 'nope' }],
  ])("%s: the ws library's bare 401 Unauthorized", async (_name, headers) => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    expect(await refusedUpgrade(s, '/api/v1/streaming?stream=public', headers)).toBe(WS_UNAUTHORIZED);
    expect(s.totalWebSockets).toBe(0);
    expect(s.requests.at(-1)?.status).toBe(401);
  });

  it('the default keeps 4.5.7\'s empty 401 with X-Error-Message', async () => {
    const s = await start();
    expect(await refusedUpgrade(s, '/api/v1/streaming?stream=public', { Authorization: 'Bearer nope' })).toMatch(
      /^HTTP\/1\.1 401 Unauthorized\r\n[^]*Content-Length: 0\r\n[^]*X-Error-Message: Invalid access token\r\n\r\n$/,
    );
  });

  it('a usable token still upgrades', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws } = await connectWebSocket(s, '/api/v1/streaming?stream=public');
    perTest.track(ws);
    expect(ws.handshake).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  });
});

/** Subscribe and unsubscribe requests that fail, with the pre-4.2 and the 4.5.7 frame. */
const SUBSCRIBE_ROWS: Array<[string, object, string, string]> = [
  ['unknown stream', { stream: 'nope' }, '{"error":"Unknown stream type"}', '{"error":"Unknown stream type","status":400}'],
  ['hashtag without tag', { stream: 'hashtag' }, '{"error":"No tag for stream provided"}', '{"error":"Missing tag name parameter","status":400}'],
  ['hashtag:local without tag', { stream: 'hashtag:local', tag: '' }, '{"error":"No tag for stream provided"}', '{"error":"Missing tag name parameter","status":400}'],
  ['list without list', { stream: 'list' }, '{"error":"Not authorized to stream this list"}', '{"error":"Missing list name parameter","status":400}'],
  ['foreign list', { stream: 'list', list: '43' }, '{"error":"Not authorized to stream this list"}', '{"error":"Not authorized to stream this list","status":401}'],
  ['missing list', { stream: 'list', list: 999 }, '{"error":"Not authorized to stream this list"}', '{"error":"Not authorized to stream this list","status":401}'],
  ['non-numeric list', { stream: 'list', list: 'abc' }, '{"error":"Not authorized to stream this list"}', '{"error":"Not authorized to stream this list","status":401}'],
  ['non-string tag', { stream: 'hashtag', tag: 5 }, '{"error":"TypeError: str.normalize is not a function"}', '{"error":"An unexpected error occurred","status":500}'],
];

async function open(s: FakeMastodon, token = 'peer-test-token') {
  const opened = await connectWebSocket(s, '/api/v1/streaming', { Authorization: `Bearer ${token}` });
  perTest.track(opened.ws);
  const send = (message: object) => settle(s, opened.ws, opened.session, message);
  return { ...opened, send };
}

describe('pre-4.2 WebSocket error frames', () => {
  it.each(SUBSCRIBE_ROWS)('subscribe, %s: no status, the old text', async (_name, request, old) => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws, send } = await open(s);
    await send({ type: 'subscribe', ...request });
    expect(await ws.waitForTexts(1)).toEqual([old]);
  });

  it.each(SUBSCRIBE_ROWS)('default, subscribe, %s: 4.5.7\'s frame', async (_name, request, _old, current) => {
    const s = await start();
    const { ws, send } = await open(s);
    await send({ type: 'subscribe', ...request });
    expect(await ws.waitForTexts(1)).toEqual([current]);
  });

  it("a write-only token: 'Error: '-prefixed scope text, checked before the stream name", async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws, send } = await open(s, 'peer-test-token-writeonly');
    await send({ type: 'subscribe', stream: 'user' });
    await send({ type: 'subscribe', stream: 'nope' });
    expect(await ws.waitForTexts(2)).toEqual(Array(2).fill('{"error":"Error: Access token does not cover required scopes"}'));
  });

  it('a stream named in the upgrade URL fails the same way', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws } = await connectWebSocket(s, '/api/v1/streaming?stream=list&list=43');
    perTest.track(ws);
    expect(await ws.waitForTexts(1)).toEqual(['{"error":"Not authorized to stream this list"}']);
  });

  it('a failed unsubscribe names its cause (no scope check), where 4.5.7 sends one fixed text', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws, send } = await open(s, 'peer-test-token-writeonly');
    await send({ type: 'unsubscribe', stream: 'nope' });
    await send({ type: 'unsubscribe', stream: 'hashtag' });
    await send({ type: 'unsubscribe', stream: 'list', list: '43' });
    // Not subscribed, which is no error; the scope failure after it marks the end.
    await send({ type: 'unsubscribe', stream: 'public' });
    await send({ type: 'subscribe', stream: 'public' });
    expect(await ws.waitForTexts(4)).toEqual([
      '{"error":"Unknown stream type"}',
      '{"error":"No tag for stream provided"}',
      '{"error":"Not authorized to stream this list"}',
      '{"error":"Error: Access token does not cover required scopes"}',
    ]);
  });

  it('subscriptions that succeed still deliver events as before', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const { ws, send } = await open(s);
    await send({ type: 'subscribe', stream: 'hashtag', tag: 'Rust' });
    const status = s.postStatus({}, { tags: ['rust'] });
    const [frame] = await ws.waitForTexts(1);
    expect(JSON.parse(frame ?? '{}')).toMatchObject({ stream: ['hashtag', 'Rust'], event: 'update' });
    expect(JSON.parse(JSON.parse(frame ?? '{}').payload)).toMatchObject({ id: status.id });
  });
});
