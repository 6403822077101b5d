import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// editStatus runs what Mastodon 4.5's UpdateStatusService → DistributionWorker → FanOutOnWriteService
// (update: true) runs for the mentioned accounts: notify_mentioned_accounts! queues a mention notification
// per local mention (LocalNotificationWorker skips one already notified) and pushes `status.update` to
// each mentioned account's `timeline:<id>:notifications`, which reaches `user:notification` and `user`
// streams whose token may read notifications.
// alice = 1001, bob = 1002, dave = 1004 (local, given a token here), carol = 1003 (remote, no token).

const DAVE_TOKEN = 'peer-test-token-dave';
const STATUSES_ONLY_TOKEN = 'alice-read-statuses';
const { start, openStream } = useFakePerTest({
  tokens: {
    ...defaultTokens(),
    [DAVE_TOKEN]: { accountId: '1004', acct: 'dave', scopes: ['read', 'write'] },
    [STATUSES_ONLY_TOKEN]: { accountId: '1001', acct: 'alice', scopes: ['read:statuses'] },
  },
});

const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });
const TOKENS: Record<string, string> = { '1001': 'peer-test-token', '1002': 'peer-test-token-bob', '1004': DAVE_TOKEN };

async function notificationsOf(s: FakeMastodon, accountId: string): Promise<Array<{ type: string; account: { id: string }; status?: { id: string } }>> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${TOKENS[accountId]}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

/** Each event as `type:status-id` for a notification, `event:content` for a status event. */
async function streamed(s: FakeMastodon, reader: StreamReader, target: Parameters<FakeMastodon['publish']>[0]): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, target);
  return events.map(({ event, data }) => {
    const parsed = JSON.parse(data) as { type?: string; status?: { id: string }; content?: string };
    return event === 'notification' ? `${parsed.type}:${parsed.status?.id}` : `${event}:${parsed.content}`;
  });
}

async function stream(s: FakeMastodon, path: string, token: string, stream: string, accountId: string): Promise<StreamReader> {
  const reader = await openStream(s, path, token);
  await s.waitForConnection((c) => c.stream === stream && c.accountId === accountId && c.token === token && c.isSubscribed);
  return reader;
}

describe('editStatus and the accounts a status mentions', () => {
  it('notifies only the mentions an edit adds, once, and sends every mentioned account the edit', async () => {
    const s = await start();
    const alice = await stream(s, 'user/notification', 'peer-test-token', 'user:notification', '1001');
    const dave = await stream(s, 'user/notification', DAVE_TOKEN, 'user:notification', '1004');
    const posted = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', homeOf: [] });
    s.editStatus(posted.id, { content: '<p>@alice @dave hi</p>', mentions: [mention('1001', 'alice'), mention('1004', 'dave'), mention('1003', 'carol')] });
    s.editStatus(posted.id, { content: '<p>@alice @dave hi!</p>' });

    expect(await streamed(s, alice, { stream: 'user:notification', accountId: '1001' })).toEqual([
      `mention:${posted.id}`,
      'status.update:<p>@alice @dave hi</p>',
      'status.update:<p>@alice @dave hi!</p>',
    ]);
    expect(await streamed(s, dave, { stream: 'user:notification', accountId: '1004' })).toEqual([
      `mention:${posted.id}`,
      'status.update:<p>@alice @dave hi</p>',
      'status.update:<p>@alice @dave hi!</p>',
    ]);
    for (const accountId of ['1001', '1004']) {
      expect((await notificationsOf(s, accountId)).map((n) => `${n.type}:${n.status?.id}`)).toEqual([`mention:${posted.id}`]);
    }
  });

  it("keeps NotifyService's drops for an added mention, and still sends the edit to the account's notifications channel", async () => {
    const s = await start();
    const alice = await stream(s, 'user/notification', 'peer-test-token', 'user:notification', '1001');
    s.viewer('1001').mute('1002');
    const posted = s.postStatus({ content: '<p>hi</p>' }, { account: 'bob', homeOf: [] });
    s.editStatus(posted.id, { content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] });

    // PushUpdateWorker publishes to every mentioned local account that listens, whatever NotifyService decided.
    expect(await streamed(s, alice, { stream: 'user:notification', accountId: '1001' })).toEqual(['status.update:<p>@alice hi</p>']);
    expect(await notificationsOf(s, '1001')).toEqual([]);
  });

  it('sends the edit on `user` only with notification scope, a second time to a reader whose home has the status', async () => {
    const s = await start();
    const full = await stream(s, 'user', 'peer-test-token', 'user', '1001');
    const statusesOnly = await stream(s, 'user', STATUSES_ONLY_TOKEN, 'user', '1001');
    const notInHome = s.postStatus({ content: '<p>@alice a</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', homeOf: [] });
    const inHome = s.postStatus({ content: '<p>@alice b</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', homeOf: ['1001'] });
    s.editStatus(notInHome.id, { content: '<p>@alice a2</p>' });
    s.editStatus(inHome.id, { content: '<p>@alice b2</p>' });

    expect(await streamed(s, full, { stream: 'user', accountId: '1001' })).toEqual([
      `mention:${notInHome.id}`,
      'update:<p>@alice b</p>',
      `mention:${inHome.id}`,
      'status.update:<p>@alice a2</p>',
      // "This may result in duplicate update payloads": once from the home feed, once for the mention.
      'status.update:<p>@alice b2</p>',
      'status.update:<p>@alice b2</p>',
    ]);
    expect(await streamed(s, statusesOnly, { stream: 'user', accountId: '1001' })).toEqual(['update:<p>@alice b</p>', 'status.update:<p>@alice b2</p>']);
  });

  it("renders the mention's status.update for its reader and counts it as one message on the notifications channel", async () => {
    const s = await start();
    const alice = await stream(s, 'user/notification', 'peer-test-token', 'user:notification', '1001');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob', homeOf: [] });
    const before = await receivedMessages(s);
    s.editStatus(posted.id, { content: '<p>@alice edited</p>' });

    const events = await eventsBeforeMarker(s, alice, { stream: 'user:notification', accountId: '1001' });
    const update = events.find((event) => event.event === 'status.update');
    expect(JSON.parse(update?.data ?? '{}')).toMatchObject({ id: posted.id, content: '<p>@alice edited</p>', favourited: false, bookmarked: false });
    // The edit's status.update, then the marker publish: public streams had no listener.
    expect((await receivedMessages(s)) - before).toBe(2);
  });
});

async function receivedMessages(s: FakeMastodon): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('redis_messages_received_total '));
  return Number(line?.split(' ').pop());
}
