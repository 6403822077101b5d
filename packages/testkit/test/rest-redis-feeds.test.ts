// Home and list timelines come from a Redis sorted set in Mastodon 4.5 (Feed#from_redis,
// FeedManager): trimmed to its newest 800 entries on every push, and paged by counting entries
// before the statuses are loaded, so an entry whose status was deleted still takes a place in
// the page. Paged here against the fake's real HTTP server.
import type { FakeMastodon } from '@tootstream/testkit';
import { describe, expect, it } from 'vitest';
import { useFakeServer } from './fake-per-test.js';
import { USER, createSourceHarness } from './source-harness.js';
import { eventsBeforeMarker } from './stream-probe.js';

const perTest = useFakeServer();
const ALICE = { Authorization: 'Bearer peer-test-token' };

async function page(server: FakeMastodon, pathAndQuery: string): Promise<{ ids: string[]; link: string | null }> {
  const response = await fetch(`${server.url}${pathAndQuery}`, { headers: ALICE });
  expect(response.status).toBe(200);
  const body = (await response.json()) as Array<{ id: string }>;
  return { ids: body.map((item) => item.id), link: response.headers.get('link') };
}

describe('home and list feeds hold their newest 800 entries (FeedManager::MAX_ITEMS, trimmed on push)', () => {
  it('a walk with min_id below what the feed still holds starts at its oldest surviving entry; the public timeline (SQL) keeps all', async () => {
    const server = await perTest.start({ lists: { '42': '1001' } });
    const posted = Array.from({ length: 810 }, () => server.postStatus({}, { account: 'bob', inListIds: ['42'] }).id);
    for (const route of ['/api/v1/timelines/home', '/api/v1/timelines/list/42']) {
      const first = await page(server, `${route}?min_id=${posted[0]}&limit=3`);
      expect(first.ids).toEqual([posted[12], posted[11], posted[10]]);
      // The ten oldest are gone: nothing below the oldest survivor, and no Link for an empty page.
      expect(await page(server, `${route}?max_id=${posted[10]}&limit=40`)).toEqual({ ids: [], link: null });
      expect((await page(server, `${route}?limit=40`)).ids[0]).toBe(posted[809]);
    }
    expect((await page(server, `/api/v1/timelines/public?min_id=${posted[0]}&limit=1`)).ids).toEqual([posted[1]]);
  });

  it('a delete makes room, and an edit pushes its status again, as FeedInsertWorker does: a trimmed status comes back', async () => {
    const server = await perTest.start();
    const posted = Array.from({ length: 801 }, () => server.postStatus({}, { account: 'bob' }).id);
    expect((await page(server, `/api/v1/timelines/home?max_id=${posted[1]}`)).ids).toEqual([]);
    server.deleteStatus(posted[500] ?? '');
    server.editStatus(posted[0] ?? '', { content: '<p>edited</p>' });
    expect((await page(server, `/api/v1/timelines/home?max_id=${posted[1]}`)).ids).toEqual([posted[0]]);
  });
});

