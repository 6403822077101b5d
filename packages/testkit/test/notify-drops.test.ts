import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// What NotifyService (Mastodon 4.5) creates but never streams, or never creates at all, beyond the
// blocks and mutes of rest-relationships.test.ts. alice = 1001 (peer-test-token), bob = 1002.

const { start, openStream } = useFakePerTest();

async function notificationIds(s: FakeMastodon, query = ''): Promise<string[]> {
  const response = await fetch(`${s.url}/api/v1/notifications${query}`, { headers: { Authorization: 'Bearer peer-test-token' } });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ id: string }>).map((item) => item.id);
}

async function streamedNotificationIds(s: FakeMastodon, reader: StreamReader): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, { stream: 'user:notification', accountId: '1001' });
  return events.map((event) => (event.event === 'notification' ? String(JSON.parse(event.data).id) : event.event));
}

async function aliceNotificationStream(s: FakeMastodon): Promise<StreamReader> {
  const reader = await openStream(s, 'user/notification');
  await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
  return reader;
}

describe('notifications from the recipient to itself (NotifyService::DropCondition#from_self?)', () => {
  it('are dropped, except poll, severed_relationships, moderation_warning and annual_report', async () => {
    const s = await start();
    const alice = await aliceNotificationStream(s);
    const dropped = (['favourite', 'reblog', 'follow', 'mention', 'status', 'update'] as const).map((type) => s.notify('1001', { type, fromAccount: 'alice' }));
    expect(dropped.map((notification) => notification.account.id)).toEqual(Array(6).fill('1001')); // what Mastodon would have created
    const kept = (['poll', 'severed_relationships', 'moderation_warning', 'annual_report'] as const).map((type) => s.notify('1001', { type, fromAccount: 'alice' }).id);

    expect(await streamedNotificationIds(s, alice)).toEqual(kept);
    expect(await notificationIds(s)).toEqual([...kept].reverse());
  });
});

describe('a filtered notification (fields.filtered: true, as a notification policy would make it)', () => {
  it('is stored but not streamed, and GET /api/v1/notifications serves it only with include_filtered or account_id', async () => {
    const s = await start();
    const alice = await aliceNotificationStream(s);
    const before = s.notify('1001', { type: 'follow' }).id;
    const filtered = s.notify('1001', { type: 'mention', fields: { filtered: true } }).id;
    const after = s.notify('1001', { type: 'favourite' }).id;

    expect(await streamedNotificationIds(s, alice)).toEqual([before, after]);
    expect(await notificationIds(s)).toEqual([after, before]);
    expect(await notificationIds(s, '?include_filtered=false')).toEqual([after, before]);
    expect(await notificationIds(s, '?include_filtered=true')).toEqual([after, filtered, before]);
    expect(await notificationIds(s, '?include_filtered=1&types[]=mention')).toEqual([filtered]);
    expect(await notificationIds(s, '?account_id=1002')).toEqual([after, filtered, before]);
  });
});
