import { describe, expect, it } from 'vitest';
import type { FakeMastodon, KeywordFilterOptions } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// REST::StatusSerializer renders a boost's `reblog` with itself, under the same current user, so
// the nested status gets the viewer fields and `filtered` too. What differs between the two
// levels: `pinned` only where StatusSerializer#pinnable? holds (the reader's own status, not a
// boost, not direct), and `reblogged` on the outer boost, which list answers read from
// StatusRelationshipsPresenter (keyed by the boosted id: never true outside) while single
// renderings ask Account#reblogged?, which looks at the boosted status. alice = 1001.

const { start, openStream } = useFakePerTest();

const WARN: KeywordFilterOptions = { id: '5', title: 'Peer filter', keywords: ['peerfiltered'] };
const expectedFiltered = [
  { filter: { id: '5', title: 'Peer filter', context: ['home', 'public', 'thread'], expires_at: null, filter_action: 'warn' }, keyword_matches: ['PeerFiltered'], status_matches: null },
];

async function getJson(s: FakeMastodon, path: string): Promise<any> {
  const response = await fetch(`${s.url}${path}`, { headers: { Authorization: 'Bearer peer-test-token' } });
  expect(response.status).toBe(200);
  return response.json();
}

/** The keys between `edited_at` and `content`, where the serializer puts the viewer fields. */
function viewerKeys(status: Record<string, unknown>): string[] {
  const keys = Object.keys(status);
  return keys.slice(keys.indexOf('edited_at') + 1, keys.indexOf('content'));
}

const OTHERS_KEYS = ['favourited', 'reblogged', 'muted', 'bookmarked', 'filtered'];

describe('a boost rendered for the reader renders its boosted status for the same reader', () => {
  it('in REST timelines, by id, on the user stream and in notifications: viewer fields and `filtered` inside', async () => {
    const s = await start();
    s.viewer('1001').update({ keywordFilters: [WARN] });
    const user = await openStream(s, 'user');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    const original = s.postStatus({ content: '<p>PeerFiltered news</p>' }, { account: 'carol', homeOf: [] });
    const boost = s.postStatus({ content: '', reblog: original }, { account: 'bob', homeOf: ['1001'] });
    s.notify('1001', { type: 'status', fromAccount: 'bob', status: boost });

    const renderings = [
      (await getJson(s, '/api/v1/timelines/home')).find((status: { id: string }) => status.id === boost.id),
      await getJson(s, `/api/v1/statuses/${boost.id}`),
      (await getJson(s, `/api/v1/statuses?id[]=${boost.id}`))[0],
    ];
    const [update, notification] = await eventsBeforeMarker(s, user, { stream: 'user', accountId: '1001' });
    renderings.push(JSON.parse(update?.data ?? '{}'), JSON.parse(notification?.data ?? '{}').status);
    renderings.push((await getJson(s, '/api/v1/notifications'))[0].status);

    for (const rendered of renderings) {
      expect(rendered.id).toBe(boost.id);
      expect(viewerKeys(rendered)).toEqual(OTHERS_KEYS);
      expect(viewerKeys(rendered.reblog)).toEqual(OTHERS_KEYS);
      expect(rendered.reblog).toMatchObject({ id: original.id, favourited: false, reblogged: false, muted: false, bookmarked: false });
      // ReblogService records no app: the boost's application is null, the boosted status keeps its own.
      expect([rendered.application, rendered.reblog.application]).toEqual([null, original.application]);
      // Both levels are matched on the boosted text (`status.proper`), so both carry the result.
      expect(rendered.filtered).toEqual(expectedFiltered);
      expect(rendered.reblog.filtered).toEqual(expectedFiltered);
    }
  });

  it('the reader’s own boost of its own status: `pinned` only inside, `reblogged` inside, and outside except in list answers', async () => {
    const s = await start();
    const user = await openStream(s, 'user');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    const own = s.postStatus({}, { account: 'alice', homeOf: [] });
    const boost = s.postStatus({ content: '', reblog: own }, { account: 'alice', homeOf: ['1001'] });

    const listed = (await getJson(s, '/api/v1/timelines/home')).find((status: { id: string }) => status.id === boost.id);
    const byIds = (await getJson(s, `/api/v1/statuses?id[]=${boost.id}`))[0];
    const shown = await getJson(s, `/api/v1/statuses/${boost.id}`);
    const [update] = await eventsBeforeMarker(s, user, { stream: 'user', accountId: '1001' });
    const streamed = JSON.parse(update?.data ?? '{}');

    for (const rendered of [listed, byIds, shown, streamed]) {
      // A boost is never pinnable; the boosted status is the reader's own public one.
      expect(viewerKeys(rendered)).toEqual(OTHERS_KEYS);
      expect(viewerKeys(rendered.reblog)).toEqual(['favourited', 'reblogged', 'muted', 'bookmarked', 'pinned', 'filtered']);
      expect(rendered.reblog).toMatchObject({ reblogged: true, pinned: false });
    }
    expect(listed.reblogged).toBe(false);
    expect(byIds.reblogged).toBe(false);
    expect(shown.reblogged).toBe(true);
    expect(streamed.reblogged).toBe(true);
  });

  it('the reader’s own direct status has no `pinned`', async () => {
    const s = await start();
    const direct = s.postStatus({}, { account: 'alice', visibility: 'direct' });
    expect(viewerKeys(await getJson(s, `/api/v1/statuses/${direct.id}`))).toEqual(OTHERS_KEYS);
  });
});
