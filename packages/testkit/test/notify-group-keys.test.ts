import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildAccount, unlistedNotificationType, type FakeMastodon } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// Notification::Groups#set_group_key! (Mastodon 4.5) groups favourites and boosts per target status,
// follows and sign-ups per type: `<prefix>-<hour bucket>`, the bucket kept in Redis for 12 hours per
// recipient and prefix and reused while an activity's hour is less than 12 past it. The fake sent
// `ungrouped-<id>` for every type, so a client merging streamed notifications into the groups of
// /api/v2/notifications never found a group on the fake.

const { start, openStream } = useFakePerTest();
afterEach(() => {
  vi.useRealTimers();
});

const HOUR = 3_600_000;
// Half past an hour, so that moves by whole hours stay clear of bucket edges.
const T0 = Date.parse('2026-11-28T11:30:00.000Z');
const B0 = Math.floor(T0 / HOUR);

function at(ms: number): void {
  vi.setSystemTime(ms);
}

/** A local account created at `createdMs`, with the exact time, which Mastodon's Account JSON would round to the day. */
function signedUp(id: string, createdMs: number) {
  return { ...buildAccount(id, `new${id}`), created_at: new Date(createdMs).toISOString() };
}

async function startAtT0(): Promise<FakeMastodon> {
  const s = await start();
  vi.useFakeTimers({ toFake: ['Date'] });
  at(T0);
  return s;
}

describe('group_key of the grouped types', () => {
  it('is <type>-<target status>-<hour> for a favourite or boost, the hour of its group while that is under 12 hours old', async () => {
    const s = await startAtT0();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    const status = s.postStatus({}, { account: 'alice' });
    const first = s.notify('1001', { type: 'favourite', fromAccount: 'bob' });
    expect(first.group_key).toBe(`favourite-${status.id}-${B0}`);
    expect(s.notify('1001', { type: 'reblog', fromAccount: 'bob' }).group_key).toBe(`reblog-${status.id}-${B0}`);
    at(T0 + 3 * HOUR);
    expect(s.notify('1001', { type: 'favourite', fromAccount: 'carol' }).group_key).toBe(`favourite-${status.id}-${B0}`);
    const other = s.postStatus({}, { account: 'alice' });
    expect(s.notify('1001', { type: 'favourite', fromAccount: 'bob' }).group_key).toBe(`favourite-${other.id}-${B0 + 3}`);
    at(T0 + 12 * HOUR); // 12 hours past the group's hour: a new group, though the key was written 9 hours ago
    expect(s.notify('1001', { type: 'favourite', fromAccount: 'bob', status }).group_key).toBe(`favourite-${status.id}-${B0 + 12}`);

    await reader.untilEvents(5);
    expect(JSON.parse(reader.events[0]?.data ?? '').group_key).toBe(first.group_key);
    const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(((await response.json()) as Array<{ group_key: string }>).at(-1)?.group_key).toBe(first.group_key);
  });

  it('is <type>-<hour> for follow and admin.sign_up, grouped per recipient and per type', async () => {
    const s = await startAtT0();
    expect(s.notify('1001', { type: 'follow', fromAccount: 'bob' }).group_key).toBe(`follow-${B0}`);
    expect(s.notify('1001', { type: 'admin.sign_up', fromAccount: signedUp('5001', T0) }).group_key).toBe(`admin.sign_up-${B0}`);
    at(T0 + HOUR);
    expect(s.notify('1001', { type: 'follow', fromAccount: 'carol' }).group_key).toBe(`follow-${B0}`);
    expect(s.notify('1002', { type: 'follow', fromAccount: 'carol' }).group_key).toBe(`follow-${B0 + 1}`);
    const next = await start(); // Redis is per server
    expect(next.notify('1001', { type: 'follow', fromAccount: 'bob' }).group_key).toBe(`follow-${B0 + 1}`);
  });

  it('puts an earlier activity into the newer group while the Redis key lives (12 hours from its last write), not after', async () => {
    const s = await startAtT0();
    const fiveHoursBefore = new Date(T0 - 5 * HOUR).toISOString();
    expect(s.notify('1001', { type: 'follow' }).group_key).toBe(`follow-${B0}`);
    at(T0 + 11 * HOUR);
    expect(s.notify('1001', { type: 'follow', fields: { created_at: fiveHoursBefore } }).group_key).toBe(`follow-${B0}`);
    at(T0 + 23 * HOUR + 60_000); // the key, written again at T0 + 11 h, expired a minute ago
    expect(s.notify('1001', { type: 'follow', fields: { created_at: fiveHoursBefore } }).group_key).toBe(`follow-${B0 - 5}`);
  });
});

describe('admin.sign_up', () => {
  // Its activity is the new account (bootstrap_timeline_service.rb:21), so set_group_key! buckets it by the account's
  // created_at (notification/groups.rb:26), not by when staff were notified.
  it('is bucketed by when the account was created, not by when staff are notified', async () => {
    const s = await startAtT0();
    expect(s.notify('1001', { type: 'admin.sign_up', fromAccount: signedUp('5001', T0 - 3 * HOUR) }).group_key).toBe(`admin.sign_up-${B0 - 3}`);
    at(T0 + HOUR);
    // Less than 12 hours past the group's hour: it joins that group, as any later activity does.
    expect(s.notify('1001', { type: 'admin.sign_up', fromAccount: signedUp('5002', T0 + HOUR) }).group_key).toBe(`admin.sign_up-${B0 - 3}`);
    // A follow at the same moment is still dated as its notification.
    expect(s.notify('1001', { type: 'follow', fromAccount: signedUp('5003', T0 - 20 * HOUR) }).group_key).toBe(`follow-${B0 + 1}`);
  });

  it('of a fixture account falls in the hour it was created, 2024-01-01', async () => {
    const s = await startAtT0();
    expect(s.notify('1001', { type: 'admin.sign_up', fromAccount: 'carol' }).group_key).toBe(`admin.sign_up-${Date.parse('2024-01-01T00:00:00.000Z') / HOUR}`);
  });
});

describe('ungrouped-<id>', () => {
  it('stays the key of every other type, of a filtered notification, and of a dropped one, which record no group', async () => {
    const s = await startAtT0();
    for (const type of ['mention', 'poll', 'status', 'update', 'quote', 'quoted_update', 'follow_request', 'admin.report', 'severed_relationships', 'moderation_warning', unlistedNotificationType('emoji_reaction')] as const) {
      const notification = s.notify('1001', { type });
      expect(notification.group_key, type).toBe(`ungrouped-${notification.id}`);
    }
    const filtered = s.notify('1001', { type: 'follow', fields: { filtered: true } });
    expect(filtered.group_key).toBe(`ungrouped-${filtered.id}`);
    s.viewer('1001').update({ mutes: ['1003'] });
    const dropped = s.notify('1001', { type: 'follow', fromAccount: 'carol' }); // NotifyService drops it before set_group_key!
    expect(dropped.group_key).toBe(`ungrouped-${dropped.id}`);
    at(T0 + HOUR);
    expect(s.notify('1001', { type: 'follow', fromAccount: 'bob' }).group_key).toBe(`follow-${B0 + 1}`); // neither started a group
  });

  it('gives way to a group_key in fields, while the group is recorded as Mastodon recorded it', async () => {
    const s = await startAtT0();
    expect(s.notify('1001', { type: 'follow', fields: { group_key: 'mine' } }).group_key).toBe('mine');
    at(T0 + HOUR);
    expect(s.notify('1001', { type: 'follow' }).group_key).toBe(`follow-${B0}`);
  });
});
