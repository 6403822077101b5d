import { describe, expect, it } from 'vitest';
import { unlistedNotificationType, type FakeMastodon, type NotificationJson } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// REST::NotificationSerializer attaches a Report to `admin.report` (`report`), the recipient's
// AccountRelationshipSeveranceEvent to `severed_relationships` (`event`) and an AccountWarning to
// `moderation_warning` (`moderation_warning`); the fake sent none of them, so a client showing what a
// report is about crashed on the fake only. Notification#set_from_account makes the recipient the
// sender of the last two: they have no originating account.

const { start, openStream } = useFakePerTest();

async function servedNotifications(s: FakeMastodon): Promise<NotificationJson[]> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: 'Bearer peer-test-token', Accept: 'application/json' } });
  return ((await response.json()) as NotificationJson[]).reverse();
}

describe('the objects REST::NotificationSerializer attaches', () => {
  it('are returned, streamed and served, after the account, with their serializers\' keys in order', async () => {
    const s = await start();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    const returned = [
      s.notify('1001', { type: 'admin.report', fromAccount: 'bob' }),
      s.notify('1001', { type: 'severed_relationships' }),
      s.notify('1001', { type: 'moderation_warning' }),
    ];
    await reader.untilEvents(3);
    const streamed = reader.events.map((event) => JSON.parse(event.data) as NotificationJson);
    for (const notifications of [returned, streamed, await servedNotifications(s)]) {
      const [report, severed, warning] = notifications;
      expect(Object.keys(report ?? {})).toEqual(['id', 'type', 'created_at', 'group_key', 'account', 'report']);
      expect(Object.keys(report?.report ?? {})).toEqual(['id', 'action_taken', 'action_taken_at', 'category', 'comment', 'forwarded', 'created_at', 'status_ids', 'rule_ids', 'target_account']);
      expect(report?.report).toMatchObject({ id: '1', action_taken: false, action_taken_at: null, category: 'other', forwarded: false, status_ids: [], rule_ids: null });
      expect(report?.account.id).toBe('1002'); // the reporter
      expect(report?.report?.target_account.id).toBe('1003'); // neither the reporter nor the moderator

      expect(Object.keys(severed ?? {})).toEqual(['id', 'type', 'created_at', 'group_key', 'account', 'event']);
      expect(Object.keys(severed?.event ?? {})).toEqual(['id', 'type', 'purged', 'target_name', 'followers_count', 'following_count', 'created_at']);
      expect(severed?.event).toMatchObject({ id: '1', type: 'domain_block', purged: false, target_name: 'remote.example' });
      expect(severed?.account.id).toBe('1001');

      expect(Object.keys(warning ?? {})).toEqual(['id', 'type', 'created_at', 'group_key', 'account', 'moderation_warning']);
      expect(Object.keys(warning?.moderation_warning ?? {})).toEqual(['id', 'action', 'text', 'status_ids', 'created_at', 'target_account', 'appeal']);
      expect(warning?.moderation_warning).toMatchObject({ id: '1', action: 'none', status_ids: null, appeal: null, target_account: { id: '1001' } });
      expect(warning?.account.id).toBe('1001');
    }
  });

  it('count their ids per table and server, and a test\'s fields replace one whole, spending no id', async () => {
    const s = await start();
    const given = { id: '9', category: 'spam' };
    expect(s.notify('1001', { type: 'admin.report', fields: { report: given } }).report).toEqual(given);
    expect(s.notify('1001', { type: 'admin.report' }).report?.id).toBe('1');
    expect(s.notify('1002', { type: 'admin.report', fromAccount: 'carol' }).report).toMatchObject({ id: '2', target_account: { id: '1001' } });
    expect(s.notify('1001', { type: 'moderation_warning' }).moderation_warning?.id).toBe('1');
    expect(s.notify('1001', { type: 'severed_relationships', fromAccount: 'bob' }).account.id).toBe('1002'); // a given sender is kept
  });

  it('are left out of every other type: no key beyond the five, and no status unless status-bearing', async () => {
    const s = await start();
    for (const type of ['follow', 'follow_request', 'admin.sign_up', 'annual_report', unlistedNotificationType('emoji_reaction')] as const) {
      expect(Object.keys(s.notify('1001', { type, fromAccount: 'carol' })), type).toEqual(['id', 'type', 'created_at', 'group_key', 'account']);
    }
    // 4.5's annual_report has no originating account either (set_from_account), and only the grouped API attaches its year.
    expect(s.notify('1001', { type: 'annual_report' }).account.id).toBe('1001');
  });
});
