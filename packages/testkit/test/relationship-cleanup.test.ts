import { describe, expect, it } from 'vitest';
import { KNOWN_ACCOUNTS, type FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// What a block, mute or domain block removes once, at the moment it is made, as Mastodon's
// workers do (AfterBlockService, MuteWorker/BlockWorker, UnfollowService's unmerge,
// AfterBlockDomainFromAccountService), and that ending the relationship brings nothing back.
// alice = 1001 (peer-test-token, owns list 42), bob = 1002, carol = 1003 (carol@remote.example).

const { start, openStream } = useFakePerTest();

async function ids(s: FakeMastodon, path: string, token = 'peer-test-token'): Promise<string[]> {
  const response = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ id: string }>).map((item) => item.id);
}

const alreadyRead = new WeakMap<StreamReader, number>();

/** The events a stream got since the last call, up to a marker, as `delete:<id>` or `update:<id>`. */
async function streamed(s: FakeMastodon, reader: StreamReader, target: Parameters<FakeMastodon['publish']>[0]): Promise<string[]> {
  const events = await eventsBeforeMarker(s, reader, target);
  const fresh = events.slice(alreadyRead.get(reader) ?? 0);
  alreadyRead.set(reader, events.length);
  return fresh.map((event) => `${event.event}:${event.event === 'delete' ? event.data : JSON.parse(event.data).id}`);
}

const mentionOf = (name: 'bob' | 'carol') => {
  const { id, username, acct, url } = KNOWN_ACCOUNTS[name];
  return { id, username, acct, url: String(url) };
};

/** alice's home and list 42: a status of each kind clear_from_home looks at, and two that stay. */
function seedFeeds(s: FakeMastodon) {
  const inFeeds = { homeOf: ['1001'], inListIds: ['42'] };
  // What is boosted is in no feed: a feed holding it would take no boost of it (FeedManager's REBLOG_FALLOFF).
  const elsewhere = { homeOf: [], inListIds: [] };
  const bobs = s.postStatus({}, { account: 'bob', ...inFeeds });
  const carols = s.postStatus({}, { account: 'carol', ...inFeeds });
  const boostOfBob = s.postStatus({ reblog: s.postStatus({}, { account: 'bob', ...elsewhere }) }, { account: 'carol', ...inFeeds });
  const boostByBob = s.postStatus({ reblog: s.postStatus({}, { account: 'carol', ...elsewhere }) }, { account: 'bob', ...inFeeds });
  const mentioningBob = s.postStatus({ mentions: [mentionOf('bob')] }, { account: 'carol', ...inFeeds });
  const ownMentioningBob = s.postStatus({ mentions: [mentionOf('bob')] }, { account: 'alice', ...inFeeds });
  const mentioningBobBoosted = s.postStatus({ reblog: s.postStatus({ mentions: [mentionOf('bob')] }, { account: 'carol', ...elsewhere }) }, { account: 'carol', ...inFeeds });
  const own = s.postStatus({}, { account: 'alice', ...inFeeds });
  const removed = [bobs, boostOfBob, boostByBob, mentioningBob, ownMentioningBob, mentioningBobBoosted].map((status) => status.id);
  return { removed, kept: [own.id, carols.id] }; // newest first, as timelines answer
}

const deletes = (statusIds: string[]) => statusIds.map((id) => `delete:${id}`);

async function openFeeds(s: FakeMastodon): Promise<{ user: StreamReader; list: StreamReader }> {
  const user = await openStream(s, 'user');
  const list = await openStream(s, 'list?list=42');
  await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
  await s.waitForConnection((c) => c.stream === 'list' && c.isSubscribed);
  return { user, list };
}

