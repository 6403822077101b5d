import { describe, expect, it } from 'vitest';
import { defaultTokens, type StatusJson } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A bot favourites with POST /api/v1/statuses/:id/favourite and takes it back with /unfavourite
// (Api::V1::Statuses::FavouritesController, FavouriteService, StatusPolicy#favourite?).

const { start, current, openStream } = useFakePerTest({
  tokens: {
    ...defaultTokens(),
    'bob-favourites': { accountId: '1002', scopes: ['write:favourites'] },
    'bob-statuses': { accountId: '1002', scopes: ['write:statuses', 'read'] },
  },
});

async function action(id: string, name: string, token = 'peer-test-token-bob'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${current().url}/api/v1/statuses/${id}/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function getAs(id: string, token: string): Promise<StatusJson> {
  return (await (await fetch(`${current().url}/api/v1/statuses/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as StatusJson;
}

describe('POST /api/v1/statuses/:id/favourite and /unfavourite', () => {
  it('favourites once: notifies the author, counts it, and every later rendering for the account shows it', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>like me</p>' }, { account: 'alice' });
    const alicesNotifications = await openStream(s, 'user/notification', 'peer-test-token');
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    await s.waitForConnectionCount(2);
    const liked = await action(status.id, 'favourite');
    expect(liked).toMatchObject({ status: 200, body: { id: status.id, favourited: true, favourites_count: 1 } });
    const notified = await eventsBeforeMarker(s, alicesNotifications, { stream: 'user:notification', accountId: '1001' });
    expect(notified.map((event) => JSON.parse(event.data) as unknown)).toMatchObject([{ type: 'favourite', account: { id: '1002' }, status: { id: status.id } }]);
    expect(await action(status.id, 'favourite')).toMatchObject({ status: 200, body: { favourited: true, favourites_count: 1 } });
    expect(await eventsBeforeMarker(s, alicesNotifications, { stream: 'user:notification', accountId: '1001' })).toEqual(notified);
    expect(await getAs(status.id, 'peer-test-token-bob')).toMatchObject({ favourited: true, favourites_count: 1 });
    expect(await getAs(status.id, 'peer-test-token')).toMatchObject({ favourited: false, favourites_count: 1 });
    s.editStatus(status.id, { content: '<p>like me more</p>' });
    const events = await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' });
    expect(JSON.parse(events.find((event) => event.event === 'status.update')?.data ?? '{}')).toMatchObject({ favourited: true });
  });

  it('unfavourites: the count goes down and the status is answered favourited false, with or without a favourite', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    await action(status.id, 'favourite');
    expect(await action(status.id, 'unfavourite')).toMatchObject({ status: 200, body: { id: status.id, favourited: false, favourites_count: 0 } });
    expect(await getAs(status.id, 'peer-test-token-bob')).toMatchObject({ favourited: false, favourites_count: 0 });
    expect(await action(status.id, 'unfavourite')).toMatchObject({ status: 200, body: { favourited: false, favourites_count: 0 } });
    expect(await action('999', 'unfavourite')).toEqual({ status: 404, body: { error: 'Record not found' } });
  });

  it('follows StatusPolicy#favourite?: 404 for what the account may not see, 403 when it blocks the author; a direct status it is in is fine', async () => {
    const s = await start();
    const unseen = s.postStatus({}, { account: 'alice', visibility: 'private', homeOf: [] });
    expect(await action(unseen.id, 'favourite')).toEqual({ status: 404, body: { error: 'Record not found' } });
    const mentioning = s.postStatus({ mentions: [{ id: '1002', username: 'bob', acct: 'bob', url: 'https://peer.example/@bob' }] }, { account: 'alice', visibility: 'direct' });
    expect((await action(mentioning.id, 'favourite')).body).toMatchObject({ favourited: true });
    s.viewer('1002').block('1001');
    expect(await action(s.postStatus({}, { account: 'alice' }).id, 'favourite')).toEqual({ status: 403, body: { error: 'This action is not allowed' } });
  });

  it('favourites the boosted status through a boost, and refuses a second one through it with 4.5’s 422', async () => {
    const s = await start();
    const original = s.postStatus({}, { account: 'alice' });
    const boost = s.postStatus({ reblog: original }, { account: 'carol' });
    const liked = await action(boost.id, 'favourite');
    expect(liked.body).toMatchObject({ id: boost.id, favourited: true, reblog: { id: original.id, favourited: true } });
    expect((await getAs(original.id, 'peer-test-token-bob')).favourites_count).toBe(1);
    expect(await action(boost.id, 'favourite')).toEqual({ status: 422, body: { error: 'Validation failed: Status has already been taken' } });
  });

  it('takes write or write:favourites, not write:statuses', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    expect(await action(status.id, 'favourite', 'bob-statuses')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect((await action(status.id, 'favourite', 'bob-favourites')).status).toBe(200);
    expect((await action(status.id, 'unfavourite', 'bob-favourites')).status).toBe(200);
  });
});
