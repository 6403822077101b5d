import { describe, expect, it } from 'vitest';
import { defaultTokens } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A bot deletes what it posted with DELETE /api/v1/statuses/:id (Api::V1::StatusesController#destroy,
// app/controllers/api/v1/statuses_controller.rb:125-138): its own statuses only, answered with the
// status and its source text, and removed as RemoveStatusService removes it (streamed `delete`).

const { start, current, openStream } = useFakePerTest({
  tokens: {
    ...defaultTokens(),
    'read-only': { accountId: '1001', scopes: ['read', 'write:accounts'] },
    'statuses-only': { accountId: '1001', scopes: ['write:statuses'] },
    'app-only': { accountId: '0', scopes: ['write'], appOnly: true },
  },
});

async function call(method: string, path: string, token?: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${current().url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const remove = (id: string, token: string | null = 'peer-test-token') => call('DELETE', `/api/v1/statuses/${id}`, token ?? undefined);

describe('DELETE /api/v1/statuses/:id', () => {
  it('deletes the caller’s status posted over REST: answers it with its source text and streams delete', async () => {
    const s = await start();
    const posted = await call('POST', '/api/v1/statuses', 'peer-test-token', { status: 'fish & <chips>\n\nsecond #rust', spoiler_text: 'food' });
    const id = String(posted.body['id']);
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnection();
    const deleted = await remove(id);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id, text: 'fish & <chips>\n\nsecond #rust', spoiler_text: 'food', account: { id: '1001' }, favourited: false });
    // source_requested renders `text` instead of `content`, in its place.
    expect(deleted.body).not.toHaveProperty('content');
    const keys = Object.keys(deleted.body);
    expect(keys.indexOf('text')).toBe(keys.indexOf('filtered') + 1);
    expect(await eventsBeforeMarker(s, reader, 'public')).toEqual([{ event: 'delete', data: id }]);
    expect((await call('GET', `/api/v1/statuses/${id}`)).status).toBe(404);
    // Gone: a second delete finds nothing.
    expect(await remove(id)).toEqual({ status: 404, body: { error: 'Record not found' } });
  });

  it('reads a scripted status’s source back from its content, and a boost’s as empty', async () => {
    const s = await start();
    const scripted = s.postStatus({ content: '<p>a &amp; b<br />c</p><p>d</p>' }, { account: 'alice' });
    expect((await remove(scripted.id)).body['text']).toBe('a & b\nc\n\nd');
    const original = s.postStatus({ content: '<p>bob’s</p>' }, { account: 'bob' });
    const boost = s.postStatus({ reblog: original }, { account: 'alice' });
    const deleted = await remove(boost.id);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ text: '', reblog: { id: original.id, text: 'bob’s' } });
    // The boosted status is bob's and stays.
    expect((await call('GET', `/api/v1/statuses/${original.id}`)).status).toBe(200);
  });

  it('answers a status scripted from plain JavaScript with a content that is no text (null) with an empty text', async () => {
    const s = await start();
    const scripted = s.postStatus({ content: null as unknown as string }, { account: 'alice' });
    expect(await remove(scripted.id)).toMatchObject({ status: 200, body: { id: scripted.id, text: '' } });
  });

  it('answers 404 for another account’s status, which stays, and for an unknown id', async () => {
    const s = await start();
    const bobs = s.postStatus({ content: '<p>mine</p>' }, { account: 'bob' });
    expect(await remove(bobs.id)).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect(await remove('999')).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect((await call('GET', `/api/v1/statuses/${bobs.id}`)).status).toBe(200);
  });

  it('checks the token as #destroy does: write or write:statuses, then a user', async () => {
    const s = await start();
    const first = s.postStatus({}, { account: 'alice' });
    expect(await remove(first.id, null)).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    expect(await remove(first.id, 'read-only')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect(await remove(first.id, 'app-only')).toEqual({ status: 422, body: { error: 'This method requires an authenticated user' } });
    s.disableUser('1001');
    expect(await remove(first.id)).toEqual({ status: 403, body: { error: 'Your login is currently disabled' } });
    s.reinstateAccount('1001');
    expect((await remove(first.id, 'statuses-only')).status).toBe(200);
    expect((await remove(s.postStatus({}, { account: 'alice' }).id, 'peer-test-token-writeonly')).status).toBe(200);
  });
});
