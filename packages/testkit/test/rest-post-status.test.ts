import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultTokens } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// A bot replies to what it streamed with POST /api/v1/statuses (Api::V1::StatusesController#create).
// The fake stores the status, fans it out like postStatus and records the body for assertions.

const REPLY_TARGET_MISSING = 'The post you are trying to reply to does not appear to exist.';
const { start, current, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), 'read-only': { accountId: '1001', scopes: ['read'] }, 'statuses-only': { accountId: '1002', scopes: ['write:statuses'] } },
});

afterEach(() => {
  vi.useRealTimers();
});

async function post(body: string, contentType: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  const response = await fetch(`${current().url}/api/v1/statuses`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const postJson = (fields: object, token: string | null = 'peer-test-token') => post(JSON.stringify(fields), 'application/json', token ?? undefined);

describe('POST /api/v1/statuses', () => {
  it('creates a status by the token’s account, stores it and streams it', async () => {
    const s = await start();
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
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
    expect(await postJson({ status: 'x', in_reply_to_id: '999' })).toEqual({ status: 404, body: { error: REPLY_TARGET_MISSING } });
    expect(await postJson({ status: 'x' }, 'read-only')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect(await postJson({ status: 'x' }, null)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    expect((await postJson({ status: 'x' }, 'statuses-only')).status).toBe(200);
    expect((await postJson({ status: 'x' }, 'peer-test-token-writeonly')).status).toBe(200);
  });

  // Status::Visibility's enum validates (`validate: true`), before the text's presence (status.rb:45, :105).
  it('refuses a visibility the enum does not know with 422, before a blank text; a blank one is the default', async () => {
    await start();
    expect(await postJson({ status: 'x', visibility: 'secret' })).toEqual({ status: 422, body: { error: 'Validation failed: Visibility is not included in the list' } });
    expect(await postJson({ status: ' ', visibility: 'secret' })).toEqual({ status: 422, body: { error: "Validation failed: Visibility is not included in the list, Text can't be blank" } });
    expect(await postJson({ status: 'x', visibility: '' })).toMatchObject({ status: 200, body: { visibility: 'public' } });
    // White space only is blank too: the enum's cast makes it nil (`value.presence`), and set_visibility the default.
    expect(await postJson({ status: 'x', visibility: ' \t' })).toMatchObject({ status: 200, body: { visibility: 'public' } });
    // `limited` is one of 4.5's values, which the fake does not model: posted public (README); `private` stays itself.
    expect(await postJson({ status: 'x', visibility: 'limited' })).toMatchObject({ status: 200, body: { visibility: 'public' } });
    expect(await postJson({ status: 'x', visibility: 'private' })).toMatchObject({ status: 200, body: { visibility: 'private' } });
  });

  // status_params permits a JSON number, PostStatusService keeps it (`@options[:text] || ''`; a number is not blank, so a
  // warning does not become the text), and the text column casts it with to_s: Integer#to_s, or Float#to_s.
  it('posts a JSON number given as `status` as its text, as the text column casts it', async () => {
    await start();
    expect(await postJson({ status: 42 })).toMatchObject({ status: 200, body: { content: '<p>42</p>' } });
    expect(await postJson({ status: 0, spoiler_text: 'cw' })).toMatchObject({ status: 200, body: { content: '<p>0</p>', spoiler_text: 'cw' } });
    expect(await postJson({ status: -1.5 })).toMatchObject({ status: 200, body: { content: '<p>-1.5</p>' } });
    expect(await postJson({ status: 1.5e-7 })).toMatchObject({ status: 200, body: { content: '<p>1.5e-07</p>' } });
    expect(await postJson({ status: 2.5e20 })).toMatchObject({ status: 200, body: { content: '<p>250000000000000000000</p>' } });
  });
});

describe('POST /api/v1/statuses: a token in the body (Doorkeeper reads Rails params, body included)', () => {
  it('takes access_token or bearer_token from a form or JSON body, as the token’s account', async () => {
    await start();
    const form = await post(new URLSearchParams({ status: 'from a form', access_token: 'peer-test-token-bob' }).toString(), 'application/x-www-form-urlencoded');
    expect(form).toMatchObject({ status: 200, body: { account: { id: '1002' } } });
    expect(await postJson({ status: 'from JSON', bearer_token: 'peer-test-token' }, null)).toMatchObject({ status: 200, body: { account: { id: '1001' } } });
  });

  it('lets the header come first and the query win over the body for the same key; a blank or non-string body token is no token', async () => {
    await start();
    expect(await postJson({ status: 'x', access_token: 'peer-test-token-bob' })).toMatchObject({ status: 200, body: { account: { id: '1001' } } });
    const queryFirst = await fetch(`${current().url}/api/v1/statuses?access_token=peer-test-token-bob`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'x', access_token: 'peer-test-token' }),
    });
    expect(await queryFirst.json()).toMatchObject({ account: { id: '1002' } });
    expect(await postJson({ status: 'x', access_token: ' ', bearer_token: 'peer-test-token' }, null)).toMatchObject({ status: 200, body: { account: { id: '1001' } } });
    expect(await postJson({ status: 'x', access_token: ['peer-test-token'] }, null)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    expect(await postJson({ status: 'x', access_token: {} }, null)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
  });
});

describe('POST /api/v1/statuses: reply targets', () => {
  it('must be visible to the poster: a direct status between others is answered as missing', async () => {
    const s = await start();
    const carol = s.postStatus({}, { account: 'carol' }).account;
    const secret = s.postStatus({ mentions: [{ id: carol.id, username: carol.username, url: String(carol['url']), acct: carol.acct }] }, { account: 'alice', visibility: 'direct', homeOf: ['1001'] });
    expect(await postJson({ status: 'x', in_reply_to_id: secret.id }, 'statuses-only')).toEqual({ status: 404, body: { error: REPLY_TARGET_MISSING } });
    expect(await postJson({ status: 'x', in_reply_to_id: secret.id })).toMatchObject({ status: 200, body: { in_reply_to_id: secret.id } });
  });
});

describe('POST /api/v1/statuses: Idempotency-Key', () => {
  const postKeyed = async (fields: object, key: string, token = 'peer-test-token') => {
    const response = await fetch(`${current().url}/api/v1/statuses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
      body: JSON.stringify(fields),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const publicIds = async (): Promise<string[]> =>
    ((await (await fetch(`${current().url}/api/v1/timelines/public`)).json()) as Array<{ id: string }>).map((status) => status.id);

  it('answers a repeated key from the same account with the first status, created and streamed once', async () => {
    const s = await start();
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnection((c) => c.stream === 'public');
    const first = await postKeyed({ status: 'once' }, 'key-1');
    // PostStatusService checks the key before validating, so even a blank repeat gets the first status.
    const again = [await postKeyed({ status: 'once' }, 'key-1'), await postKeyed({ status: '' }, 'key-1')];
    expect(first.status).toBe(200);
    for (const answer of again) expect(answer).toEqual(first);
    expect(await publicIds()).toEqual([first.body['id']]);
    const marker = s.postStatus();
    await reader.until((r) => r.events.some((event) => event.data.includes(marker.id)));
    expect(reader.events.filter((event) => event.event === 'update')).toHaveLength(2);
  });

  it('keeps keys per account, ignores a blank key and does not remember a refused post', async () => {
    const s = await start();
    const alice = await postKeyed({ status: 'a' }, 'shared');
    const bob = await postKeyed({ status: 'b' }, 'shared', 'peer-test-token-bob');
    expect(bob.body['id']).not.toBe(alice.body['id']);
    const blankKeyed = [await postKeyed({ status: 'c' }, '  '), await postKeyed({ status: 'c' }, '  ')];
    expect(blankKeyed[0]?.body['id']).not.toBe(blankKeyed[1]?.body['id']);
    expect((await postKeyed({ status: '' }, 'after-422')).status).toBe(422);
    const created = await postKeyed({ status: 'now with text' }, 'after-422');
    expect(created).toMatchObject({ status: 200, body: { content: '<p>now with text</p>' } });
    expect(await publicIds()).toHaveLength(5);
    expect(s.requests.filter((request) => request.headers['idempotency-key'] === 'shared')).toHaveLength(2);
  });

  it('forgets a key after an hour, and answers 404 when the first status was deleted', async () => {
    const s = await start();
    vi.useFakeTimers({ toFake: ['Date'] });
    const first = await postKeyed({ status: 'x' }, 'hourly');
    vi.setSystemTime(Date.now() + 3_599_000);
    expect((await postKeyed({ status: 'x' }, 'hourly')).body['id']).toBe(first.body['id']);
    vi.setSystemTime(Date.now() + 1_000);
    const later = await postKeyed({ status: 'x' }, 'hourly');
    expect(later.body['id']).not.toBe(first.body['id']);
    s.deleteStatus(String(later.body['id']));
    expect(await postKeyed({ status: 'x' }, 'hourly')).toEqual({ status: 404, body: { error: 'Record not found' } });
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

  it('with fromNow, passes over a matching request made before the call and resolves with the next', async () => {
    const s = await start();
    const isPost = (request: { method: string; path: string }) => request.method === 'POST' && request.path === '/api/v1/statuses';
    await postJson({ status: 'first' });
    const next = s.waitForRequest(isPost, { fromNow: true });
    await postJson({ status: 'second' });
    expect(JSON.parse((await next).body ?? '')).toEqual({ status: 'second' });
    // Without the option the wait still finds the earliest match, as before.
    expect(JSON.parse((await s.waitForRequest(isPost)).body ?? '')).toEqual({ status: 'first' });
  });

  it('with fromNow, a request recorded before the call and answered after it does not count', async () => {
    const s = await start();
    s.failNext({ paths: 'rest', status: 503, delayMs: 300 });
    const delayed = fetch(`${s.url}/api/v1/timelines/public`);
    await vi.waitUntil(() => s.requests.length === 1, { interval: 5 });
    expect(s.requests[0]?.status).toBe(0); // recorded, not yet answered
    const waiting = s.waitForRequest((request) => request.path === '/api/v1/timelines/public', { fromNow: true, timeoutMs: 2_000 });
    expect((await delayed).status).toBe(503);
    await (await fetch(`${s.url}/api/v1/timelines/public?limit=1`)).body?.cancel();
    const found = await waiting;
    expect([found.url, found.status]).toEqual(['/api/v1/timelines/public?limit=1', 200]);
  });

  it('with fromNow, says in its timeout that it waited for a request after the call', async () => {
    const s = await start();
    await (await fetch(`${s.url}/api/v1/timelines/public`)).body?.cancel();
    await expect(s.waitForRequest((request) => request.path === '/api/v1/timelines/public', { fromNow: true, timeoutMs: 30 })).rejects.toThrow(
      /timed out after 30 ms waiting for a matching request arriving after the call; open SSE streams: none/,
    );
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
