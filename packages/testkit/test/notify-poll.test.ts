import { describe, expect, it } from 'vitest';
import type { FakeMastodon, PollJson } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// Mastodon's `poll` notification is about an ended poll: PollExpirationNotifyWorker notifies the
// poll's author and its local voters once it expired, and the status (Notification#target_status,
// the poll's status) carries the Poll, rendered by REST::PollSerializer for the recipient. The fake's
// made-up status had `poll: null`, so a client that renders the results crashed on the fake only.

const { start, openStream } = useFakePerTest();

async function servedNotifications(s: FakeMastodon): Promise<Array<{ status?: { poll: unknown } }>> {
  const response = await fetch(`${s.url}/api/v1/notifications`, { headers: { Authorization: 'Bearer peer-test-token', Accept: 'application/json' } });
  return (await response.json()) as Array<{ status?: { poll: unknown } }>;
}

describe('a poll notification without a given status', () => {
  it('carries an ended poll with its results, rendered for a voter, returned, streamed and served alike', async () => {
    const s = await start();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    const notification = s.notify('1001', { type: 'poll', fromAccount: 'bob' });
    await reader.untilEvents(1);

    const poll = notification.status.poll as PollJson;
    // Attributes, then the options and emojis associations, as ActiveModel::Serializer renders them.
    expect(Object.keys(poll)).toEqual(['id', 'expires_at', 'expired', 'multiple', 'votes_count', 'voters_count', 'voted', 'own_votes', 'options', 'emojis']);
    expect(poll).toMatchObject({ id: '1', expired: true, multiple: false, voted: true, own_votes: [0], emojis: [] });
    expect(poll.options.length).toBeGreaterThan(1);
    for (const option of poll.options) expect(typeof option.votes_count).toBe('number'); // an ended poll shows its totals
    expect(poll.votes_count).toBe(poll.options.reduce((sum, option) => sum + (option.votes_count ?? 0), 0));
    expect(poll.voters_count).toBe(poll.votes_count); // single choice: one vote per voter
    // Ended before the notification, on a status posted before that.
    const expiresMs = Date.parse(poll.expires_at ?? '');
    expect(expiresMs).toBeLessThan(Date.parse(notification.created_at));
    expect(Date.parse(notification.status.created_at)).toBeLessThan(expiresMs);
    expect(notification.status.account.id).toBe('1002');

    expect(JSON.parse(reader.events[0]?.data ?? '').status.poll).toEqual(poll);
    expect((await servedNotifications(s))[0]?.status?.poll).toEqual(poll);
  });

  it("shows the author its own poll as voted, with no votes of its own, and counts poll ids per server", async () => {
    const s = await start();
    const own = s.notify('1001', { type: 'poll', fromAccount: 'alice' }).status.poll as PollJson;
    expect(own).toMatchObject({ id: '1', voted: true, own_votes: [] }); // Poll#voted? counts the author; VoteValidator refuses its vote
    expect((s.notify('1002', { type: 'poll', fromAccount: 'carol' }).status.poll as PollJson).id).toBe('2');
    const next = await start();
    expect((next.notify('1001', { type: 'poll' }).status.poll as PollJson).id).toBe('1');
  });

  it('leaves a given status as it is', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'bob' });
    expect(s.notify('1001', { type: 'poll', fromAccount: 'bob', status }).status.poll).toBeNull();
  });
});
