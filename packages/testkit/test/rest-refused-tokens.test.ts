import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// Rails refuses these tokens itself (Api::BaseController: require_not_suspended! for every
// endpoint, require_user! for those about the token's own user), with other statuses and texts
// than the streaming server's 401 `Invalid access token`.

const APP_TOKEN = 'peer-test-token-app';
const APP_WRITE_TOKEN = 'peer-test-token-app-write';
const perTest = useFakeServer();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: {
      ...defaultTokens(),
      [APP_TOKEN]: { accountId: '0', scopes: ['read'], appOnly: true },
      [APP_WRITE_TOKEN]: { accountId: '0', scopes: ['write'], appOnly: true },
      'bob-write-only': { accountId: '1002', scopes: ['write'] },
    },
    ...options,
  });
}

async function answer(path: string, token: string): Promise<{ status: number; body: unknown; contentType: string | null }> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json(), contentType: response.headers.get('content-type') };
}

/** The endpoints that run require_user!: bob's own list, so only the token decides. */
const USER_ENDPOINTS = ['/api/v1/timelines/home', '/api/v1/timelines/list/43', '/api/v1/notifications', '/api/v1/conversations'];
const OPEN_ENDPOINTS = ['/api/v1/timelines/public', '/api/v1/timelines/public?local=true', '/api/v1/timelines/tag/rust'];
const LOGIN_DISABLED = { error: 'Your login is currently disabled' };

describe('app-only tokens on REST', () => {
  it.each(USER_ENDPOINTS)('%s: 422 This method requires an authenticated user', async (path) => {
    await start();
    expect(await answer(path, APP_TOKEN)).toEqual({
      status: 422,
      body: { error: 'This method requires an authenticated user' },
      contentType: 'application/json; charset=utf-8',
    });
  });

  it('the scope check comes first: a write-only app token gets 403 outside the scopes', async () => {
    await start();
    expect(await answer('/api/v1/timelines/home', APP_WRITE_TOKEN)).toMatchObject({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
  });

  it('public and tag timelines serve it, without viewer fields', async () => {
    const s = await start();
    s.postStatus({}, { tags: ['rust'] });
    for (const path of OPEN_ENDPOINTS) {
      const { status, body } = await answer(path, APP_TOKEN);
      expect(status, path).toBe(200);
      expect((body as Array<Record<string, unknown>>)[0], path).not.toHaveProperty('favourited');
    }
    const { body } = await answer('/api/v1/timelines/public', 'peer-test-token');
    expect((body as Array<Record<string, unknown>>)[0]).toHaveProperty('favourited', false);
  });
});

describe('disabled users on REST', () => {
  it.each(USER_ENDPOINTS)('%s: 403 Your login is currently disabled', async (path) => {
    await start({ disabledUsers: ['1002'] });
    expect(await answer(path, 'peer-test-token-bob')).toEqual({ status: 403, body: LOGIN_DISABLED, contentType: 'application/json; charset=utf-8' });
  });

  it('other endpoints still serve the token, and the scope check still comes first', async () => {
    const s = await start({ disabledUsers: ['1002'] });
    const status = s.postStatus({}, { tags: ['rust'] });
    for (const path of [...OPEN_ENDPOINTS, `/api/v1/statuses/${status.id}`]) expect((await answer(path, 'peer-test-token-bob')).status, path).toBe(200);
    expect(await answer('/api/v1/timelines/home', 'bob-write-only')).toMatchObject({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
  });

  it('disableUser and reinstateAccount switch it at runtime; other accounts are untouched', async () => {
    const s = await start();
    expect((await answer('/api/v1/timelines/home', 'peer-test-token-bob')).status).toBe(200);
    s.disableUser('1002');
    expect(await answer('/api/v1/notifications', 'peer-test-token-bob')).toMatchObject({ status: 403, body: LOGIN_DISABLED });
    expect((await answer('/api/v1/notifications', 'peer-test-token')).status).toBe(200);
    s.reinstateAccount('1002');
    expect((await answer('/api/v1/notifications', 'peer-test-token-bob')).status).toBe(200);
  });
});

describe('suspended accounts on REST', () => {
  it.each([...USER_ENDPOINTS, ...OPEN_ENDPOINTS])('%s: 403 Your login is currently disabled', async (path) => {
    await start({ suspendedAccounts: ['1002'] });
    expect(await answer(path, 'peer-test-token-bob')).toEqual({ status: 403, body: LOGIN_DISABLED, contentType: 'application/json; charset=utf-8' });
  });

  it('before the scope check, also for a single status; the instance endpoints still answer', async () => {
    const s = await start({ suspendedAccounts: ['1002'] });
    const status = s.postStatus();
    expect(await answer('/api/v1/timelines/home', 'bob-write-only')).toMatchObject({ status: 403, body: LOGIN_DISABLED });
    expect(await answer(`/api/v1/statuses/${status.id}`, 'peer-test-token-bob')).toMatchObject({ status: 403, body: LOGIN_DISABLED });
    expect((await answer('/api/v1/instance', 'peer-test-token-bob')).status).toBe(200);
    expect((await answer('/api/v2/instance', 'peer-test-token-bob')).status).toBe(200);
  });

  it('suspendAccount at runtime; unknown and revoked tokens keep their Doorkeeper answers', async () => {
    const s = await start();
    s.suspendAccount('1002');
    expect(await answer('/api/v1/timelines/public', 'peer-test-token-bob')).toMatchObject({ status: 403, body: LOGIN_DISABLED });
    expect(await answer('/api/v1/timelines/home', 'nope')).toMatchObject({ status: 401, body: { error: 'The access token is invalid' } });
    expect(await answer('/api/v1/timelines/home', 'peer-test-token-revoked')).toMatchObject({ status: 401, body: { error: 'The access token was revoked' } });
    s.reinstateAccount('1002');
    expect((await answer('/api/v1/timelines/public', 'peer-test-token-bob')).status).toBe(200);
  });
});

describe("Doorkeeper's challenge header", () => {
  const challengeOf = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${perTest.current().url}${path}`, init);
    await response.body?.cancel();
    return { status: response.status, challenge: response.headers.get('www-authenticate') };
  };

  it('a 401 carries WWW-Authenticate with the reason the body gives; a 403 (a scope or a suspended login) does not', async () => {
    const s = await start();
    const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    expect(await challengeOf('/api/v1/timelines/home', bearer('nope'))).toEqual({
      status: 401,
      challenge: 'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
    });
    expect(await challengeOf('/api/v1/timelines/home', bearer('peer-test-token-revoked'))).toEqual({
      status: 401,
      challenge: 'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token was revoked"',
    });
    expect(await challengeOf('/api/v1/notifications')).toEqual({
      status: 401,
      challenge: 'Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"',
    });
    expect(await challengeOf('/api/v1/statuses', { method: 'POST', body: new URLSearchParams({ status: 'hi' }) })).toMatchObject({ status: 401, challenge: expect.stringContaining('error="invalid_token"') });
    expect(await challengeOf('/api/v1/timelines/home', bearer('peer-test-token-writeonly'))).toEqual({ status: 403, challenge: null });
    s.suspendAccount('1002');
    expect(await challengeOf('/api/v1/timelines/public', bearer('peer-test-token-bob'))).toEqual({ status: 403, challenge: null });
  });
});