describe.each(['block', 'mute'] as const)('a %s clears the owner’s feeds once (clear_from_home, clear_from_lists)', (action) => {
  it('each removed status gets a delete with its own id on the user and list streams, oldest first, and stays gone after the undo', async () => {
    const s = await start();
    const { removed, kept } = seedFeeds(s);
    const { user, list } = await openFeeds(s);

    s.viewer('1001')[action]('1002');
    expect(await streamed(s, user, { stream: 'user', accountId: '1001' })).toEqual(deletes(removed));
    expect(await streamed(s, list, { stream: 'list', list: '42' })).toEqual(deletes(removed));
    expect(await ids(s, '/api/v1/timelines/home')).toEqual(kept);
    expect(await ids(s, '/api/v1/timelines/list/42')).toEqual(kept);

    s.viewer('1001')[action === 'block' ? 'unblock' : 'unmute']('1002');
    expect(await ids(s, '/api/v1/timelines/home')).toEqual(kept);
    const later = s.postStatus({}, { account: 'bob', homeOf: ['1001'] });
    expect(await streamed(s, user, { stream: 'user', accountId: '1001' })).toEqual([`update:${later.id}`]);
    expect(await ids(s, '/api/v1/timelines/home')).toEqual([later.id, ...kept]);
  });

  it('deletes the target’s notifications and the conversations with it, for good', async () => {
    const s = await start();
    const fromBob = s.notify('1001', { type: 'follow', fromAccount: 'bob' });
    const fromCarol = s.notify('1001', { type: 'follow', fromAccount: 'carol' });
    s.conversation('1001', { id: '7' }); // with bob, the default participant
    s.conversation('1001', { id: '8', accounts: [KNOWN_ACCOUNTS.carol] });
    s.conversation('1001', { id: '9', accounts: [KNOWN_ACCOUNTS.carol, KNOWN_ACCOUNTS.bob] });
    expect(await ids(s, '/api/v1/notifications')).toEqual([fromCarol.id, fromBob.id]);

    s.viewer('1001')[action]('1002');
    s.viewer('1001').update({ blocks: [], mutes: [] });
    expect(await ids(s, '/api/v1/notifications')).toEqual([fromCarol.id]);
    expect(await ids(s, '/api/v1/conversations')).toEqual(['8']);
  });
});

describe('what the other side and domain blocks lose, without a delete (UnmergeWorker)', () => {
  it('when bob blocks alice, his statuses leave her home and lists silently and do not come back', async () => {
    const s = await start();
    const bobs = s.postStatus({}, { account: 'bob', homeOf: ['1001', '1002'], inListIds: ['42'] });
    const alices = s.postStatus({}, { account: 'alice', homeOf: ['1001', '1002'], inListIds: ['42'] });
    const { user, list } = await openFeeds(s);

    s.viewer('1002').block('1001');
    s.viewer('1002').unblock('1001');
    expect(await streamed(s, user, { stream: 'user', accountId: '1001' })).toEqual([]);
    expect(await streamed(s, list, { stream: 'list', list: '42' })).toEqual([]);
    expect(await ids(s, '/api/v1/timelines/home')).toEqual([alices.id]);
    expect(await ids(s, '/api/v1/timelines/list/42')).toEqual([alices.id]);
    expect(await ids(s, '/api/v1/timelines/home', 'peer-test-token-bob')).toEqual([bobs.id]);
  });

  it('a domain block takes the domain’s statuses and notifications out silently; unblocking restores neither', async () => {
    const s = await start();
    s.postStatus({}, { account: 'carol', homeOf: ['1001'], inListIds: ['42'] });
    const bobs = s.postStatus({}, { account: 'bob', homeOf: ['1001'], inListIds: ['42'] });
    const fromBob = s.notify('1001', { type: 'follow', fromAccount: 'bob' });
    s.notify('1001', { type: 'follow', fromAccount: 'carol' });
    const { user } = await openFeeds(s);

    s.viewer('1001').blockDomain('remote.example');
    s.viewer('1001').unblockDomain('remote.example');
    expect(await streamed(s, user, { stream: 'user', accountId: '1001' })).toEqual([]);
    expect(await ids(s, '/api/v1/timelines/home')).toEqual([bobs.id]);
    expect(await ids(s, '/api/v1/timelines/list/42')).toEqual([bobs.id]);
    expect(await ids(s, '/api/v1/notifications')).toEqual([fromBob.id]);
  });
});
