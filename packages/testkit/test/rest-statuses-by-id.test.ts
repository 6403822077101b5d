import { describe, expect, it } from 'vitest';
import { buildAccount, defaultTokens } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// GET /api/v1/statuses?id[]=… (Mastodon 4.3+, Api::V1::StatusesController#index) and the
// visibility rules it shares with GET /api/v1/statuses/:id.

const { start, current } = useFakePerTest({
  tokens: { ...defaultTokens(), 'carol-token': { accountId: '1003' }, 'app-token': { accountId: '1001', appOnly: true } },
});

async function get(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  const response = await fetch(`${current().url}${path}`, { headers });
  return { status: response.status, body: await response.json() };
}

const query = (...ids: string[]): string => `/api/v1/statuses?${ids.map((id) => `id[]=${encodeURIComponent(id)}`).join('&')}`;

async function idsOf(path: string, token?: string): Promise<string[]> {
  const { status, body } = await get(path, token);
  expect(status, path).toBe(200);
  return (body as Array<{ id: string }>).map((status) => status.id);
}

describe('GET /api/v1/statuses?id[]=', () => {
  it('returns the existing statuses oldest first, once each, and leaves out unknown ids', async () => {
    const s = await start();
    const [first, second, third] = [s.postStatus().id, s.postStatus().id, s.postStatus().id];
    expect(await idsOf(query(third, 'nope', first, '1', first), 'peer-test-token')).toEqual([first, third]);
    // Ruby's to_i: leading zeros, blanks and trailing junk do not stop a match.
    expect(await idsOf(query(`00${second}`, ` ${third}abc`))).toEqual([second, third]);
    // Only the array form is permitted; a bare id and no id at all are an empty answer, not a 404.
    expect(await idsOf(`/api/v1/statuses?id=${first}`)).toEqual([]);
    expect(await idsOf('/api/v1/statuses')).toEqual([]);
  });

  it('renders for the viewer with a user token, anonymously without one or with an app token', async () => {
    const s = await start();
    const id = s.postStatus({}, { account: 'alice' }).id;
    const [mine] = (await get(query(id), 'peer-test-token')).body as Array<Record<string, unknown>>;
    expect(mine).toMatchObject({ id, favourited: false, pinned: false });
    for (const token of [undefined, 'app-token', 'unknown-token']) {
      const [anonymous] = (await get(query(id), token)).body as Array<Record<string, unknown>>;
      expect(anonymous?.['id'], String(token)).toBe(id);
      expect(Object.hasOwn(anonymous ?? {}, 'favourited'), String(token)).toBe(false);
    }
  });

  it('refuses more than 20 distinct ids with 422, counting ids that differ only before to_i', async () => {
    const s = await start();
    const twenty = Array.from({ length: 20 }, (_, index) => String(index + 1));
    expect((await get(query(...twenty, ...twenty))).status).toBe(200);
    expect(await get(query(...twenty, '21'))).toEqual({ status: 422, body: { error: 'Mastodon::ValidationError' } });
    expect((await get(query(...twenty, '01'))).status).toBe(422);
    expect(s.requests.at(-1)?.status).toBe(422);
  });

  it('checks the token as the other read endpoints do: scope, revoked, suspended', async () => {
    const s = await start();
    const id = s.postStatus().id;
    expect((await get(query(id), 'peer-test-token-writeonly')).body).toEqual({ error: 'This action is outside the authorized scopes' });
    expect((await get(query(id), 'peer-test-token-revoked')).status).toBe(401);
    s.suspendAccount('1002');
    expect(await get(query(id), 'peer-test-token-bob')).toEqual({ status: 403, body: { error: 'Your login is currently disabled' } });
  });

  it('shows direct and private statuses only to whom StatusPolicy allows', async () => {
    const s = await start();
    const bob = { id: '1002', username: 'bob', acct: 'bob', url: 'https://mastodon.example/@bob' };
    const direct = s.postStatus({ mentions: [bob] }, { account: 'alice', visibility: 'direct', homeOf: ['1001'] }).id;
    const followersOnly = s.postStatus({}, { account: 'alice', visibility: 'private', homeOf: ['1001', '1003'] }).id;
    const both = query(direct, followersOnly);
    expect(await idsOf(both, 'peer-test-token')).toEqual([direct, followersOnly]);
    expect(await idsOf(both, 'peer-test-token-bob')).toEqual([direct]);
    expect(await idsOf(both, 'carol-token')).toEqual([followersOnly]);
    expect(await idsOf(both)).toEqual([]);
    // The single-status endpoint hides them the same way, as a 404.
    expect(await get(`/api/v1/statuses/${direct}`, 'carol-token')).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect((await get(`/api/v1/statuses/${followersOnly}`)).status).toBe(404);
    expect((await get(`/api/v1/statuses/${followersOnly}`, 'carol-token')).status).toBe(200);
  });

  it('leaves out authors the viewer blocks, mutes or domain-blocks, and authors who block the viewer', async () => {
    const s = await start();
    const byBob = s.postStatus({}, { account: 'bob' }).id;
    const byCarol = s.postStatus({}, { account: 'carol' }).id;
    const remote = s.postStatus({}, { account: buildAccount('2001', 'dan@other.example') }).id;
    const all = query(byBob, byCarol, remote);
    expect(await idsOf(all, 'peer-test-token')).toEqual([byBob, byCarol, remote]);
    s.viewer('1001').mute('1002');
    s.viewer('1001').blockDomain('other.example');
    s.viewer('1003').block('1001');
    expect(await idsOf(all, 'peer-test-token')).toEqual([]);
    // Only the author's block hides a status from the single-status endpoint.
    expect((await get(`/api/v1/statuses/${byBob}`, 'peer-test-token')).status).toBe(200);
    expect((await get(`/api/v1/statuses/${byCarol}`, 'peer-test-token')).status).toBe(404);
    // Others still see them, and nobody's own statuses are ever filtered.
    expect(await idsOf(all, 'peer-test-token-bob')).toEqual([byBob, byCarol, remote]);
    s.viewer('1002').block('1002');
    expect(await idsOf(query(byBob), 'peer-test-token-bob')).toEqual([byBob]);
  });

  it('hides a suspended author’s statuses', async () => {
    const s = await start();
    const id = s.postStatus({}, { account: 'bob' }).id;
    s.suspendAccount('1002');
    expect(await idsOf(query(id), 'peer-test-token')).toEqual([]);
    expect((await get(`/api/v1/statuses/${id}`)).status).toBe(404);
    s.reinstateAccount('1002');
    expect(await idsOf(query(id))).toEqual([id]);
  });
});
