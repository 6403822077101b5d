import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest, maskVariable } from './raw-http.js';
import { useFakeServer } from './fake-per-test.js';

const APP_TOKEN = 'peer-test-token-app';
const perTest = useFakeServer<RawCapture>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: { ...defaultTokens(), [APP_TOKEN]: { accountId: '1001', scopes: ['read'], appOnly: true } },
    disabledUsers: ['1003'],
    ...options,
  });
}

interface Row {
  row: string;
  path: string;
  token?: string;
}

/** One request per row of protocol.md §6 (row 8 is scripted: the fake has no database to lose). */
const ROWS: Row[] = [
  { row: '1 unknown path', path: '/api/v1/streaming/nope' },
  { row: '1 bare /api/v1/streaming', path: '/api/v1/streaming' },
  { row: '1 root', path: '/' },
  { row: '2 no token', path: '/api/v1/streaming/user' },
  { row: '3 unknown token', path: '/api/v1/streaming/user', token: 'nope' },
  { row: '3 revoked token', path: '/api/v1/streaming/public', token: 'peer-test-token-revoked' },
  { row: '3 app-only token', path: '/api/v1/streaming/user', token: APP_TOKEN },
  { row: '4 write-only token', path: '/api/v1/streaming/user', token: 'peer-test-token-writeonly' },
  { row: '5 hashtag without tag', path: '/api/v1/streaming/hashtag', token: 'peer-test-token' },
  { row: '5 hashtag/local without tag', path: '/api/v1/streaming/hashtag/local', token: 'peer-test-token' },
  { row: '6 list without list', path: '/api/v1/streaming/list', token: 'peer-test-token' },
  { row: '7 foreign list', path: '/api/v1/streaming/list?list=43', token: 'peer-test-token' },
  { row: '7 missing list', path: '/api/v1/streaming/list?list=999', token: 'peer-test-token' },
  { row: '7 non-numeric list', path: '/api/v1/streaming/list?list=abc', token: 'peer-test-token' },
];

const PRE_4_2: Record<string, [number, string]> = {
  '1 unknown path': [404, '{"error":"Not found"}'],
  '1 bare /api/v1/streaming': [404, '{"error":"Not found"}'],
  '1 root': [404, '{"error":"Not found"}'],
  '2 no token': [401, '{"error":"Error: Missing access token"}'],
  '3 unknown token': [401, '{"error":"Error: Invalid access token"}'],
  '3 revoked token': [401, '{"error":"Error: Invalid access token"}'],
  '3 app-only token': [401, '{"error":"Error: Invalid access token"}'],
  '4 write-only token': [401, '{"error":"Error: Access token does not cover required scopes"}'],
  '5 hashtag without tag': [404, '{"error":"Not found"}'],
  '5 hashtag/local without tag': [404, '{"error":"Not found"}'],
  '6 list without list': [404, '{"error":"Not found"}'],
  '7 foreign list': [404, '{"error":"Not found"}'],
  '7 missing list': [404, '{"error":"Not found"}'],
  '7 non-numeric list': [404, '{"error":"Not found"}'],
};

const CURRENT: Record<string, [number, string]> = {
  '1 unknown path': [400, '{"error":"Unknown channel requested"}'],
  '1 bare /api/v1/streaming': [400, '{"error":"Unknown channel requested"}'],
  '1 root': [400, '{"error":"Unknown channel requested"}'],
  '2 no token': [401, '{"error":"Missing access token"}'],
  '3 unknown token': [401, '{"error":"Invalid access token"}'],
  '3 revoked token': [401, '{"error":"Invalid access token"}'],
  '3 app-only token': [401, '{"error":"Invalid access token"}'],
  '4 write-only token': [401, '{"error":"Access token does not have the required scopes"}'],
  '5 hashtag without tag': [400, '{"error":"Missing tag name parameter"}'],
  '5 hashtag/local without tag': [400, '{"error":"Missing tag name parameter"}'],
  '6 list without list': [400, '{"error":"Missing list name parameter"}'],
  '7 foreign list': [401, '{"error":"Not authorized to stream this list"}'],
  '7 missing list': [401, '{"error":"Not authorized to stream this list"}'],
  '7 non-numeric list': [401, '{"error":"Not authorized to stream this list"}'],
};

async function answer(s: FakeMastodon, row: Row): Promise<{ status: number; contentType: string | null; body: string }> {
  const response = await fetch(`${s.url}${row.path}`, { headers: row.token ? { Authorization: `Bearer ${row.token}` } : {} });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

describe("streamingErrorTexts: 'pre-4.2' (protocol.md §6, §13 item 5)", () => {
  it.each(ROWS)('row $row: the 4.0/4.1 status and body', async (row) => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const [status, body] = PRE_4_2[row.row] ?? [0, ''];
    expect(await answer(s, row)).toEqual({ status, contentType: 'application/json', body });
    expect(s.totalConnections).toBe(0);
  });

  it('row 3: a disabled user is still refused, in the old wording', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2', tokens: { ...defaultTokens(), 'carol-token': { accountId: '1003' } } });
    expect(await answer(s, { row: '3', path: '/api/v1/streaming/user', token: 'carol-token' })).toEqual({
      status: 401,
      contentType: 'application/json',
      body: '{"error":"Error: Invalid access token"}',
    });
  });

  it('row 8: an internal failure is the same 500 in both wordings', async () => {
    for (const streamingErrorTexts of ['pre-4.2', 'current'] as const) {
      const s = await start({ streamingErrorTexts });
      s.failNext({ status: 500 });
      expect(await answer(s, { row: '8', path: '/api/v1/streaming/user', token: 'peer-test-token' })).toEqual({
        status: 500,
        contentType: 'application/json',
        body: '{"error":"An unexpected error occurred"}',
      });
    }
  });

  it('keeps the 4.5.7 header layout: only the status line and the body change', async () => {
    const raw = async (s: FakeMastodon): Promise<string> => {
      const capture = await RawCapture.open(s.port, getRequest('/api/v1/streaming/user', { Authorization: 'Bearer nope' }));
      perTest.track(capture);
      await capture.waitFor((text) => text.endsWith('0\r\n\r\n'));
      return maskVariable(capture.text());
    };
    const old = await raw(await start({ streamingErrorTexts: 'pre-4.2' }));
    const current = await raw(await start());
    const oldBody = '{"error":"Error: Invalid access token"}';
    const currentBody = '{"error":"Invalid access token"}';
    expect(old).toBe(current.replace(`${currentBody.length.toString(16)}\r\n${currentBody}`, `${oldBody.length.toString(16)}\r\n${oldBody}`));
  });

  it('still streams a usable request (WebSocket answers: ws-legacy-error-texts.test.ts)', async () => {
    const s = await start({ streamingErrorTexts: 'pre-4.2' });
    const response = await fetch(`${s.url}/api/v1/streaming/public`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(response.status).toBe(200);
    await s.waitForConnection((c) => c.stream === 'public');
    await response.body?.cancel();
  });
});

describe('the default stays 4.5.7', () => {
  it.each(ROWS)('row $row', async (row) => {
    const s = await start();
    const [status, body] = CURRENT[row.row] ?? [0, ''];
    expect(await answer(s, row)).toEqual({ status, contentType: 'application/json', body });
  });

  it("'current' is the default spelled out", async () => {
    const s = await start({ streamingErrorTexts: 'current' });
    expect(await answer(s, ROWS[3] as Row)).toEqual({ status: 401, contentType: 'application/json', body: '{"error":"Missing access token"}' });
  });
});
