import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A favourite or boost raises the status's counter cache (Favourite and Status `counter_cache`),
// which the next rendering shows; FavouriteService and ReblogService stream no status.update.
// alice = 1001 (peer-test-token), bob = 1002, carol = 1003.

const { start, openStream } = useFakePerTest();

async function statusById(s: FakeMastodon, id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${s.url}/api/v1/statuses/${id}`, { headers: { Authorization: 'Bearer peer-test-token' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('notify() counts the favourite or boost on its status', () => {
  it('raises favourites_count and reblogs_count of the stored status, shown over REST and in the notification, and streams no status.update', async () => {
    const s = await start();
    const user = await openStream(s, 'user');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    const mine = s.postStatus({}, { account: 'alice', homeOf: [] });

    expect(s.notify('1001', { type: 'favourite', fromAccount: 'bob' }).status?.['favourites_count']).toBe(1);
    expect(s.notify('1001', { type: 'favourite', fromAccount: 'carol', status: mine }).status?.['favourites_count']).toBe(2);
    expect(s.notify('1001', { type: 'reblog', fromAccount: 'bob' }).status?.['reblogs_count']).toBe(1);

    const rendered = await statusById(s, mine.id);
    expect([rendered['favourites_count'], rendered['reblogs_count']]).toEqual([2, 1]);
    const events = await eventsBeforeMarker(s, user, { stream: 'user', accountId: '1001' });
    expect(events.map((event) => event.event)).toEqual(['notification', 'notification', 'notification']);
  });

  it('a status made up for the notification carries the count; one passed without storing it stays as given', async () => {
    const s = await start();
    expect(s.notify('1001', { type: 'reblog', fromAccount: 'bob' }).status?.['reblogs_count']).toBe(1);
    const given = { ...s.postStatus({}, { account: 'alice' }), id: '42', favourites_count: 7 };
    expect(s.notify('1001', { type: 'favourite', fromAccount: 'bob', status: given }).status?.['favourites_count']).toBe(7);
  });

  it('counts a muted sender’s favourite (only its notification is dismissed), not a blocked one’s', async () => {
    const s = await start();
    s.viewer('1001').update({ mutes: ['1002'], blocks: ['1003'] });
    const mine = s.postStatus({}, { account: 'alice' });
    s.notify('1001', { type: 'favourite', fromAccount: 'bob' });
    s.notify('1001', { type: 'favourite', fromAccount: 'carol' });
    expect((await statusById(s, mine.id))['favourites_count']).toBe(1);
  });
});
