import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// Each Rails controller names its own scopes: lists take `read:lists`, notifications
// `read:notifications`, the status timelines and conversations `read:statuses`. Public, tag and
// single-status reads only check a token Doorkeeper found (authorize_if_got_token!).

const perTest = useFakeServer();

function start(): Promise<FakeMastodon> {
  const scoped = (scopes: string[]) => ({ accountId: '1001', scopes });
  return perTest.start({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: {
      ...defaultTokens(),
      lists: scoped(['read:lists']),
      statuses: scoped(['read:statuses']),
      notifications: scoped(['read:notifications']),
    },
  });
}

async function answer(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

const OUTSIDE_SCOPES = { status: 403, body: { error: 'This action is outside the authorized scopes' } };

/** Endpoint → the one narrow scope token it accepts besides `read`. */
const ENDPOINTS: Array<[string, string]> = [
  ['/api/v1/timelines/home', 'statuses'],
  ['/api/v1/timelines/list/42', 'lists'],
  ['/api/v1/notifications', 'notifications'],
  ['/api/v1/conversations', 'statuses'],
  ['/api/v1/timelines/public', 'statuses'],
  ['/api/v1/timelines/tag/rust', 'statuses'],
];

describe('REST scope table (Rails controllers)', () => {
  it.each(ENDPOINTS)('%s accepts read and only its own narrow scope (%s)', async (path, accepted) => {
    await start();
    expect((await answer(path, 'peer-test-token')).status).toBe(200);
    for (const token of ['lists', 'statuses', 'notifications']) {
      const result = await answer(path, token);
      if (token === accepted) expect(result.status, token).toBe(200);
      else expect(result, token).toEqual(OUTSIDE_SCOPES);
    }
  });

  it('a list timeline is read with read:lists, not read:statuses', async () => {
    const s = await start();
    const id = s.postStatus({}, { inListIds: ['42'] }).id;
    expect(await answer('/api/v1/timelines/list/42', 'lists')).toMatchObject({ status: 200, body: [{ id }] });
    expect(await answer('/api/v1/timelines/list/42', 'statuses')).toEqual(OUTSIDE_SCOPES);
  });

  it('a single status needs read:statuses when a token is given', async () => {
    const s = await start();
    const id = s.postStatus().id;
    expect((await answer(`/api/v1/statuses/${id}`, 'statuses')).status).toBe(200);
    expect(await answer(`/api/v1/statuses/${id}`, 'lists')).toEqual(OUTSIDE_SCOPES);
    expect((await answer(`/api/v1/statuses/${id}`)).status).toBe(200);
  });

  it('the instance endpoints check no token at all', async () => {
    await start();
    for (const path of ['/api/v1/instance', '/api/v2/instance']) {
      for (const token of [undefined, 'nope', 'peer-test-token-revoked', 'peer-test-token-writeonly']) {
        expect((await answer(path, token)).status, `${path} ${token}`).toBe(200);
      }
    }
  });
});

describe('unknown tokens: doorkeeper_authorize! refuses, authorize_if_got_token! serves anonymously', () => {
  it.each(['/api/v1/timelines/home', '/api/v1/timelines/list/42', '/api/v1/notifications', '/api/v1/conversations'])('%s: 401', async (path) => {
    await start();
    expect(await answer(path, 'nope')).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    expect(await answer(path)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
  });

  it('public, tag and single-status reads answer an unknown token as they answer no token', async () => {
    const s = await start();
    const id = s.postStatus({}, { tags: ['rust'] }).id;
    for (const path of ['/api/v1/timelines/public', '/api/v1/timelines/tag/rust', `/api/v1/statuses/${id}`]) {
      const anonymous = await answer(path);
      expect(anonymous.status, path).toBe(200);
      expect(await answer(path, 'nope'), path).toEqual(anonymous);
    }
  });

  it('a revoked token is still found, so it is refused there too', async () => {
    await start();
    expect(await answer('/api/v1/timelines/public', 'peer-test-token-revoked')).toEqual({ status: 401, body: { error: 'The access token was revoked' } });
  });
});
