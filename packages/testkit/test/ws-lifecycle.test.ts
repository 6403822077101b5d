import { describe, expect, it } from 'vitest';
import { runInChildProcess } from './child-process-run.js';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { RawCapture, maskVariable } from './raw-http.js';
import { RFC_ACCEPT, clientFrame, connectWebSocket, upgradeRequest, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const ALICE = { Authorization: 'Bearer peer-test-token' };
const perTest = useFakeServer<RawWebSocket | RawCapture>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({ webSocketPingIntervalMs: 0, ...options });
}

async function open(s: FakeMastodon, path = '/api/v1/streaming', headers: Record<string, string> = ALICE) {
  const opened = await connectWebSocket(s, path, headers);
  perTest.track(opened.ws);
  return opened;
}

/** Sends an upgrade request and returns everything the server wrote until it closed. */
async function upgradeAnswer(s: FakeMastodon, path: string, headers: Record<string, string> = ALICE, key?: string): Promise<string> {
  const capture = await RawCapture.open(s.port, upgradeRequest(path, headers, key));
  perTest.track(capture);
  await capture.ended;
  return capture.text();
}

describe('kills and drops (protocol.md §10)', () => {
  const killLines = readFixtureText('ws-checks.txt').split('\n').filter((line) => line.startsWith('[ws kill] '));

  it('the capture closes with 1005 (no code) for token and account kills', () => {
    expect(killLines).toEqual([
      '[ws kill] kill on timeline:access_token:7 -> close {"code":1005,"reason":""}',
      '[ws kill] kill on timeline:system:1001 -> close {"code":1005,"reason":""}',
    ]);
  });

  it('revokeToken sends 88 00 to that token’s sockets only, ends TCP once answered, then refuses the token', async () => {
    const s = await start();
    const alice = await open(s, '/api/v1/streaming?stream=public');
    const bob = await open(s, '/api/v1/streaming?stream=public', { Authorization: 'Bearer peer-test-token-bob' });
    s.revokeToken('peer-test-token');
    await alice.ws.waitForFrames((frames) => frames.length === 1);
    expect(alice.ws.frames.map((frame) => frame.hdr)).toEqual(['8800']);
    expect(alice.session.isOpen).toBe(false);
    expect(s.publish('public', 'delete', '1')).toBe(1); // only bob still receives
    await alice.ws.send(clientFrame(0x8, ''));
    expect(await alice.ws.ended).toBe('end');
    await alice.session.closed;
    await bob.ws.waitForTexts(1);
    const again = await upgradeAnswer(s, '/api/v1/streaming');
    expect(again).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n[^]*\r\nX-Error-Message: Invalid access token\r\n\r\n$/);
  });

  it('killWebSockets by account; a client that never answers is cut after webSocketCloseTimeoutMs', async () => {
    const s = await start({ webSocketCloseTimeoutMs: 150 });
    const { ws, session } = await open(s);
    const started = Date.now();
    s.killWebSockets((socket) => socket.accountId === '1001');
    await ws.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(ws.frames.map((frame) => frame.hdr)).toEqual(['8800']);
    await session.closed;
    expect(s.webSockets).toEqual([]);
  });

  it('dropWebSockets and restart close TCP without a close frame (the client sees 1006)', async () => {
    const s = await start();
    const dropped = await open(s);
    s.dropWebSockets();
    await dropped.ws.ended;
    expect(dropped.ws.frames).toEqual([]);
    const restarted = await open(s);
    const back = s.restart({ downMs: 50 });
    await restarted.ws.ended;
    expect(restarted.ws.frames).toEqual([]);
    await back;
    await open(s);
    expect(s.totalWebSockets).toBe(3);
  });

  it('pushRawWebSocket writes bytes verbatim', async () => {
    const s = await start();
    const { ws } = await open(s);
    s.pushRawWebSocket(Buffer.from([0x01, 0x01, 0x7b, 0x80, 0x01, 0x7d]));
    const frames = await ws.waitForFrames((all) => all.length === 2);
    expect(frames.map((frame) => [frame.fin, frame.opcode, frame.text])).toEqual([[false, 1, '{'], [true, 0, '}']]);
  });
});

