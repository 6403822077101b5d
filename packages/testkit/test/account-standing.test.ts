import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest, maskVariable } from './raw-http.js';
import { StreamReader } from './sse-client.js';
import { RawWebSocket, connectWebSocket, upgradeRequest } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const APP_TOKEN = 'peer-test-token-app';
const perTest = useFakeServer<RawCapture | RawWebSocket | StreamReader>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({
    webSocketPingIntervalMs: 0,
    tokens: { ...defaultTokens(), [APP_TOKEN]: { accountId: '1001', scopes: ['read'], appOnly: true } },
    ...options,
  });
}

/** The complete SSE answer (status line, headers, chunked body) for a token. */
async function sseAnswer(s: FakeMastodon, token: string, path = '/api/v1/streaming/user'): Promise<string> {
  const capture = await RawCapture.open(s.port, getRequest(path, { Authorization: `Bearer ${token}` }));
  perTest.track(capture);
  await capture.waitFor((text) => text.endsWith('0\r\n\r\n') || text.includes(':)\n'));
  return maskVariable(capture.text());
}

/** The upgrade answer for a token, up to the server closing the socket. */
async function upgradeAnswer(s: FakeMastodon, token: string): Promise<string> {
  const capture = await RawCapture.open(s.port, upgradeRequest('/api/v1/streaming?stream=public', { Authorization: `Bearer ${token}` }));
  perTest.track(capture);
  await capture.ended;
  return maskVariable(capture.text());
}

describe('tokens the streaming server refuses (protocol.md §3.2, §6 row 3)', () => {
  it('an app-only token is answered exactly like the revoked one, on SSE and on the upgrade', async () => {
    const s = await start();
    const revokedSse = await sseAnswer(s, 'peer-test-token-revoked');
    expect(revokedSse).toContain('\r\n\r\n20\r\n{"error":"Invalid access token"}\r\n0\r\n\r\n');
    expect(await sseAnswer(s, APP_TOKEN)).toBe(revokedSse);
    expect(await sseAnswer(s, APP_TOKEN, '/api/v1/streaming/public')).toBe(revokedSse);

    const revokedUpgrade = await upgradeAnswer(s, 'peer-test-token-revoked');
    expect(revokedUpgrade).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n[^]*X-Error-Message: Invalid access token\r\n\r\n$/);
    expect(await upgradeAnswer(s, APP_TOKEN)).toBe(revokedUpgrade);
    expect(s.totalConnections + s.totalWebSockets).toBe(0);
  });

  it('disabledUsers and suspendedAccounts refuse every token of those accounts; others still stream', async () => {
    for (const options of [{ disabledUsers: ['1002'] }, { suspendedAccounts: ['1002'] }]) {
      const s = await start(options);
      const revokedSse = await sseAnswer(s, 'peer-test-token-revoked');
      expect(await sseAnswer(s, 'peer-test-token-bob')).toBe(revokedSse);
      expect(await upgradeAnswer(s, 'peer-test-token-bob')).toBe(await upgradeAnswer(s, 'peer-test-token-revoked'));
      expect(await sseAnswer(s, 'peer-test-token')).toContain('\r\n\r\n3\r\n:)\n\r\n');
      await s.close();
    }
  });

  for (const action of ['disableUser', 'suspendAccount'] as const) {
    it(`${action} kills the account's SSE streams (terminator) and WebSockets (88 00), whatever the token, then refuses them until reinstated`, async () => {
      const s = await start({ tokens: { ...defaultTokens(), 'bob-second': { accountId: '1002' } } });
      const bobSse = await RawCapture.open(s.port, getRequest('/api/v1/streaming/user', { Authorization: 'Bearer peer-test-token-bob' }));
      perTest.track(bobSse);
      const aliceSse = await StreamReader.open(`${s.url}/api/v1/streaming/public`);
      perTest.track(aliceSse);
      await s.waitForConnectionCount(2);
      const bobWs = await connectWebSocket(s, '/api/v1/streaming?stream=public', { Authorization: 'Bearer bob-second' });
      perTest.track(bobWs.ws);

      s[action]('1002');
      await bobSse.waitFor((text) => text.endsWith('0\r\n\r\n'));
      expect(bobSse.text().split('\r\n\r\n')[1]).toBe('3\r\n:)\n\r\n0');
      await bobWs.ws.waitForFrames((frames) => frames.length === 1);
      expect(bobWs.ws.frames.map((frame) => frame.hdr)).toEqual(['8800']);
      expect(s.publish('public', 'delete', '1')).toBe(1); // alice only
      await aliceSse.untilEvents(1);

      const refused = await fetch(`${s.url}/api/v1/streaming/user`, { headers: { Authorization: 'Bearer bob-second' } });
      expect([refused.status, await refused.text()]).toEqual([401, '{"error":"Invalid access token"}']);
      expect(await upgradeAnswer(s, 'peer-test-token-bob')).toContain('X-Error-Message: Invalid access token\r\n');

      s.reinstateAccount('1002');
      const back = await RawWebSocket.open(s.port, '/api/v1/streaming', { Authorization: 'Bearer peer-test-token-bob' });
      perTest.track(back);
      expect(back.handshake).toMatch(/^HTTP\/1\.1 101 /);
    });
  }
});
