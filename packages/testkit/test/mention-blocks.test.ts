import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// Mastodon 4.5's ProcessMentionsService#assign_mentions! destroys, for a local status, the mentions of accounts its
// author blocks (app/services/process_mentions_service.rb:71-79), at posting and at every edit
// (update_status_service.rb:136): the status does not list them and nobody notifies them. An account that blocks the
// author keeps its mention; NotifyService drops its notification (notify_service.rb:120).
// alice = 1001, bob = 1002, carol = 1003 (remote), dave = 1004 (local, given a token here).

const DAVE_TOKEN = 'peer-test-token-dave';
const { start, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), [DAVE_TOKEN]: { accountId: '1004', acct: 'dave', scopes: ['read', 'write'] } },
});
const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });
const mentionIds = (status: { mentions: ReadonlyArray<{ id: string }> }) => status.mentions.map((entry) => entry.id);

async function notificationStream(s: FakeMastodon, token: string, accountId: string): Promise<StreamReader> {
  const reader = await openStream(s, 'user/notification', token);
  await s.waitForConnection((c) => c.stream === 'user:notification' && c.accountId === accountId && c.isSubscribed);
  return reader;
}

/** Every event the stream got since it opened, notifications as their type. */
async function streamed(s: FakeMastodon, reader: StreamReader, accountId: string): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, { stream: 'user:notification', accountId });
  return events.map((event) => (event.event === 'notification' ? `notification:${JSON.parse(event.data).type}` : event.event));
}

async function served(s: FakeMastodon, id: string): Promise<{ mentions: Array<{ id: string }> }> {
  const response = await fetch(`${s.url}/api/v1/statuses/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

describe('mentions of accounts the author blocks', () => {
  it('are dropped from a local status as it is posted, and not notified', async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    const dave = await notificationStream(s, DAVE_TOKEN, '1004');
    s.viewer('1002').block('1001');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice'), mention('1003', 'carol'), mention('1004', 'dave')] }, { account: 'bob' });

    expect(mentionIds(posted)).toEqual(['1003', '1004']);
    expect(mentionIds(await served(s, posted.id))).toEqual(['1003', '1004']);
    expect(await streamed(s, alice, '1001')).toEqual([]);
    expect(await streamed(s, dave, '1004')).toEqual(['notification:mention']);
  });

  it('are kept when the mentioned account blocks the author, which only loses the notification', async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    s.viewer('1001').block('1002');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'bob' });

    expect(mentionIds(posted)).toEqual(['1001']);
    expect(await streamed(s, alice, '1001')).toEqual([]);
  });

  it('are kept on a remote author, whose mentions ProcessMentionsService never touches', async () => {
    const s = await start();
    s.viewer('1003').block('1001');
    const posted = s.postStatus({ mentions: [mention('1001', 'alice')] }, { account: 'carol' });
    expect(mentionIds(posted)).toEqual(['1001']);
  });

  it('are dropped again at an edit: one the author blocked since goes, one the edit adds is never made', async () => {
    const s = await start();
    const alice = await notificationStream(s, 'peer-test-token', '1001');
    const dave = await notificationStream(s, DAVE_TOKEN, '1004');
    const posted = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob', homeOf: [] });
    expect(await streamed(s, alice, '1001')).toEqual(['notification:mention']);
    s.viewer('1002').block('1001');
    s.viewer('1002').block('1004');
    // The same status back changes nothing, so ProcessMentionsService does not run (update_status_service.rb:121, :136).
    expect(mentionIds(s.editStatus(posted.id, { ...posted }))).toEqual(['1001']);

    const edited = s.editStatus(posted.id, { content: '<p>@alice @dave hi</p>', mentions: [mention('1001', 'alice'), mention('1004', 'dave')] });

    expect(mentionIds(edited)).toEqual([]);
    expect(mentionIds(await served(s, posted.id))).toEqual([]);
    expect(await streamed(s, alice, '1001')).toEqual(['notification:mention']);
    expect(await streamed(s, dave, '1004')).toEqual([]);
  });
});
