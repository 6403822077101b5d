import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';
import { RawCapture, getRequest, rawExchange, splitResponse } from './raw-http.js';
import { StreamReader } from './sse-client.js';
import { connectWebSocket, upgradeRequest, type RawWebSocket } from './ws-client.js';

// The streaming server reads its query with Node's querystring (url.parse(req.url, true) for the
// token and the WebSocket URL, Express 5's default "simple" parser for req.query), which turns a
// repeated key into an array. channelNameToIds only tests such values for truthiness, so: an
// array tag reaches normalizeHashtag, whose `str.normalize` throws (500); an array list or token
// reaches PostgreSQL as an array literal, which is no bigint (401 for the list) and no token (401);
// an array only_media is truthy to isTruthy whatever its values.

const perTest = useFakeServer<RawWebSocket | StreamReader | RawCapture>();

function start(): Promise<FakeMastodon> {
  return perTest.start({ heartbeatIntervalMs: 0, webSocketPingIntervalMs: 0 });
}

const ALICE = { Authorization: 'Bearer peer-test-token' };

async function refusal(s: FakeMastodon, path: string, headers: Record<string, string> = ALICE): Promise<{ status: string; body: string }> {
  const { head, body } = splitResponse(await rawExchange(s.port, getRequest(path, headers)));
  return { status: head.split('\r\n')[0] ?? '', body };
}

describe('SSE: repeated query keys', () => {
  it('answer a repeated tag with the 500 of normalizeHashtag throwing', async () => {
    const s = await start();
    for (const path of ['/api/v1/streaming/hashtag?tag=a&tag=b', '/api/v1/streaming/hashtag/local?tag=a&tag=a', '/api/v1/streaming/hashtag?tag=&tag=']) {
      const answer = await refusal(s, path);
      expect(answer.status, path).toBe('HTTP/1.1 500 Internal Server Error');
      expect(answer.body, path).toContain('{"error":"An unexpected error occurred"}');
    }
    expect(s.totalConnections).toBe(0);
  });

  it('refuse a repeated list as not authorised, and a repeated access_token as invalid', async () => {
    const s = await start();
    const list = await refusal(s, '/api/v1/streaming/list?list=42&list=42');
    expect(list.status).toBe('HTTP/1.1 401 Unauthorized');
    expect(list.body).toContain('{"error":"Not authorized to stream this list"}');
    const token = await refusal(s, '/api/v1/streaming/user?access_token=peer-test-token&access_token=peer-test-token', {});
    expect(token.status).toBe('HTTP/1.1 401 Unauthorized');
    expect(token.body).toContain('{"error":"Invalid access token"}');
    expect(s.totalConnections).toBe(0);
  });

  it('take a repeated only_media as true whatever its values; Authorization still wins over the query', async () => {
    const s = await start();
    const media = perTest.track(await StreamReader.open(`${s.url}/api/v1/streaming/public?only_media=false&only_media=false`, 'peer-test-token'));
    expect((await s.waitForConnection()).stream).toBe('public:media');
    media.close();
    perTest.track(await StreamReader.open(`${s.url}/api/v1/streaming/public/local?only_media=0&only_media=0&access_token=x&access_token=y`, 'peer-test-token'));
    expect((await s.waitForConnection((c) => c.stream !== 'public:media')).stream).toBe('public:local:media');
  });
});

describe('WebSocket: repeated keys in the upgrade URL', () => {
  it('send the subscribe error frames of an array tag or list', async () => {
    const s = await start();
    const hashtag = perTest.track((await connectWebSocket(s, '/api/v1/streaming?stream=hashtag&tag=a&tag=b')).ws);
    expect(await hashtag.waitForTexts(1)).toEqual(['{"error":"An unexpected error occurred","status":500}']);
    const list = perTest.track((await connectWebSocket(s, '/api/v1/streaming?stream=list&list=42&list=42')).ws);
    expect(await list.waitForTexts(1)).toEqual(['{"error":"Not authorized to stream this list","status":401}']);
    expect(s.webSockets.flatMap((socket) => socket.subscriptions)).toEqual([]);
  });

  it('subscribe to the first stream named, even an empty one', async () => {
    const s = await start();
    const { ws, session } = await connectWebSocket(s, '/api/v1/streaming?stream=user&stream=public');
    perTest.track(ws);
    await s.waitForWebSocket((socket) => socket === session && socket.subscriptions.length === 1);
    expect(session.subscriptions.map((subscription) => subscription.stream)).toEqual(['user']);
    const empty = perTest.track((await connectWebSocket(s, '/api/v1/streaming?stream=&stream=user')).ws);
    expect(await empty.waitForTexts(1)).toEqual(['{"error":"Unknown stream type","status":400}']);
  });

  it('refuse the upgrade of a repeated access_token as an invalid token', async () => {
    const s = await start();
    const capture = perTest.track(await RawCapture.open(s.port, upgradeRequest('/api/v1/streaming?stream=public&access_token=peer-test-token&access_token=peer-test-token')));
    await capture.ended;
    expect(capture.text()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n[^]*X-Error-Message: Invalid access token\r\n\r\n$/);
  });
});
