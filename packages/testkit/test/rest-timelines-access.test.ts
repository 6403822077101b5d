import { describe, expect, it } from 'vitest';
import { defaultTokens, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { useFakeServer } from './fake-per-test.js';

// Mastodon 4.5's public and tag timelines (protocol.md §12.2): require_user! when the origin the
// request reads is not `public`, then PublicFeed / TagFeed leave out the origins the reader may
// not see (`authenticated` needs a working login, `disabled` the view_feeds permission).

const APP_TOKEN = 'app-token';
const perTest = useFakeServer();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({
    heartbeatIntervalMs: 0,
    webSocketPingIntervalMs: 0,
    tokens: { ...defaultTokens(), [APP_TOKEN]: { accountId: '0', scopes: ['read'], appOnly: true } },
    ...options,
  });
}

async function answer(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${perTest.current().url}${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

async function ids(path: string, token?: string): Promise<string[]> {
  const { status, body } = await answer(path, token);
  expect(status, path).toBe(200);
  return (body as Array<{ id: string }>).map((status) => status.id);
}

/** One local (alice) and one remote (carol) status, both tagged #rust. */
function postBoth(s: FakeMastodon): { local: string; remote: string } {
  const local = s.postStatus({}, { tags: ['rust'] }).id;
  const remote = s.postStatus({}, { account: 'carol', tags: ['rust'] }).id;
  return { local, remote };
}

const NEEDS_USER = { status: 422, body: { error: 'This method requires an authenticated user' } };

describe("timelines_access 'authenticated' on REST", () => {
  it('an anonymous request for an authenticated origin gets 422; the public origin stays open', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { remote: 'authenticated' } } });
    const { local, remote } = postBoth(s);
    expect(await answer('/api/v1/timelines/public')).toEqual(NEEDS_USER);
    expect(await answer('/api/v1/timelines/public?remote=true')).toEqual(NEEDS_USER);
    expect(await ids('/api/v1/timelines/public?local=true')).toEqual([local]);
    expect(await ids('/api/v1/timelines/public', 'peer-test-token')).toEqual([remote, local]);
    // Hashtag feeds have their own setting.
    expect(await ids('/api/v1/timelines/tag/rust')).toEqual([remote, local]);
  });

  it('`local` wins over `remote` when both are asked for, as the controller checks it first', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { remote: 'authenticated' } } });
    const { local } = postBoth(s);
    // The controller lets it through; the feed then drops the origin the anonymous reader may not see.
    expect(await ids('/api/v1/timelines/public?local=true&remote=true')).toEqual([local]);
  });

  it('tag timelines follow hashtagFeeds, with `remote` read as on public timelines', async () => {
    const s = await start({ timelinesAccess: { hashtagFeeds: { local: 'authenticated' } } });
    const { local, remote } = postBoth(s);
    expect(await answer('/api/v1/timelines/tag/rust')).toEqual(NEEDS_USER);
    expect(await answer('/api/v1/timelines/tag/rust?local=true')).toEqual(NEEDS_USER);
    expect(await ids('/api/v1/timelines/tag/rust?remote=true')).toEqual([remote]);
    expect(await ids('/api/v1/timelines/tag/rust', 'peer-test-token')).toEqual([remote, local]);
    expect(await ids('/api/v1/timelines/public')).toEqual([remote, local]);
  });

  it('app-only tokens and unknown tokens count as anonymous; a disabled login gets 403', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { local: 'authenticated' } }, disabledUsers: ['1002'] });
    postBoth(s);
    expect(await answer('/api/v1/timelines/public', APP_TOKEN)).toEqual(NEEDS_USER);
    expect(await answer('/api/v1/timelines/public', 'nope')).toEqual(NEEDS_USER);
    expect(await answer('/api/v1/timelines/public', 'peer-test-token-bob')).toEqual({ status: 403, body: { error: 'Your login is currently disabled' } });
  });

  it('the scope check comes before require_user!', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { local: 'authenticated' } } });
    postBoth(s);
    expect(await answer('/api/v1/timelines/public', 'peer-test-token-writeonly')).toEqual({
      status: 403,
      body: { error: 'This action is outside the authorized scopes' },
    });
  });

  it('setTimelinesAccess switches it at runtime', async () => {
    const s = await start();
    const { local, remote } = postBoth(s);
    expect(await ids('/api/v1/timelines/public')).toEqual([remote, local]);
    s.setTimelinesAccess({ liveFeeds: { local: 'authenticated', remote: 'authenticated' } });
    expect(await answer('/api/v1/timelines/public?local=1')).toEqual(NEEDS_USER);
    s.setTimelinesAccess({ liveFeeds: { local: 'public', remote: 'public' } });
    expect(await ids('/api/v1/timelines/public?local=1')).toEqual([local]);
  });
});

describe("timelines_access 'disabled' on REST", () => {
  it('a disabled origin is left out for ordinary users, and asking for only that origin yields []', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { local: 'disabled' } } });
    const { remote } = postBoth(s);
    expect(await ids('/api/v1/timelines/public', 'peer-test-token')).toEqual([remote]);
    expect(await ids('/api/v1/timelines/public?remote=true', 'peer-test-token')).toEqual([remote]);
    expect(await ids('/api/v1/timelines/public?local=true', 'peer-test-token')).toEqual([]);
    // Without a token the controller already asks for a user: the disabled origin is not public.
    expect(await answer('/api/v1/timelines/public')).toEqual(NEEDS_USER);
    expect(await ids('/api/v1/timelines/public?remote=true')).toEqual([remote]);
  });

  it('viewers with the view_feeds permission still get every origin', async () => {
    const s = await start({
      timelinesAccess: { hashtagFeeds: { local: 'disabled', remote: 'disabled' } },
      viewers: { '1002': { canViewDisabledFeeds: true } },
    });
    const { local, remote } = postBoth(s);
    expect(await ids('/api/v1/timelines/tag/rust', 'peer-test-token')).toEqual([]);
    expect(await ids('/api/v1/timelines/tag/rust?local=true', 'peer-test-token')).toEqual([]);
    expect(await ids('/api/v1/timelines/tag/rust', 'peer-test-token-bob')).toEqual([remote, local]);
    expect(await ids('/api/v1/timelines/tag/rust?local=true', 'peer-test-token-bob')).toEqual([local]);
    s.viewer('1001').update({ canViewDisabledFeeds: true });
    expect(await ids('/api/v1/timelines/tag/rust', 'peer-test-token')).toEqual([remote, local]);
  });

  it('the Link header of a narrowed feed pages the same narrowed feed', async () => {
    const s = await start({ timelinesAccess: { liveFeeds: { remote: 'disabled' } } });
    const locals = [postBoth(s).local, postBoth(s).local, postBoth(s).local];
    const first = await fetch(`${s.url}/api/v1/timelines/public?limit=2`, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(((await first.json()) as Array<{ id: string }>).map((status) => status.id)).toEqual([locals[2], locals[1]]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    const older = await fetch(next, { headers: { Authorization: 'Bearer peer-test-token' } });
    expect(((await older.json()) as Array<{ id: string }>).map((status) => status.id)).toEqual([locals[0]]);
  });
});
