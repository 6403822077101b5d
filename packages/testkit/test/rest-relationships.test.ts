import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// What a reader's blocks, mutes and domain blocks take out of the REST timelines and the
// notifications, as Rails does: home and lists as FeedManager keeps them (and the `user`/`list`
// streams get the same), public and tag timelines as PublicFeed/TagFeed scope them, and
// notifications as NotifyService dismisses them and AfterBlockService clears them.
// alice = 1001 (peer-test-token), bob = 1002, carol = 1003 (carol@remote.example).

const { start, openStream } = useFakePerTest();

/** Ids of a REST list; `token` null reads anonymously. */
async function ids(s: FakeMastodon, path: string, token: string | null = 'peer-test-token'): Promise<string[]> {
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  const response = await fetch(`${s.url}${path}`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ id: string }>).map((item) => item.id);
}

/** Ids (or `n<id>` for notifications) a stream got before a marker published now. */
async function streamedIds(s: FakeMastodon, reader: StreamReader, target: Parameters<FakeMastodon['publish']>[0]): Promise<string[]> {
  return (await eventsBeforeMarker(s, reader, target)).map((event) => (event.event === 'notification' ? `n${JSON.parse(event.data).id}` : JSON.parse(event.data).id));
}

const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });

describe('home and list feeds leave out what the owner blocks and mutes', () => {
  it('on the user stream and in GET /api/v1/timelines/home alike, so a catch-up finds what the stream showed', async () => {
    const s = await start();
    const alice = await openStream(s, 'user');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    s.viewer('1001').mute('1003');
    s.viewer('1002').block('1001'); // bob blocks alice

    const kept = s.postStatus({}, { account: 'alice' });
    s.postStatus({}, { account: 'carol' }); // muted author
    s.postStatus({ mentions: [mention('1003', 'carol')] }, { account: 'bob' }); // blocks alice anyway
    const ownMentioningCarol = s.postStatus({ mentions: [mention('1003', 'carol')] }, { account: 'alice' });
    s.viewer('1002').unblock('1001');
    const bobs = s.postStatus({}, { account: 'bob' });
    s.postStatus({ mentions: [mention('1003', 'carol')] }, { account: 'bob' }); // mentions a muted account
    s.postStatus({ reblog: { id: '9', account: { id: '1003', acct: 'carol@remote.example' }, mentions: [] } as never }, { account: 'bob' }); // boosts carol

    const expected = [kept.id, ownMentioningCarol.id, bobs.id];
    expect(await streamedIds(s, alice, { stream: 'user', accountId: '1001' })).toEqual(expected);
    expect(await ids(s, '/api/v1/timelines/home')).toEqual([...expected].reverse());
    // Bob's feed kept out alice's two statuses posted while he blocked her, for good; the rest is his.
    expect(await ids(s, '/api/v1/timelines/home', 'peer-test-token-bob')).toHaveLength(5);
  });

  it('a later block or domain block clears home and lists (clear_from_home, clear_from_lists)', async () => {
    const s = await start();
    const bobs = s.postStatus({}, { account: 'bob', inListIds: ['42'] });
    const carols = s.postStatus({}, { account: 'carol', inListIds: ['42'] });
    expect(await ids(s, '/api/v1/timelines/list/42')).toEqual([carols.id, bobs.id]);
    s.viewer('1001').block('1002');
    s.viewer('1001').blockDomain('remote.example');
    expect(await ids(s, '/api/v1/timelines/home')).toEqual([]);
    expect(await ids(s, '/api/v1/timelines/list/42')).toEqual([]);
  });
});

describe('public and tag timelines are scoped as PublicFeed and TagFeed do', () => {
  it('leave out authors the reader blocks, mutes or is blocked by, and blocked domains; anonymous readers see all', async () => {
    const s = await start();
    const bobs = s.postStatus({}, { account: 'bob', tags: ['cats'] });
    const carols = s.postStatus({}, { account: 'carol', tags: ['cats'] });
    const alices = s.postStatus({}, { account: 'alice', tags: ['cats'] });
    s.viewer('1001').mute('1002');
    s.viewer('1001').blockDomain('remote.example');
    for (const path of ['/api/v1/timelines/public', '/api/v1/timelines/tag/cats']) {
      expect(await ids(s, path)).toEqual([alices.id]);
      expect(await ids(s, path, null)).toEqual([alices.id, carols.id, bobs.id]);
    }
    s.viewer('1001').update({ mutes: [], domainBlocks: [] });
    s.viewer('1002').block('1001');
    expect(await ids(s, '/api/v1/timelines/public')).toEqual([alices.id, carols.id]);
  });

  it('check the author only (a status mentioning a muted account stays, unlike on the stream), and languages on public only', async () => {
    const s = await start();
    const stream = await openStream(s, 'public');
    await s.waitForConnection((c) => c.stream === 'public' && c.isSubscribed);
    s.viewer('1001').mute('1003');
    const mentioning = s.postStatus({ mentions: [mention('1003', 'carol')] }, { account: 'bob', tags: ['cats'] });
    expect(await streamedIds(s, stream, 'public')).toEqual([]);
    expect(await ids(s, '/api/v1/timelines/public')).toEqual([mentioning.id]);

    s.viewer('1001').update({ languages: ['de'] });
    const german = s.postStatus({ language: 'de' }, { account: 'bob', tags: ['cats'] });
    expect(await ids(s, '/api/v1/timelines/public')).toEqual([german.id]);
    expect(await ids(s, '/api/v1/timelines/tag/cats')).toEqual([german.id, mentioning.id]);
  });
});

describe('notifications from accounts the recipient blocks or mutes', () => {
  it('are dismissed at creation: neither streamed nor stored (a mention of a muted account too)', async () => {
    const s = await start();
    const alice = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    s.viewer('1001').block('1002');
    s.viewer('1001').mute('1004');
    const blocked = s.notify('1001', { type: 'favourite', fromAccount: 'bob' });
    expect(blocked.account.id).toBe('1002'); // what Mastodon would have created
    s.notify('1001', { type: 'mention', fromAccount: 'carol', status: s.postStatus({ mentions: [mention('1001', 'alice'), mention('1004', 'dave')] }, { account: 'carol' }) });
    const kept = s.notify('1001', { type: 'follow', fromAccount: 'carol' });

    expect(await streamedIds(s, alice, { stream: 'user:notification', accountId: '1001' })).toEqual([`n${kept.id}`]);
    expect(await ids(s, '/api/v1/notifications')).toEqual([kept.id]);
  });

  it('already stored are cleared from GET /api/v1/notifications by a later block, mute or domain block', async () => {
    const s = await start();
    const fromBob = s.notify('1001', { type: 'follow', fromAccount: 'bob' });
    const fromCarol = s.notify('1001', { type: 'follow', fromAccount: 'carol' });
    expect(await ids(s, '/api/v1/notifications')).toEqual([fromCarol.id, fromBob.id]);
    s.viewer('1001').mute('1002');
    expect(await ids(s, '/api/v1/notifications')).toEqual([fromCarol.id]);
    s.viewer('1001').blockDomain('remote.example');
    expect(await ids(s, '/api/v1/notifications')).toEqual([]);
  });
});
