import { describe, expect, it } from 'vitest';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A deleted status's destroy! takes the rows its notifications hang on (app/models/status.rb:75-98:
// mentions, favourites, the poll, the boosts), and each takes its notifications
// (app/models/mention.rb:19, app/models/favourite.rb:23, app/models/poll.rb:38), unstreamed.

const { start, current, openStream } = useFakePerTest();

async function notificationsOf(token: string): Promise<string[]> {
  const response = await fetch(`${current().url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${token}` } });
  const listed = (await response.json()) as Array<{ type: string; status?: { id: string } }>;
  return listed.map((notification) => `${notification.type} ${notification.status?.id ?? '-'}`);
}

describe('deleting a status takes the notifications about it', () => {
  it('mention, favourite, poll and reblog notifications go, from every account, unstreamed; others stay', async () => {
    const s = await start();
    const kept = s.postStatus({}, { account: 'alice' });
    const doomed = s.postStatus({ mentions: [{ id: '1002', username: 'bob', acct: 'bob', url: 'https://peer.example/@bob' }] }, { account: 'alice' });
    s.notify('1001', { type: 'favourite', fromAccount: 'carol', status: doomed });
    s.notify('1001', { type: 'reblog', fromAccount: 'carol', status: doomed });
    s.notify('1001', { type: 'poll', status: doomed });
    s.notify('1001', { type: 'favourite', fromAccount: 'carol', status: kept });
    s.notify('1001', { type: 'follow', fromAccount: 'carol' });
    expect(await notificationsOf('peer-test-token-bob')).toEqual([`mention ${doomed.id}`]);
    expect(await notificationsOf('peer-test-token')).toHaveLength(5);
    const alices = await openStream(s, 'user/notification', 'peer-test-token');
    await s.waitForConnection();
    expect(s.deleteStatus(doomed.id)).toBe(true);
    expect(await notificationsOf('peer-test-token-bob')).toEqual([]);
    expect(await notificationsOf('peer-test-token')).toEqual(['follow -', `favourite ${kept.id}`]);
    expect(await eventsBeforeMarker(s, alices, { stream: 'user:notification', accountId: '1001' })).toEqual([]);
  });

  it('over REST too: DELETE /api/v1/statuses/:id of a status someone favourited', async () => {
    const s = await start();
    const response = await fetch(`${current().url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'like me' }) });
    const id = ((await response.json()) as { id: string }).id;
    await fetch(`${s.url}/api/v1/statuses/${id}/favourite`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(await notificationsOf('peer-test-token')).toEqual([`favourite ${id}`]);
    expect((await fetch(`${s.url}/api/v1/statuses/${id}`, { method: 'DELETE', headers: { Authorization: 'Bearer peer-test-token' } })).status).toBe(200);
    expect(await notificationsOf('peer-test-token')).toEqual([]);
  });
});