describe('a deleted status left in a home feed (deleteStatus staleInHomeOf) counts against limit, as Feed#from_redis does', () => {
  async function feedWithStaleRun(server: FakeMastodon): Promise<{ before: string; stale: string[]; after: string }> {
    const before = server.postStatus({}, { account: 'bob' }).id;
    const stale = Array.from({ length: 3 }, () => server.postStatus({}, { account: 'bob', tags: ['spam'] }).id);
    for (const id of stale) expect(server.deleteStatus(id, { staleInHomeOf: ['1001'] })).toBe(true);
    const after = server.postStatus({}, { account: 'bob' }).id;
    return { before, stale, after };
  }

  it('with min_id: a page of stale entries is empty and has no Link, though statuses follow above it', async () => {
    const server = await perTest.start();
    const { before, after } = await feedWithStaleRun(server);
    expect(await page(server, `/api/v1/timelines/home?min_id=${before}&limit=3`)).toEqual({ ids: [], link: null });
    const past = await page(server, `/api/v1/timelines/home?min_id=${before}&limit=4`);
    expect(past.ids).toEqual([after]);
    // The Link cursors come from the page's statuses, not from the entries counted.
    const base = `${server.url}/api/v1/timelines/home`;
    expect(past.link).toBe(`<${base}?limit=4&max_id=${after}>; rel="next", <${base}?limit=4&min_id=${after}>; rel="prev"`);
  });

  it('with since_id and max_id: the newest entries are counted first, stale ones included', async () => {
    const server = await perTest.start();
    const { before, after } = await feedWithStaleRun(server);
    expect((await page(server, `/api/v1/timelines/home?since_id=${before}&limit=1`)).ids).toEqual([after]);
    expect((await page(server, `/api/v1/timelines/home?max_id=${after}&limit=3`)).ids).toEqual([]);
    expect((await page(server, `/api/v1/timelines/home?max_id=${after}&limit=4`)).ids).toEqual([before]);
    expect((await page(server, `/api/v1/timelines/home?limit=2`)).ids).toEqual([after]);
  });

  it('only the homes named keep the entry; other homes, and the public timeline, lose it', async () => {
    const server = await perTest.start();
    const before = server.postStatus({}, { account: 'bob', homeOf: ['1001', '1002'] }).id;
    const gone = server.postStatus({}, { account: 'bob', homeOf: ['1001', '1002'] }).id;
    server.deleteStatus(gone, { staleInHomeOf: ['1001'] });
    expect((await page(server, `/api/v1/timelines/home?min_id=${before}&limit=1`)).ids).toEqual([]);
    const bob = await fetch(`${server.url}/api/v1/timelines/home?min_id=${before}&limit=1`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(await bob.json()).toEqual([]);
    expect((await page(server, `/api/v1/timelines/public?since_id=${before}&limit=1`)).ids).toEqual([]);
    // bob's home let go of the entry, so a status after it is on bob's first page.
    const after = server.postStatus({}, { account: 'alice', homeOf: ['1002'] }).id;
    const bobAfter = await fetch(`${server.url}/api/v1/timelines/home?min_id=${before}&limit=1`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
    expect(((await bobAfter.json()) as Array<{ id: string }>).map((status) => status.id)).toEqual([after]);
  });

  it('refuses an unknown option name before it deletes anything', async () => {
    const server = await perTest.start();
    const id = server.postStatus().id;
    expect(() => server.deleteStatus(id, { staleIn: ['1001'] } as never)).toThrow(/staleIn/);
    expect((await page(server, '/api/v1/timelines/home')).ids).toEqual([id]);
  });
});

describe('the stream of a home that keeps the entry', () => {
  const { start, probeOf } = createSourceHarness();

  it('gets no delete (RemoveStatusService unpushes only the homes it takes the status out of)', async () => {
    const s = await start();
    const alice = await probeOf(s, 'sse', USER);
    const spam = s.postStatus({}, { account: 'bob', tags: ['spam'] });
    s.deleteStatus(spam.id, { staleInHomeOf: ['1001'] });
    expect(await eventsBeforeMarker(s, alice, USER.target)).toEqual([{ event: 'update', data: expect.stringContaining(`"id":"${spam.id}"`) }]);
  });

  it('a status its home feed trimmed away gets no delete there either (remove_from_feed finds nothing to unpush)', async () => {
    const s = await start();
    const trimmed = s.postStatus({}, { account: 'bob' });
    for (let index = 0; index < 800; index++) s.postStatus({}, { account: 'bob' });
    const kept = s.postStatus({}, { account: 'bob' });
    const alice = await probeOf(s, 'sse', USER);
    s.deleteStatus(trimmed.id);
    s.deleteStatus(kept.id);
    expect(await eventsBeforeMarker(s, alice, USER.target)).toEqual([{ event: 'delete', data: kept.id }]);
  });
});
