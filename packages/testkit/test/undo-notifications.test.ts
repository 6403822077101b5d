import { describe, expect, it } from 'vitest';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// Undoing a boost or a favourite destroys the notification it made, as 4.5 does: the `reblog`
// notification's activity is the boost status and the `favourite` one's the Favourite, both
// `dependent: :destroy` (app/models/status.rb:98, app/models/favourite.rb:23), and a destroyed
// notification is published nowhere (app/models/notification.rb:201, :225-228).

const { start, current, openStream } = useFakePerTest();

async function post(path: string, token: string, method = 'POST'): Promise<Record<string, unknown>> {
  const response = await fetch(`${current().url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function alicesNotifications(): Promise<Array<{ type: string; account: { id: string }; status?: { id: string } }>> {
  const response = await fetch(`${current().url}/api/v1/notifications`, { headers: { Authorization: 'Bearer peer-test-token' } });
  return (await response.json()) as Array<{ type: string; account: { id: string }; status?: { id: string } }>;
}

const types = async (): Promise<string[]> => (await alicesNotifications()).map((notification) => `${notification.type} from ${notification.account.id}`);

describe('undoing a boost or a favourite', () => {
  it('unreblog destroys the reblog notification, unstreamed', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    await post(`/api/v1/statuses/${status.id}/reblog`, 'peer-test-token-bob');
    expect(await alicesNotifications()).toMatchObject([{ type: 'reblog', account: { id: '1002' }, status: { id: status.id } }]);
    const notifications = await openStream(s, 'user/notification', 'peer-test-token');
    await s.waitForConnection();
    await post(`/api/v1/statuses/${status.id}/unreblog`, 'peer-test-token-bob');
    expect(await alicesNotifications()).toEqual([]);
    expect(await eventsBeforeMarker(s, notifications, { stream: 'user:notification', accountId: '1001' })).toEqual([]);
  });

  it('unfavourite destroys the favourite notification, unstreamed, and leaves the others', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    await post(`/api/v1/statuses/${status.id}/favourite`, 'peer-test-token-bob');
    await post(`/api/v1/statuses/${status.id}/reblog`, 'peer-test-token-bob');
    s.notify('1001', { type: 'favourite', fromAccount: 'carol', status });
    // Newest first.
    expect(await types()).toEqual(['favourite from 1003', 'reblog from 1002', 'favourite from 1002']);
    const notifications = await openStream(s, 'user/notification', 'peer-test-token');
    await s.waitForConnection();
    await post(`/api/v1/statuses/${status.id}/unfavourite`, 'peer-test-token-bob');
    expect(await types()).toEqual(['favourite from 1003', 'reblog from 1002']);
    expect(await eventsBeforeMarker(s, notifications, { stream: 'user:notification', accountId: '1001' })).toEqual([]);
  });

  it('a boost deleted directly, or with the status it boosts, takes its reblog notification too', async () => {
    const s = await start();
    const first = s.postStatus({}, { account: 'alice' });
    const second = s.postStatus({}, { account: 'alice' });
    const boost = await post(`/api/v1/statuses/${first.id}/reblog`, 'peer-test-token-bob');
    await post(`/api/v1/statuses/${second.id}/reblog`, 'peer-test-token-bob');
    expect(await alicesNotifications()).toHaveLength(2);
    await post(`/api/v1/statuses/${String(boost['id'])}`, 'peer-test-token-bob', 'DELETE');
    expect(await alicesNotifications()).toMatchObject([{ type: 'reblog', status: { id: second.id } }]);
    expect(s.deleteStatus(second.id)).toBe(true);
    expect(await alicesNotifications()).toEqual([]);
  });
});
