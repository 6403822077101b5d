import { describe, expect, it } from 'vitest';
import { defaultTokens, type StatusJson } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A bot boosts with POST /api/v1/statuses/:id/reblog and takes it back with /unreblog
// (Api::V1::Statuses::ReblogsController, ReblogService, StatusPolicy#reblog?).

const { start, current, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), 'bob-read-only': { accountId: '1002', scopes: ['read'] } },
});

async function action(id: string, name: string, token = 'peer-test-token-bob', fields?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const init: RequestInit = { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' } };
  if (fields !== undefined) init.body = JSON.stringify(fields);
  const response = await fetch(`${current().url}/api/v1/statuses/${id}/${name}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const get = async (id: string): Promise<StatusJson> => (await (await fetch(`${current().url}/api/v1/statuses/${id}`)).json()) as StatusJson;

describe('POST /api/v1/statuses/:id/reblog and /unreblog', () => {
  it('boosts: answers the boost, streams it to the homes, notifies the author and counts it once, however often it is asked', async () => {
    const s = await start();
    // In no home: one that holds it would take no boost of it (the next test).
    const status = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice', homeOf: [] });
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    const alicesNotifications = await openStream(s, 'user/notification', 'peer-test-token');
    await s.waitForConnectionCount(2);
    const boosted = await action(status.id, 'reblog');
    expect(boosted.status).toBe(200);
    expect(boosted.body).toMatchObject({ account: { id: '1002' }, visibility: 'public', reblogged: true, reblog: { id: status.id, reblogs_count: 1, reblogged: true } });
    const boostId = String(boosted.body['id']);
    expect(boostId).not.toBe(status.id);
    const [update] = await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' });
    expect(update?.event).toBe('update');
    expect(JSON.parse(update?.data ?? '{}')).toMatchObject({ id: boostId, reblog: { id: status.id } });
    const notified = await eventsBeforeMarker(s, alicesNotifications, { stream: 'user:notification', accountId: '1001' });
    expect(notified.map((event) => JSON.parse(event.data) as { type: string; account: { id: string }; status: { id: string } })).toMatchObject([
      { type: 'reblog', account: { id: '1002' }, status: { id: status.id } },
    ]);
    expect((await get(status.id)).reblogs_count).toBe(1);
    // ReblogService returns the account's existing boost: nothing new, nothing counted or notified.
    const again = await action(status.id, 'reblog');
    expect(again.body).toMatchObject({ id: boostId, reblog: { reblogs_count: 1 } });
    // A boost's id stands for the status it boosts.
    expect((await action(boostId, 'reblog')).body['id']).toBe(boostId);
    expect(await eventsBeforeMarker(s, alicesNotifications, { stream: 'user:notification', accountId: '1001' })).toEqual(notified);
    expect((await get(status.id)).reblogs_count).toBe(1);
  });

  // FeedManager#add_to_feed with aggregate_reblogs (feed_manager.rb:536-561): a feed whose 40 newest entries hold the
  // boosted status (or a boost of it) takes no boost of it, so nothing is pushed there, at the boost or its removal.
  it('pushes no boost to a home that holds the boosted status (or a boost of it) among its 40 newest entries', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice', homeOf: ['1002'] });
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    await s.waitForConnection();
    const boostId = String((await action(status.id, 'reblog', 'peer-test-token')).body['id']);
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([]);
    const home = (await (await fetch(`${s.url}/api/v1/timelines/home`, { headers: { Authorization: 'Bearer peer-test-token-bob' } })).json()) as StatusJson[];
    expect(home.map((entry) => entry.id)).toEqual([status.id]);
    await action(status.id, 'unreblog', 'peer-test-token');
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([]);
    // Forty newer entries push the status past the falloff: a boost of it is pushed again.
    const newer = Array.from({ length: 40 }, () => s.postStatus({}, { account: 'carol', homeOf: ['1002'] }).id);
    const again = String((await action(status.id, 'reblog', 'peer-test-token')).body['id']);
    const pushed = (await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).map((event) => (JSON.parse(event.data) as { id: string }).id);
    expect(pushed).toEqual([...newer, again]);
    expect(again).not.toBe(boostId);
  });

  it('unboosts: removes the boost (delete to the homes), lowers the count; without a boost it answers the status', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice', homeOf: [] });
    const boostId = String((await action(status.id, 'reblog')).body['id']);
    const bobsHome = await openStream(s, 'user', 'peer-test-token-bob');
    await s.waitForConnection();
    // The boost's own id is not the status's: find_by(reblog_of_id:) finds nothing, and bob may see his boost.
    expect((await action(boostId, 'unreblog')).body).toMatchObject({ id: boostId, reblogged: false });
    const undone = await action(status.id, 'unreblog');
    expect(undone).toMatchObject({ status: 200, body: { id: status.id, reblogged: false, reblogs_count: 0 } });
    expect(await eventsBeforeMarker(s, bobsHome, { stream: 'user', accountId: '1002' })).toEqual([{ event: 'delete', data: boostId }]);
    expect((await get(status.id)).reblogs_count).toBe(0);
    expect((await fetch(`${s.url}/api/v1/statuses/${boostId}`)).status).toBe(404);
    expect(await action(status.id, 'unreblog')).toMatchObject({ status: 200, body: { id: status.id, reblogged: false, reblogs_count: 0 } });
    expect(await action('999', 'unreblog')).toEqual({ status: 404, body: { error: 'Record not found' } });
  });

  // ReblogsController#destroy renders with StatusRelationshipsPresenter.new([@status], …) (reblogs_controller.rb:37): with
  // no boost, [nil] compacts to no statuses, so every map but the given reblogs one is empty and the serializer answers
  // favourited false and filtered []. With a boost, the maps are read for it and the status it boosts.
  it("answers an unboost without a boost unfavourited and unfiltered, as the presenter's empty maps make it", async () => {
    const s = await start();
    s.viewer('1002').update({ keywordFilters: [{ id: '5', title: 'Peer filter', keywords: ['peerfiltered'] }] });
    const status = s.postStatus({ content: '<p>PeerFiltered news</p>' }, { account: 'alice' });
    expect((await action(status.id, 'favourite')).body).toMatchObject({ favourited: true, filtered: [{ keyword_matches: ['PeerFiltered'] }] });
    expect((await action(status.id, 'unreblog')).body).toMatchObject({ id: status.id, reblogged: false, favourited: false, filtered: [] });
    await action(status.id, 'reblog');
    expect((await action(status.id, 'unreblog')).body).toMatchObject({ reblogged: false, favourited: true, filtered: [{ keyword_matches: ['PeerFiltered'] }] });
  });

  // REST::StatusSerializer asks whether the reader holds a boost of the status (Account#reblogged?, or the
  // presenter's reblogs map in a list), whoever made it: over REST or scripted.
  it('shows the booster the status it boosted as reblogged, alone and in its home, until the boost is gone', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice' });
    const asBob = async (path: string) => (await fetch(`${s.url}${path}`, { headers: { Authorization: 'Bearer peer-test-token-bob' } })).json();
    const reblogged = async () => {
      const alone = (await asBob(`/api/v1/statuses/${status.id}`)) as StatusJson;
      const home = (await asBob('/api/v1/timelines/home')) as StatusJson[];
      return [alone.reblogged, home.find((entry) => entry.id === status.id)?.reblogged];
    };
    expect(await reblogged()).toEqual([false, false]);
    await action(status.id, 'reblog');
    expect(await reblogged()).toEqual([true, true]);
    await action(status.id, 'unreblog');
    expect(await reblogged()).toEqual([false, false]);
    const scripted = s.postStatus({ reblog: status }, { account: 'bob' });
    expect(await reblogged()).toEqual([true, true]);
    s.deleteStatus(scripted.id);
    expect(await reblogged()).toEqual([false, false]);
  });

  // Status's after_destroy_commit lowers the boosted status's counter cache, however the boost goes (status.rb:482-488).
  it('counts a boost down when its author deletes it, as an unboost does, so boosting again counts one', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>boost me</p>' }, { account: 'alice' });
    const boostId = String((await action(status.id, 'reblog')).body['id']);
    expect((await get(status.id)).reblogs_count).toBe(1);
    const deleted = await fetch(`${s.url}/api/v1/statuses/${boostId}`, { method: 'DELETE', headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(deleted.status).toBe(200);
    expect((await get(status.id)).reblogs_count).toBe(0);
    expect((await action(status.id, 'reblog')).body).toMatchObject({ reblog: { reblogs_count: 1 } });
    s.deleteStatus(String((await action(status.id, 'reblog')).body['id']));
    expect((await get(status.id)).reblogs_count).toBe(0);
  });

  it('follows StatusPolicy: 404 for what the account may not see, 403 for a private or direct status it may see', async () => {
    const s = await start();
    const followersOnly = s.postStatus({}, { account: 'alice', visibility: 'private', homeOf: ['1002'] });
    const unseen = s.postStatus({}, { account: 'alice', visibility: 'private', homeOf: [] });
    const mentioning = s.postStatus({ mentions: [{ id: '1002', username: 'bob', acct: 'bob', url: 'https://peer.example/@bob' }] }, { account: 'alice', visibility: 'direct' });
    const NOT_ALLOWED = { status: 403, body: { error: 'This action is not allowed' } };
    expect(await action(followersOnly.id, 'reblog')).toEqual(NOT_ALLOWED);
    expect(await action(mentioning.id, 'reblog')).toEqual(NOT_ALLOWED);
    expect(await action(unseen.id, 'reblog')).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect(await action('999', 'reblog')).toEqual({ status: 404, body: { error: 'Record not found' } });
    // The author may boost its own private status; the boost keeps that visibility.
    expect((await action(followersOnly.id, 'reblog', 'peer-test-token', { visibility: 'public' })).body).toMatchObject({ visibility: 'private' });
    s.viewer('1002').block('1001');
    expect(await action(s.postStatus({}, { account: 'alice' }).id, 'reblog')).toEqual(NOT_ALLOWED);
  });

  it('takes the visibility parameter for a public status, refusing direct and unknown ones', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    expect(await action(status.id, 'reblog', 'peer-test-token-bob', { visibility: 'direct' })).toEqual({ status: 422, body: { error: 'Validation failed: Visibility is reserved' } });
    expect(await action(status.id, 'reblog', 'peer-test-token-bob', { visibility: 'secret' })).toEqual({ status: 422, body: { error: 'Validation failed: Visibility is not included in the list' } });
    expect((await action(status.id, 'reblog', 'peer-test-token-bob', { visibility: 'unlisted' })).body).toMatchObject({ visibility: 'unlisted' });
  });

  // ReblogService hands `options[:visibility] || default_privacy` to the enum (reblog_service.rb:23-27), whose cast
  // (Rails' EnumType#cast) reads an integer as the name at that place (visibility.rb:7-10) and a blank text as nil.
  it('reads a JSON number as the enum does (2 is private, 3 direct), a blank text as none, and refuses other values', async () => {
    const s = await start();
    const boostAs = async (visibility: unknown) => action(s.postStatus({}, { account: 'alice' }).id, 'reblog', 'peer-test-token-bob', { visibility });
    expect((await boostAs(2)).body).toMatchObject({ visibility: 'private' });
    expect((await boostAs(1)).body).toMatchObject({ visibility: 'unlisted' });
    expect(await boostAs(3)).toEqual({ status: 422, body: { error: 'Validation failed: Visibility is reserved' } });
    const NOT_IN_LIST = { status: 422, body: { error: 'Validation failed: Visibility is not included in the list' } };
    expect(await boostAs(5)).toEqual(NOT_IN_LIST);
    expect(await boostAs(true)).toEqual(NOT_IN_LIST);
    // `false || default_privacy` is the default; a blank text is nil to the enum, which takes the boosted status's.
    expect((await boostAs(false)).body).toMatchObject({ visibility: 'public' });
    const unlisted = s.postStatus({}, { account: 'alice', visibility: 'unlisted' });
    expect((await action(unlisted.id, 'reblog', 'peer-test-token-bob', { visibility: ' \t' })).body).toMatchObject({ visibility: 'unlisted' });
  });

  it('checks the token (write or write:statuses) and routes POST only', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'alice' });
    expect(await action(status.id, 'reblog', 'bob-read-only')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect(await action(status.id, 'unreblog', 'nobody')).toEqual({ status: 401, body: { error: 'The access token is invalid' } });
    const wrongMethod = await fetch(`${s.url}/api/v1/statuses/${status.id}/reblog`, { headers: { Accept: 'application/json' } });
    expect({ status: wrongMethod.status, body: await wrongMethod.json() }).toEqual({ status: 404, body: { error: 'Not Found' } });
  });
});
