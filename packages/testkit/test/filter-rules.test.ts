import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions, KeywordFilterOptions } from '@tootstream/testkit';
import { PUBLIC, TRANSPORTS, eventsBeforeMarker, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<StreamProbe>();

function start(options?: FakeMastodonOptions): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC, token?: string): Promise<StreamProbe> {
  const probe = await openProbe(s, transport, stream, token);
  perTest.track(probe);
  return probe;
}

const HASHTAG_TEST: ProbeStream = { ssePath: '/api/v1/streaming/hashtag?tag=test', wsQuery: 'stream=hashtag&tag=test', target: { stream: 'hashtag', tag: 'test' } };
const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
const LIST_42: ProbeStream = { ssePath: '/api/v1/streaming/list?list=42', wsQuery: 'stream=list&list=42', target: { stream: 'list', list: '42' } };

/** The `filtered` value of each delivered update. */
function filteredOf(events: Array<{ data: string | undefined }>): unknown[] {
  return events.map((event) => (JSON.parse(event.data ?? '{}') as { filtered?: unknown }).filtered);
}

for (const transport of TRANSPORTS) {
  describe(`${transport}: relationship and feed rules beyond the capture`, () => {
    it('a muted or blocked account mentioned by someone else hides the status too', async () => {
      const s = await start({ viewers: { '1001': { mutes: ['1002'] } } });
      const probe = await probeOf(s, transport);
      const bob = { id: '1002', username: 'bob', url: 'https://peer.example/@bob', acct: 'bob' };
      s.postStatus({ mentions: [bob] }, { account: 'carol' });
      const kept = s.postStatus({}, { account: 'carol' });
      const events = await eventsBeforeMarker(s, probe, PUBLIC.target);
      expect(events.map((event) => JSON.parse(event.data ?? '{}').id)).toEqual([kept.id]);
    });

    it('personal streams, notifications and deletes are never filtered', async () => {
      const s = await start({ viewers: { '1001': { blocks: ['1002'], languages: ['de'] } } });
      const user = await probeOf(s, transport, USER);
      const list = await probeOf(s, transport, LIST_42);
      // Rails keeps bob's status and notification from alice (postStatus and notify model that,
      // and deleteStatus sends no delete to feeds the status never entered); what it publishes
      // anyway passes the streaming server untouched.
      const status = s.postStatus({}, { account: 'bob', inListIds: ['42'] });
      s.publish({ stream: 'user', accountId: '1001' }, 'update', status);
      s.publish({ stream: 'list', list: '42' }, 'update', status);
      s.publish({ stream: 'user', accountId: '1001' }, 'notification', { id: '9', type: 'mention', account: status.account, status });
      s.publish({ stream: 'user', accountId: '1001' }, 'delete', status.id);
      s.publish({ stream: 'list', list: '42' }, 'delete', status.id);
      expect((await eventsBeforeMarker(s, user, USER.target)).map((e) => e.event)).toEqual(['update', 'notification', 'delete']);
      expect((await eventsBeforeMarker(s, list, LIST_42.target)).map((e) => e.event)).toEqual(['update', 'delete']);
    });

    it('hashtag streams follow the same rules, with their own feed access setting', async () => {
      const s = await start({ viewers: { '1001': { blocks: ['1002'] } }, timelinesAccess: { hashtagFeeds: { remote: 'disabled' } } });
      const tag = await probeOf(s, transport, HASHTAG_TEST);
      const pub = await probeOf(s, transport, PUBLIC);
      s.postStatus({}, { account: 'bob', tags: ['test'] });
      const remote = s.postStatus({}, { account: 'carol', tags: ['test'] });
      const local = s.postStatus({}, { account: 'alice', tags: ['test'] });
      const ids = (events: Array<{ data: string | undefined }>) => events.map((event) => JSON.parse(event.data ?? '{}').id);
      expect(ids(await eventsBeforeMarker(s, tag, HASHTAG_TEST.target))).toEqual([local.id]);
      expect(ids(await eventsBeforeMarker(s, pub, PUBLIC.target))).toEqual([remote.id, local.id]);
    });

    it('the "view feeds" permission bypasses disabled feeds; setTimelinesAccess reaches only streams opened afterwards', async () => {
      const s = await start({ viewers: { '1002': { canViewDisabledFeeds: true } } });
      // 4.5.7 reads the feed settings once per subscription (getFeedAccessSettings in channelNameToIds).
      const before = await probeOf(s, transport);
      s.setTimelinesAccess({ liveFeeds: { local: 'disabled', remote: 'authenticated' } });
      const alice = await probeOf(s, transport);
      const bob = await probeOf(s, transport, PUBLIC, 'peer-test-token-bob');
      s.postStatus();
      s.postStatus({}, { account: 'carol' });
      expect(await eventsBeforeMarker(s, before, PUBLIC.target)).toHaveLength(2);
      expect(await eventsBeforeMarker(s, alice, PUBLIC.target)).toHaveLength(1);
      expect(await eventsBeforeMarker(s, bob, PUBLIC.target)).toHaveLength(2);
      const instance = (await (await fetch(`${s.url}/api/v2/instance`)).json()) as { configuration: { timelines_access: unknown } };
      expect(instance.configuration.timelines_access).toEqual({
        live_feeds: { local: 'disabled', remote: 'authenticated' },
        hashtag_feeds: { local: 'public', remote: 'public' },
        trending_link_feeds: { local: 'public', remote: 'public' },
      });
    });

    it('the permission counts as the token had it at connect', async () => {
      const s = await start({ timelinesAccess: { liveFeeds: { local: 'disabled' } } });
      const early = await probeOf(s, transport);
      s.viewer('1001').update({ canViewDisabledFeeds: true });
      const late = await probeOf(s, transport);
      s.postStatus();
      expect(await eventsBeforeMarker(s, early, PUBLIC.target)).toHaveLength(0);
      expect(await eventsBeforeMarker(s, late, PUBLIC.target)).toHaveLength(1);
    });

    it('blocks and mutes apply to the next status; languages only to streams opened afterwards', async () => {
      const s = await start();
      const early = await probeOf(s, transport);
      s.viewer('1001').update({ languages: ['de'] });
      s.viewer('1001').mute('1003');
      const late = await probeOf(s, transport);
      s.postStatus({ language: 'en' });
      s.postStatus({ language: 'de' }, { account: 'carol' });
      s.viewer('1001').unmute('1003');
      const german = s.postStatus({ language: 'de' }, { account: 'carol' });
      const ids = (events: Array<{ data: string | undefined }>) => events.map((event) => JSON.parse(event.data ?? '{}').id);
      expect(ids(await eventsBeforeMarker(s, early, PUBLIC.target))).toHaveLength(2);
      expect(ids(await eventsBeforeMarker(s, late, PUBLIC.target))).toEqual([german.id]);
      expect(s.viewer('1001').settings.languages).toEqual(['de']);
    });
  });

  describe(`${transport}: keyword filter quirks`, () => {
    const filter = (overrides: Partial<KeywordFilterOptions> = {}): KeywordFilterOptions => ({
      id: '5',
      title: 'Peer filter',
      keywords: ['peerfiltered'],
      ...overrides,
    });

    it('blur has no filter_action key, hide annotates without dropping, only the first match counts', async () => {
      const s = await start({
        viewers: {
          '1001': {
            keywordFilters: [
              filter({ id: '10', title: 'Hide', action: 'hide', keywords: ['second', { keyword: 'pee', wholeWord: false }] }),
              filter({ id: '9', title: 'Blur', action: 'blur', context: ['public'], expiresAt: '2999-01-01T00:00:00Z' }),
            ],
          },
        },
      });
      const probe = await probeOf(s, transport);
      s.postStatus({ content: '<p>PeerFiltered then second</p>' });
      const [filtered] = filteredOf(await eventsBeforeMarker(s, probe, PUBLIC.target));
      expect(JSON.stringify(filtered)).toBe(
        '[{"filter":{"id":"9","title":"Blur","context":["public"],"expires_at":"2999-01-01T00:00:00.000Z"},"keyword_matches":["PeerFiltered"],"status_matches":null},' +
          '{"filter":{"id":"10","title":"Hide","context":["home","public","thread"],"expires_at":null,"filter_action":"hide"},"keyword_matches":["Pee"],"status_matches":null}]',
      );
    });

    it('whole words, spoiler/poll/media text and entities are searched; own filtered keys and expired filters are left alone', async () => {
      const s = await start({
        viewers: { '1001': { keywordFilters: [filter({ keywords: ['peerfiltered', 'r&d'] }), filter({ id: '6', expiresAt: '2000-01-01T00:00:00Z' })] } },
      });
      const probe = await probeOf(s, transport);
      s.postStatus({ content: '<p>peerfilteredness</p>' });
      s.postStatus({ content: '<p>x</p>', spoiler_text: 'about R&amp;D' });
      s.postStatus({ content: '<p>x</p>', poll: { options: [{ title: 'peerfiltered?' }, { title: 'no' }] } });
      s.postStatus({ content: '<p>x</p>', media_attachments: [{ description: 'a peerfiltered image' }] });
      s.publish('public', 'update', { id: '1', content: 'peerfiltered', filtered: ['kept as sent'] });
      const results = filteredOf(await eventsBeforeMarker(s, probe, PUBLIC.target));
      const matches = results.slice(0, 4).map((result) => (result as Array<{ keyword_matches: string[] }>).map((r) => r.keyword_matches[0]));
      expect(matches).toEqual([[], ['R&D'], ['peerfiltered'], ['peerfiltered']]);
      expect(results[4]).toEqual(['kept as sent']);
    });

    it('a filter without keywords matches nothing: the server builds filters from keyword rows only', async () => {
      // Rails accepts a filter with no keywords (statuses may be added later); the streaming
      // server's query starts FROM custom_filter_keywords, so such a filter yields no row.
      const s = await start({ viewers: { '1001': { keywordFilters: [filter({ id: '6', title: 'No keywords yet', keywords: [] }), filter()] } } });
      const probe = await probeOf(s, transport);
      s.postStatus({ content: '<p>nothing to see</p>' });
      s.postStatus({ content: '<p>peerfiltered</p>' });
      const ids = filteredOf(await eventsBeforeMarker(s, probe, PUBLIC.target)).map((results) => (results as Array<{ filter: { id: string } }>).map((r) => r.filter.id));
      expect(ids).toEqual([[], ['5']]);
    });

    it('a connection caches its filters but reloads them after any filter change (filters_changed on the system channel)', async () => {
      const s = await start();
      const early = await probeOf(s, transport);
      s.postStatus({ content: '<p>peerfiltered</p>' });
      s.viewer('1001').addKeywordFilter(filter());
      const late = await probeOf(s, transport);
      s.postStatus({ content: '<p>peerfiltered</p>' });
      s.viewer('1001').removeKeywordFilter('5');
      s.postStatus({ content: '<p>peerfiltered</p>' });
      const lengths = (events: Array<{ data: string | undefined }>) => filteredOf(events).map((f) => (f as unknown[]).length);
      expect(lengths(await eventsBeforeMarker(s, early, PUBLIC.target))).toEqual([0, 1, 0]);
      expect(lengths(await eventsBeforeMarker(s, late, PUBLIC.target))).toEqual([1, 0]);
      expect(s.viewer('1001').settings.keywordFilters).toEqual([]);
    });
  });
}
