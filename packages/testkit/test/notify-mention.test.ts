import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';
import type { StreamReader } from './sse-client.js';

// notify(…, { type: 'mention' }) without a status posts the mentioning status, which Mastodon's
// FanOutOnWriteService sends where any new status goes: public and hashtag streams, the author's
// own home (local authors), followers' homes (the fake's sender has none). The mentioned account
// gets the notification, and the status's delete (RemoveStatusService#remove_from_mentions).

const { start, openStream } = useFakePerTest();


/** The events a stream got before a marker published to it now, so "nothing else" can be checked. */
async function eventsUntilMarker(s: FakeMastodon, reader: StreamReader, target: Parameters<FakeMastodon['publish']>[0]): Promise<string[]> {
  return (await eventsBeforeMarker(s, reader, target)).map((event) => `${event.event}:${event.event === 'notification' ? 'n' : JSON.parse(event.data).id ?? event.data}`);
}

async function timelineIds(s: FakeMastodon, path: string, token?: string): Promise<string[]> {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  const response = await fetch(`${s.url}${path}`, { headers });
  return ((await response.json()) as Array<{ id: string }>).map((item) => item.id);
}

describe('notify with a mention', () => {
  it('posts the mentioning status to public streams and the local author’s home, and only notifies the mentioned account', async () => {
    const s = await start();
    const alice = await openStream(s, 'user', 'peer-test-token');
    const bob = await openStream(s, 'user', 'peer-test-token-bob');
    const local = await openStream(s, 'public/local', 'peer-test-token');
    await s.waitForConnectionCount(3);
    for (const stream of ['user', 'public:local']) await s.waitForConnection((c) => c.stream === stream && c.isSubscribed);
    await s.waitForConnection((c) => c.accountId === '1002');

    const mention = s.notify('1001', { type: 'mention', fromAccount: 'bob' });
    const id = mention.status?.id ?? '';
    expect(mention.status).toMatchObject({ visibility: 'public', account: { id: '1002' }, mentions: [{ id: '1001' }] });
    expect(await eventsUntilMarker(s, alice, { stream: 'user', accountId: '1001' })).toEqual(['notification:n']);
    expect(await eventsUntilMarker(s, bob, { stream: 'user', accountId: '1002' })).toEqual([`update:${id}`]);
    expect(await eventsUntilMarker(s, local, 'public:local')).toEqual([`update:${id}`]);

    // Listed where it was streamed: public timeline, the author's home, and by id.
    expect(await timelineIds(s, '/api/v1/timelines/public')).toEqual([id]);
    expect(await timelineIds(s, '/api/v1/timelines/home', 'peer-test-token-bob')).toEqual([id]);
    expect(await timelineIds(s, '/api/v1/timelines/home', 'peer-test-token')).toEqual([]);
    expect(await timelineIds(s, `/api/v1/statuses?id[]=${id}`)).toEqual([id]);

    // Deleting it reaches the mentioned account's user stream too.
    expect(s.deleteStatus(id)).toBe(true);
    expect(await eventsUntilMarker(s, alice, { stream: 'user', accountId: '1001' })).toEqual(['notification:n', `delete:${id}`]);
  });

  it('a remote sender’s mention reaches public:remote and nobody’s home', async () => {
    const s = await start();
    const remote = await openStream(s, 'public/remote', 'peer-test-token');
    await s.waitForConnection((c) => c.stream === 'public:remote');
    const id = s.notify('1001', { fromAccount: 'carol' }).status?.id ?? '';
    expect(await eventsUntilMarker(s, remote, 'public:remote')).toEqual([`update:${id}`]);
    expect(await timelineIds(s, '/api/v1/timelines/public?remote=true')).toEqual([id]);
    for (const token of ['peer-test-token', 'peer-test-token-bob']) expect(await timelineIds(s, '/api/v1/timelines/home', token)).toEqual([]);
  });

  it('a given status, and the status of other types, are only part of the notification', async () => {
    const s = await start();
    const pub = await openStream(s, 'public', 'peer-test-token');
    await s.waitForConnection((c) => c.stream === 'public');
    const own = s.postStatus({}, { account: 'alice' });
    const other = s.notify('1001', { type: 'status', fromAccount: 'bob' });
    const given = s.notify('1001', { type: 'mention', fromAccount: 'bob', status: own });
    const favourite = s.notify('1001', { type: 'favourite', fromAccount: 'bob' }); // alice's own status, picked
    expect(given.status?.id).toBe(own.id);
    expect(favourite.status?.id).toBe(own.id);
    expect(await eventsUntilMarker(s, pub, 'public')).toEqual([`update:${own.id}`]);
    expect(s.deleteStatus(other.status?.id ?? '')).toBe(false);
    expect(await timelineIds(s, '/api/v1/timelines/public')).toEqual([own.id]);
  });
});
