import { describe, expect, it } from 'vitest';
import type { FakeMastodon, KeywordFilterOptions } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// REST::StatusSerializer renders `filtered` (the reader's keyword filter results) after the viewer
// fields whenever there is a current user: REST answers to a signed-in reader, and what Rails
// publishes to the reader's own user/list streams and notifications (InlineRenderer with the
// account). Anonymous REST answers have no such key. alice = 1001 (peer-test-token).

const { start, openStream } = useFakePerTest();

const WARN: KeywordFilterOptions = { id: '5', title: 'Peer filter', keywords: ['peerfiltered'] };
const BLUR: KeywordFilterOptions = { id: '6', title: 'Blurred', keywords: ['peerfiltered'], action: 'blur', context: ['home'] };

const expectedResults = [
  { filter: { id: '5', title: 'Peer filter', context: ['home', 'public', 'thread'], expires_at: null, filter_action: 'warn' }, keyword_matches: ['PeerFiltered'], status_matches: null },
  // Rails writes `blur`, which the streaming server's annotation leaves out.
  { filter: { id: '6', title: 'Blurred', context: ['home'], expires_at: null, filter_action: 'blur' }, keyword_matches: ['PeerFiltered'], status_matches: null },
];

async function getJson(s: FakeMastodon, path: string, token: string | null = 'peer-test-token'): Promise<any> {
  const response = await fetch(`${s.url}${path}`, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return response.json();
}

/** The keys between `edited_at` and `content`, where the serializer puts the viewer fields. */
function viewerKeys(status: Record<string, unknown>): string[] {
  const keys = Object.keys(status);
  return keys.slice(keys.indexOf('edited_at') + 1, keys.indexOf('content'));
}

describe('statuses rendered for a signed-in reader carry `filtered`', () => {
  it('in every REST answer, after the viewer fields, with the reader’s results; anonymous answers have none', async () => {
    const s = await start();
    s.viewer('1001').update({ keywordFilters: [WARN, BLUR] });
    const bobs = s.postStatus({ content: '<p>PeerFiltered news</p>' }, { account: 'bob', tags: ['cats'], inListIds: ['42'] });
    const own = s.postStatus({}, { account: 'alice' });

    for (const path of ['/api/v1/timelines/home', '/api/v1/timelines/public', '/api/v1/timelines/tag/cats', '/api/v1/timelines/list/42', `/api/v1/statuses?id[]=${bobs.id}`]) {
      const rendered = (await getJson(s, path)).find((status: { id: string }) => status.id === bobs.id);
      expect(viewerKeys(rendered)).toEqual(['favourited', 'reblogged', 'muted', 'bookmarked', 'filtered']);
      expect(rendered.filtered).toEqual(expectedResults);
    }
    const ownRendered = await getJson(s, `/api/v1/statuses/${own.id}`);
    expect(viewerKeys(ownRendered)).toEqual(['favourited', 'reblogged', 'muted', 'bookmarked', 'pinned', 'filtered']);
    expect(ownRendered.filtered).toEqual([]);
    expect(await getJson(s, '/api/v1/timelines/home', 'peer-test-token-bob')).toContainEqual(expect.objectContaining({ id: bobs.id, filtered: [] }));
    for (const status of await getJson(s, '/api/v1/timelines/public', null)) expect(status).not.toHaveProperty('filtered');
  });

  it('never from a filter without keywords: CustomFilter.cached_filters_for builds keyword filters from keyword rows', async () => {
    const s = await start();
    s.viewer('1001').update({ keywordFilters: [{ id: '7', title: 'No keywords yet', keywords: [] }, WARN] });
    const plain = s.postStatus({ content: '<p>nothing to see</p>' }, { account: 'bob' });
    const matching = s.postStatus({ content: '<p>PeerFiltered news</p>' }, { account: 'bob' });
    const timeline: Array<{ id: string; filtered: unknown }> = await getJson(s, '/api/v1/timelines/public');
    expect(timeline.find((status) => status.id === plain.id)?.filtered).toEqual([]);
    expect(timeline.find((status) => status.id === matching.id)?.filtered).toEqual([expectedResults[0]]);
  });

  it('on the reader’s user stream and in its notifications; a boost is matched on the boosted text', async () => {
    const s = await start();
    s.viewer('1001').update({ keywordFilters: [WARN, BLUR] });
    const user = await openStream(s, 'user');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    const original = s.postStatus({ content: '<p>PeerFiltered news</p>' }, { account: 'bob', homeOf: [] });
    s.postStatus({ content: '<p>look</p>', reblog: original }, { account: 'bob', homeOf: ['1001'] });
    s.notify('1001', { type: 'mention', fromAccount: 'bob', status: original });

    const [update, notification] = await eventsBeforeMarker(s, user, { stream: 'user', accountId: '1001' });
    expect(JSON.parse(update?.data ?? '{}').filtered).toEqual(expectedResults);
    expect(JSON.parse(notification?.data ?? '{}').status.filtered).toEqual(expectedResults);
  });
});
