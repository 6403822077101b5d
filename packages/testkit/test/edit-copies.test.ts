import { describe, expect, it } from 'vitest';
import { buildAccount, defaultTokens, type FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// Mastodon renders a status from its row wherever it shows, so after an edit the notifications that carry it,
// the boosts of it and the quotes of it all show the edited text (over REST, and in the quoted_update the edit
// sends). The fake holds copies: editStatus replaces them. And its arguments are checked before anything changes.
// alice = 1001, bob = 1002, dave = 1004 (local, given a token here).

const DAVE_TOKEN = 'peer-test-token-dave';
const { start, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), [DAVE_TOKEN]: { accountId: '1004', acct: 'dave', scopes: ['read', 'write'] } },
});
const DAVE = buildAccount('1004', 'dave');

interface Shown {
  id: string;
  type?: string;
  content?: string;
  status?: Shown | null;
  reblog?: Shown | null;
  quote?: { quoted_status?: Shown | null } | null;
}

async function restGet<T>(s: FakeMastodon, path: string, token: string): Promise<T> {
  const response = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('editStatus and the copies of the status the fake holds', () => {
  it("shows the edit in the recipient's earlier mention notification and in a boost's reblog, over REST", async () => {
    const s = await start();
    // In no home: alice's, holding it, would take no boost of it (FeedManager's REBLOG_FALLOFF).
    const original = s.postStatus({ content: '<p>v1 @alice</p>', mentions: [{ id: '1001', username: 'alice', acct: 'alice', url: 'https://mastodon.example/@alice' }] }, { account: 'bob', homeOf: [] });
    const boost = s.postStatus({ reblog: original }, { account: 'alice' });
    s.editStatus(original.id, { content: '<p>v2 @alice</p>' });

    const notifications = await restGet<Shown[]>(s, '/api/v1/notifications', 'peer-test-token');
    // Newest first: the edit's `update` (alice boosted it), then her mention from the post, now showing the edit too.
    expect(notifications.map((n) => `${n.type} ${n.status?.content}`)).toEqual(['update <p>v2 @alice</p>', 'mention <p>v2 @alice</p>']);
    const home = await restGet<Shown[]>(s, '/api/v1/timelines/home', 'peer-test-token');
    expect(home.find((status) => status.id === boost.id)?.reblog?.content).toBe('<p>v2 @alice</p>');
    expect((await restGet<Shown>(s, `/api/v1/statuses/${boost.id}`, 'peer-test-token')).reblog?.content).toBe('<p>v2 @alice</p>');
  });

  it('sends the quoted_update with the quote showing the edited status, and REST shows it too', async () => {
    const s = await start();
    const dave = await openStream(s, 'user/notification', DAVE_TOKEN);
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.accountId === '1004' && c.isSubscribed);
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    const quote = s.postStatus({ content: '<p>look</p>', quote: { state: 'accepted', quoted_status: original } }, { account: DAVE });
    s.editStatus(original.id, { content: '<p>v2</p>' });

    const events = await eventsBeforeMarker(s, dave, { stream: 'user:notification', accountId: '1004' });
    const streamed = events.filter((event) => event.event === 'notification').map((event) => JSON.parse(event.data) as Shown);
    expect(streamed.map((n) => `${n.type} ${n.status?.id} ${n.status?.quote?.quoted_status?.content}`)).toEqual([`quoted_update ${quote.id} <p>v2</p>`]);
    expect((await restGet<Shown>(s, `/api/v1/statuses/${quote.id}`, DAVE_TOKEN)).quote?.quoted_status?.content).toBe('<p>v2</p>');
  });

  it('notifies an account that boosted the status twice (which Mastodon would not store) once', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    s.postStatus({ reblog: original }, { account: 'alice' });
    s.postStatus({ reblog: original }, { account: 'alice' });
    const alice = await openStream(s, 'user/notification', 'peer-test-token');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.accountId === '1001' && c.isSubscribed);
    s.editStatus(original.id, { content: '<p>v2</p>' });

    const events = await eventsBeforeMarker(s, alice, { stream: 'user:notification', accountId: '1001' });
    expect(events.filter((event) => event.event === 'notification').map((event) => (JSON.parse(event.data) as Shown).type)).toEqual(['update']);
  });

  it('refuses mentions that are not an array before changing anything, so later edits still work', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>v1</p>' }, { account: 'bob' });
    const plainJavaScript = { content: '<p>v2</p>', mentions: null } as unknown as Parameters<FakeMastodon['editStatus']>[1];
    expect(() => s.editStatus(original.id, plainJavaScript)).toThrow(/editStatus: mentions must be an array .*got null/);
    expect(() => s.postStatus({ mentions: {} } as unknown as Parameters<FakeMastodon['postStatus']>[0])).toThrow(/postStatus: mentions must be an array .*got object/);
    expect((await restGet<Shown & { edited_at: string | null }>(s, `/api/v1/statuses/${original.id}`, 'peer-test-token')).edited_at).toBeNull();
    expect(s.editStatus(original.id, { content: '<p>v3</p>' }).content).toBe('<p>v3</p>');
  });
});