describe('the upgrade request', () => {
  it('is recorded with the status answered', async () => {
    const s = await start();
    await open(s, '/api/v1/streaming?stream=user');
    await upgradeAnswer(s, '/api/v1/streaming', {});
    expect(s.requests.map((request) => [request.path, request.query['stream'], request.status])).toEqual([
      ['/api/v1/streaming', 'user', 101],
      ['/api/v1/streaming', undefined, 401],
    ]);
  });

  it('takes the token from Authorization, then access_token, then Sec-WebSocket-Protocol, and echoes the first protocol', async () => {
    const s = await start();
    const both = { Authorization: 'Bearer peer-test-token-bob', 'Sec-WebSocket-Protocol': 'peer-test-token' };
    const first = await open(s, '/api/v1/streaming?access_token=peer-test-token', both);
    expect([first.session.accountId, first.session.protocol]).toEqual(['1002', 'peer-test-token']);
    const second = await open(s, '/api/v1/streaming?access_token=peer-test-token-bob', { 'Sec-WebSocket-Protocol': 'peer-test-token' });
    expect(second.session.accountId).toBe('1002');
    expect(second.ws.handshake).toContain('\r\nSec-WebSocket-Protocol: peer-test-token\r\n');
    // A list of protocols is taken whole as the token (and fails); only the first would be echoed.
    const listed = await upgradeAnswer(s, '/api/v1/streaming', { 'Sec-WebSocket-Protocol': 'peer-test-token, other' });
    expect(listed).toContain('X-Error-Message: Invalid access token\r\n');
  });

  it('does not check scopes at the upgrade', async () => {
    const s = await start();
    const { session } = await open(s, '/api/v1/streaming', { Authorization: 'Bearer peer-test-token-writeonly' });
    expect(session.scopes).toEqual(['write']);
  });

  it('rejects malformed handshakes with 400 after authentication, as the ws library words it', async () => {
    const s = await start();
    expect(await upgradeAnswer(s, '/api/v1/streaming', ALICE, 'short')).toBe(
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\nContent-Length: 43\r\n\r\nMissing or invalid Sec-WebSocket-Key header',
    );
    expect(await upgradeAnswer(s, '/api/v1/streaming', {}, 'short')).toContain('X-Error-Message: Missing access token\r\n');
    const versionRequest = upgradeRequest('/api/v1/streaming', ALICE).replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 12');
    const capture = await RawCapture.open(s.port, versionRequest);
    perTest.track(capture);
    await capture.ended;
    expect(capture.text()).toContain('\r\nSec-WebSocket-Version: 13, 8\r\n\r\nMissing or invalid Sec-WebSocket-Version header');
  });

  it('upgrades under /api/v1/streaming by default and answers other paths as plain requests', async () => {
    const s = await start();
    for (const path of ['/api/v1/streaming', '/api/v1/streaming/', '/api/v1/streaming/user?x=1']) {
      const { ws } = await open(s, path);
      expect(ws.handshake).toContain(`\r\nSec-WebSocket-Accept: ${RFC_ACCEPT}\r\n`);
    }
    const plain = await upgradeAnswer(s, '/whatever');
    expect(maskVariable(plain).replaceAll('\r\n', '\n')).toBe(
      'HTTP/1.1 400 Bad Request\nX-Powered-By: Express\nX-Request-Id: <uuid>\nAccess-Control-Allow-Origin: *\nContent-Type: application/json\n' +
        'Date: <date>\nConnection: close\nTransfer-Encoding: chunked\n\n25\n{"error":"Unknown channel requested"}\n0\n\n',
    );
    expect(s.totalWebSockets).toBe(3);
  });

  it('upgrades any path with webSocketPaths "any", and only under the prefix with streamingPath', async () => {
    const any = await start({ webSocketPaths: 'any' });
    await open(any, '/whatever');
    await any.close();
    const prefixed = await start({ streamingPath: '/streaming-host' });
    await open(prefixed, '/streaming-host/api/v1/streaming');
    // Rails answers it as the plain request: the Host line has no port (80), the streaming URL names another, so 301.
    const answer = await upgradeAnswer(prefixed, '/api/v1/streaming');
    expect(answer).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
    expect(answer).toContain(`\r\nLocation: http://127.0.0.1:${prefixed.port}/api/v1/streaming\r\n`);
    expect(await upgradeAnswer(prefixed, '/other')).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
  });

  it('answers scripted failures (paths "streaming" or "all") on the upgrade, in order', async () => {
    const s = await start();
    s.failNext({ status: 503, headers: { 'Retry-After': '2' } });
    s.failNext({ status: 429, paths: 'rest' });
    s.failNext({ status: 502, body: 'bad gateway', paths: 'all' });
    expect(await upgradeAnswer(s, '/api/v1/streaming')).toBe(
      'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 31\r\nRetry-After: 2\r\n\r\n{"error":"Service Unavailable"}',
    );
    expect(await upgradeAnswer(s, '/api/v1/streaming')).toMatch(/^HTTP\/1\.1 502 Bad Gateway\r\n[^]*text\/plain[^]*\r\n\r\nbad gateway$/);
    await open(s);
    expect(s.requests.map((request) => request.status)).toEqual([503, 502, 101]);
  });
});

describe('close()', () => {
  it('leaves no handles behind with WebSockets open, closing, stalled, mid-frame, subscribes pending and a running ping timer', async () => {
    const run = await runInChildProcess(`import net from 'node:net';
import { createFakeMastodon } from './testkit.mjs';
const server = await createFakeMastodon({ webSocketPingIntervalMs: 20, webSocketSubscribeDelayMs: 60000 }); // URL subscribes stay pending
const upgrade = (path) => new Promise((resolve) => {
  const socket = net.connect(server.port, '127.0.0.1', () => socket.write('GET ' + path + ' HTTP/1.1\\r\\nHost: x\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket\\r\\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\\r\\nSec-WebSocket-Version: 13\\r\\nAuthorization: Bearer peer-test-token\\r\\n\\r\\n'));
  socket.on('error', () => {});
  socket.once('data', () => resolve(socket));
});
const sockets = await Promise.all([upgrade('/api/v1/streaming?stream=public'), upgrade('/api/v1/streaming?stream=user'), upgrade('/api/v1/streaming')]);
sockets[2].write(Buffer.from([0x81, 0xfe, 0x01])); // half a header
server.stallWebSockets((s) => s.url.endsWith('stream=user'));
server.killWebSockets((s) => s.url.endsWith('stream=user')); // close frame held, close timer pending
server.postStatus({}, { tags: ['x'] });
void server.waitForWebSocket(() => false, { timeoutMs: 60000 }).catch(() => {});
await new Promise((resolve) => setTimeout(resolve, 50)); // a few sweeps
await server.close();
console.log('closed', server.webSockets.length);
`);
    expect(run.output).toContain('closed 0');
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(5_000);
  });
});
