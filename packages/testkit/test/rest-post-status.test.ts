import { afterEach, describe, expect, it } from 'vitest';
import { createFakeMastodon, defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { StreamReader } from './sse-client.js';

// A bot replies to what it streamed with POST /api/v1/statuses (Api::V1::StatusesController#create).
// The fake stores the status, fans it out like postStatus and records the body for assertions.

let server: FakeMastodon | undefined;
const readers: StreamReader[] = [];

afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await server?.close();
  server = undefined;
});

async function start(): Promise<FakeMastodon> {
  server = await createFakeMastodon({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: { ...defaultTokens(), 'read-only': { accountId: '1001', scopes: ['read'] }, 'statuses-only': { accountId: '1002', scopes: ['write:statuses'] } },
  });
  return server;
}

async function post(body: string, contentType: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!server) throw new Error('no server');
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  const response = await fetch(`${server.url}/api/v1/statuses`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const postJson = (fields: object, token: string | null = 'peer-test-token') => post(JSON.stringify(fields), 'application/json', token ?? undefined);

describe('POST /api/v1/statuses', () => {
  it('creates a status by the token’s account, stores it and streams it', async () => {
    const s = await start();
    const reader = await StreamReader.open(`${s.url}/api/v1/streaming/public`, 'peer-test-token-bob');
    readers.push(reader);
    await s.waitForConnection();
    const created = await postJson({ status: 'fish & <chips>', spoiler_text: 'food', language: 'de' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      content: '<p>fish &amp; &lt;chips&gt;</p>', spoiler_text: 'food', sensitive: true, language: 'de', visibility: 'public',
      in_reply_to_id: null, account: { id: '1001', acct: 'alice' },
    });
    await reader.untilEvents(1);
    expect(JSON.parse(reader.events[0]?.data ?? '{}')).toMatchObject({ id: created.body['id'] });
    const fetched = await fetch(`${s.url}/api/v1/statuses/${String(created.body['id'])}`);
    expect(((await fetched.json()) as { id: string }).id).toBe(created.body['id']);
  });

  it('replies to the status of a notification, with form-encoded fields', async () => {
    const s = await start();
    const mention = s.notify('1001', { type: 'mention', fromAccount: 'bob' });
    const form = new URLSearchParams({ status: '@bob thanks', in_reply_to_id: mention.status?.id ?? '', visibility: 'unlisted' });
    const created = await post(form.toString(), 'application/x-www-form-urlencoded', 'peer-test-token');
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ in_reply_to_id: mention.status?.id, in_reply_to_account_id: '1002', visibility: 'unlisted', content: '<p>@bob thanks</p>' });
  });

  it('answers Rails’ errors: blank text 422, unknown reply target 404, scopes 403, no token 401', async () => {
    await start();
    expect(await postJson({ status: '  ' })).toEqual({ status: 422, body: { error: "Validation failed: Text can't be blank" } });
    expect(await postJson({ status: 'x', in_reply_to_id: '999' })).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect(await postJson({ status: 'x' }, 'read-only')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect(await postJson({ status: 'x' }, null)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    expect((await postJson({ status: 'x' }, 'statuses-only')).status).toBe(200);
    expect((await postJson({ status: 'x' }, 'peer-test-token-writeonly')).status).toBe(200);
  });
});

describe('waitForRequest', () => {
  it('resolves with the answered request and the body the client sent', async () => {
    const s = await start();
    const seen = s.requests.length;
    const waiting = s.waitForRequest((request, index) => index >= seen && request.method === 'POST' && request.path === '/api/v1/statuses');
    await postJson({ status: 'hello' });
    const request = await waiting;
    expect(request.status).toBe(200);
    expect(JSON.parse(request.body ?? '')).toEqual({ status: 'hello' });
  });

  it('sees requests made before it was called, and times out with the server state', async () => {
    const s = await start();
    await (await fetch(`${s.url}/api/v1/timelines/public`)).body?.cancel();
    expect((await s.waitForRequest((request) => request.path === '/api/v1/timelines/public')).status).toBe(200);
    await expect(s.waitForRequest((request) => request.path === '/nowhere', { timeoutMs: 30 })).rejects.toThrow(
      /timed out after 30 ms waiting for a matching request; open SSE streams: none/,
    );
  });
});
