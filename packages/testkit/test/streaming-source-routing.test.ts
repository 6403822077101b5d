// Routing and authentication rules read from Mastodon's streaming server (streaming/index.js,
// 4.5/4.6 line) that no capture shows directly.
import { describe, expect, it } from 'vitest';
import { connectWebSocket, settle } from './ws-client.js';
import { createSourceHarness } from './source-harness.js';

const { start, raw, track } = createSourceHarness();

describe('token sources (accountFromRequest is shared by SSE and WebSocket)', () => {
  it('an SSE request may carry its token in Sec-WebSocket-Protocol; access_token still comes first', async () => {
    const s = await start();
    const byProtocol = await raw(s, '/api/v1/streaming/user', { 'Sec-WebSocket-Protocol': 'peer-test-token' });
    expect(byProtocol.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    await s.waitForConnection((c) => c.accountId === '1001');
    const queryFirst = await raw(s, '/api/v1/streaming/user?access_token=nope', { 'Sec-WebSocket-Protocol': 'peer-test-token' });
    expect(queryFirst.text()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    await queryFirst.waitFor((text) => text.includes('Invalid access token'));
  });
});

describe('list ids are compared by the database as bigints', () => {
  it('a list id with leading zeros or surrounding blanks is authorised, but names another channel', async () => {
    const s = await start();
    for (const id of ['042', '%2042', '%2B42']) {
      const capture = await raw(s, `/api/v1/streaming/list?list=${id}`, { Authorization: 'Bearer peer-test-token' });
      expect(capture.text(), id).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    await s.waitForConnectionCount(3);
    expect(s.connections.map((c) => c.list)).toEqual(['042', ' 42', '+42']);
    expect(s.publish({ stream: 'list', list: '42' }, 'delete', '1')).toBe(0);
    for (const id of ['4.2', '42x', '99999999999999999999', '-']) {
      const capture = await raw(s, `/api/v1/streaming/list?list=${id}`, { Authorization: 'Bearer peer-test-token' });
      await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
      expect(capture.text(), id).toContain('{"error":"Not authorized to stream this list"}');
    }
  });

  it('over WebSocket too, echoing the id as sent', async () => {
    const s = await start();
    const { ws, session } = await connectWebSocket(s);
    track(ws);
    await settle(s, ws, session, { type: 'subscribe', stream: 'list', list: '042' });
    expect(session.subscriptions.map((sub) => sub.label)).toEqual([['list', '042']]);
    await settle(s, ws, session, { type: 'subscribe', stream: 'list', list: '42' });
    expect(session.subscriptions.map((sub) => sub.label)).toEqual([['list', '042'], ['list', '42']]);
    expect(ws.texts).toEqual([]);
  });
});

describe('/favicon.ico', () => {
  it('is an empty 404 behind the same Express and CORS headers as every answer', async () => {
    const s = await start();
    const capture = await raw(s, '/favicon.ico', {});
    expect(capture.text().replace(/^(Date|X-Request-Id): .*\r\n/gm, '')).toBe(
      'HTTP/1.1 404 Not Found\r\nX-Powered-By: Express\r\nAccess-Control-Allow-Origin: *\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n',
    );
    expect(capture.text()).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
  });
});
