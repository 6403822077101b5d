import { describe, expect, it } from 'vitest';
import { buildAccount, defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// editStatus runs FanOutOnWriteService#notify_about_update! of Mastodon 4.5: an `update` notification to
// each local account that boosted the status and a `quoted_update` to the author of each accepted quote,
// LocalNotificationWorker replacing that account's older one of the same type and status.
// alice = 1001, bob = 1002, dave = 1004 (local, given a token here), carol = 1003 (remote, no token).

const DAVE_TOKEN = 'peer-test-token-dave';
const { start, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), [DAVE_TOKEN]: { accountId: '1004', acct: 'dave', scopes: ['read', 'write'] } },
});
const DAVE = buildAccount('1004', 'dave');
const TOKENS: Record<string, string> = { '1001': 'peer-test-token', '1002': 'peer-test-token-bob', '1004': DAVE_TOKEN };

interface Notification {
  id: string;
  type: string;
  account: { id: string };
  status?: { id: string; content: string };
}

async function notificationsOf(s: FakeMastodon, accountId: string): Promise<Notification[]> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${TOKENS[accountId]}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Notification[];
}

/** `type from:sender status-id` of each notification, as streamed or stored. */
const summary = (notification: Notification) => `${notification.type} from:${notification.account.id} ${notification.status?.id}`;

async function streamedNotifications(s: FakeMastodon, reader: StreamReader, accountId: string): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, { stream: 'user:notification', accountId });
  return events.filter((event) => event.event === 'notification').map((event) => summary(JSON.parse(event.data) as Notification));
}

async function notificationStream(s: FakeMastodon, accountId: string): Promise<StreamReader> {
  const reader = await openStream(s, 'user/notification', TOKENS[accountId]);
  await s.waitForConnection((c) => c.stream === 'user:notification' && c.accountId === accountId && c.isSubscribed);
  return reader;
}

describe('editStatus and the accounts that boosted or quoted the status', () => {
  it('notifies each local booster with `update`, the newest replacing the older one', async () => {
    const s = await start();
    const alice = await notificationStream(s, '1001');
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    s.postStatus({ reblog: original }, { account: 'alice' });
    s.postStatus({ reblog: original }, { account: 'carol' }); // remote: no user, NotifyService makes nothing
    s.editStatus(original.id, { content: '<p>v2</p>' });
    const [first] = await notificationsOf(s, '1001');
    s.editStatus(original.id, { content: '<p>v3</p>' });

    expect(await streamedNotifications(s, alice, '1001')).toEqual([`update from:1002 ${original.id}`, `update from:1002 ${original.id}`]);
    const stored = await notificationsOf(s, '1001');
    expect(stored.map(summary)).toEqual([`update from:1002 ${original.id}`]);
    expect(stored[0]?.id).not.toBe(first?.id);
    expect(stored[0]?.status?.content).toBe('<p>v3</p>');
  });

  it("drops the author's own boost and a booster who mutes the author, as NotifyService does", async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    s.postStatus({ reblog: original }, { account: 'bob' });
    s.postStatus({ reblog: original }, { account: 'alice' });
    s.postStatus({ reblog: original }, { account: DAVE });
    s.viewer('1001').mute('1002');
    s.editStatus(original.id, { content: '<p>v2</p>' });

    expect(await notificationsOf(s, '1002')).toEqual([]);
    expect(await notificationsOf(s, '1001')).toEqual([]);
    expect((await notificationsOf(s, '1004')).map(summary)).toEqual([`update from:1002 ${original.id}`]);
  });

  it('notifies the local author of each accepted quote with `quoted_update` about the quote, replacing the older one', async () => {
    const s = await start();
    const dave = await notificationStream(s, '1004');
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    const quote = s.postStatus({ content: '<p>look</p>', quote: { state: 'accepted', quoted_status: original } }, { account: DAVE });
    const shallow = s.postStatus({ quote: { state: 'accepted', quoted_status_id: original.id } }, { account: 'alice' });
    s.postStatus({ quote: { state: 'pending', quoted_status: null } }, { account: 'alice' });
    s.editStatus(original.id, { content: '<p>v2</p>' });
    s.editStatus(original.id, { content: '<p>v3</p>' });

    expect(await streamedNotifications(s, dave, '1004')).toEqual([`quoted_update from:1002 ${quote.id}`, `quoted_update from:1002 ${quote.id}`]);
    expect((await notificationsOf(s, '1004')).map(summary)).toEqual([`quoted_update from:1002 ${quote.id}`]);
    expect((await notificationsOf(s, '1001')).map(summary)).toEqual([`quoted_update from:1002 ${shallow.id}`]);
  });
});
