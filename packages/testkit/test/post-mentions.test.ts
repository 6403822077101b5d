import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// postStatus with `mentions` notifies each mentioned local account (one that owns a token), as
// FanOutOnWriteService#notify_mentioned_accounts! → LocalNotificationWorker → NotifyService do.
// alice = 1001 (peer-test-token), bob = 1002 (peer-test-token-bob), carol = 1003 (remote, no token).

const { start, openStream } = useFakePerTest();

const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });

async function notificationsOf(s: FakeMastodon, token: string): Promise<Array<{ id: string; type: string; account: { id: string }; status?: { id: string } }>> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

async function streamedNotifications(s: FakeMastodon, reader: StreamReader, accountId: string): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, { stream: 'user:notification', accountId });
  return events.map((event) => (event.event === 'notification' ? `${JSON.parse(event.data).type}:${JSON.parse(event.data).status?.id}` : event.event));
}

async function notificationStream(s: FakeMastodon, token: string, accountId: string): Promise<StreamReader> {
  const reader = await openStream(s, 'user/notification', token);
  await s.waitForConnection((c) => c.stream === 'user:notification' && c.accountId === accountId && c.isSubscribed);
  return reader;
}

describe('postStatus with mentions', () => {
  it('notifies each mentioned account that owns a token, once, but not the author mentioning itself', async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    const bob = await notificationStream(s, 'peer-test-token-bob', '1002');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice'), mention('1001', 'alice'), mention('1003', 'carol'), mention('1002', 'bob')] }, { account: 'bob' });

    expect(await streamedNotifications(s, alice, '1001')).toEqual([`mention:${posted.id}`]);
    expect(await streamedNotifications(s, bob, '1002')).toEqual([]);
    const [stored, ...others] = await notificationsOf(s, 'peer-test-token');
    expect(others).toEqual([]);
    expect(stored).toMatchObject({ type: 'mention', account: { id: '1002' }, status: { id: posted.id, favourited: false } });
    expect(await notificationsOf(s, 'peer-test-token-bob')).toEqual([]);
  });

  it('notifies nobody the recipient blocks or mutes, as notify() dismisses them', async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    s.viewer('1001').mute('1002');
    s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob' });
    expect(await streamedNotifications(s, alice, '1001')).toEqual([]);
    expect(await notificationsOf(s, 'peer-test-token')).toEqual([]);
  });

  it("makes notify(…, { type: 'mention', status }) for that status return the posting's notification, creating nothing", async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob' });
    const [made] = await notificationsOf(s, 'peer-test-token');
    const scripted = s.notify('1001', { type: 'mention', fromAccount: 'bob', status: posted });

    expect(scripted.id).toBe(made?.id);
    expect(scripted.status.id).toBe(posted.id);
    expect(await streamedNotifications(s, alice, '1001')).toEqual([`mention:${posted.id}`]);
    expect((await notificationsOf(s, 'peer-test-token')).map((notification) => notification.id)).toEqual([made?.id]);
  });
});
