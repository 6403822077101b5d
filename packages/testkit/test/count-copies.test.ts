import { describe, expect, it } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// 4.5 renders a status from its row wherever it shows it, so a favourite or boost made or undone
// shows in every later rendering: a boost's `reblog`, a notification's `status`. The fake holds
// copies of the status there, which must follow the count.

const { start, current } = useFakePerTest();

async function call(method: string, path: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${current().url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const counts = (status: unknown) => {
  const { favourites_count, reblogs_count } = status as { favourites_count: number; reblogs_count: number };
  return { favourites_count, reblogs_count };
};

describe('the copies of a status follow its counts', () => {
  it('a boost’s reblog and the notifications carrying the status show favourites and boosts made and undone since', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    const boostId = String((await call('POST', `/api/v1/statuses/${status.id}/reblog`, 'peer-test-token-bob'))['id']);
    await call('POST', `/api/v1/statuses/${status.id}/favourite`, 'peer-test-token-bob');
    const boost = await call('GET', `/api/v1/statuses/${boostId}`, 'peer-test-token-bob');
    expect(counts(boost['reblog'])).toEqual({ favourites_count: 1, reblogs_count: 1 });
    const notifications = async () => (await call('GET', '/api/v1/notifications', 'peer-test-token')) as unknown as Array<{ type: string; status: unknown }>;
    // Newest first: the favourite's, then the boost's, which was made before the favourite.
    expect((await notifications()).map((notification) => [notification.type, counts(notification.status)])).toEqual([
      ['favourite', { favourites_count: 1, reblogs_count: 1 }],
      ['reblog', { favourites_count: 1, reblogs_count: 1 }],
    ]);
    await call('POST', `/api/v1/statuses/${status.id}/unfavourite`, 'peer-test-token-bob');
    expect(counts((await call('GET', `/api/v1/statuses/${boostId}`, 'peer-test-token-bob'))['reblog'])).toEqual({ favourites_count: 0, reblogs_count: 1 });
    expect((await notifications()).map((notification) => [notification.type, counts(notification.status)])).toEqual([['reblog', { favourites_count: 0, reblogs_count: 1 }]]);
  });

  it('another boost’s reblog shows a boost undone since', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    const carols = s.postStatus({ reblog: status }, { account: 'carol', homeOf: [] });
    await call('POST', `/api/v1/statuses/${status.id}/reblog`, 'peer-test-token-bob');
    expect(counts((await call('GET', `/api/v1/statuses/${carols.id}`, 'peer-test-token'))['reblog'])).toMatchObject({ reblogs_count: 1 });
    await call('POST', `/api/v1/statuses/${status.id}/unreblog`, 'peer-test-token-bob');
    expect(counts((await call('GET', `/api/v1/statuses/${carols.id}`, 'peer-test-token'))['reblog'])).toMatchObject({ reblogs_count: 0 });
  });
});
