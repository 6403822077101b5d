import { describe, expect, it } from 'vitest';
import type { FakeMastodon, StatusNotificationType } from '@tootstream/testkit';
import { useFakePerTest } from './fake-per-test.js';

// Which status a notification carries, and how it is rendered. Mastodon's Notification#target_status
// is the favourited status or the boosted original for `favourite`/`reblog` (the recipient's own),
// and NotifyService renders the notification with InlineRenderer for the recipient, so the status
// has the viewer fields (REST::StatusSerializer's `if: :current_user?` attributes).

const { start, openStream } = useFakePerTest();

async function getJson(s: FakeMastodon, path: string, token = 'peer-test-token'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${s.url}${path}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  return { status: response.status, body: await response.json() };
}

const VIEWER_KEYS = ['favourited', 'reblogged', 'muted', 'bookmarked'];

// Written as an object so that a type added to StatusNotificationType but not here fails to compile.
const STATUS_TYPES = Object.keys({
  mention: true,
  reblog: true,
  favourite: true,
  poll: true,
  status: true,
  update: true,
  quote: true,
  quoted_update: true,
} satisfies Record<StatusNotificationType, true>) as StatusNotificationType[];

describe('a status-bearing notification always has a status (its type says so)', () => {
  it('returned, streamed and served, for each type and the default, also from a sender the recipient mutes', async () => {
    const s = await start();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    const returned = [...STATUS_TYPES.map((type) => s.notify('1001', { type, fromAccount: 'bob' })), s.notify('1001')];
    await reader.untilEvents(returned.length);
    const streamed = reader.events.map((event) => JSON.parse(event.data) as { type: string; status?: { id?: unknown } });
    const served = ((await getJson(s, '/api/v1/notifications')).body as typeof streamed).reverse();
    for (const notifications of [returned, streamed, served]) {
      expect(notifications.map((notification) => notification.type)).toEqual([...STATUS_TYPES, 'mention']);
      for (const notification of notifications) expect(typeof notification.status?.id).toBe('string');
    }
    s.viewer('1001').update({ mutes: ['1003'] }); // dismissed: nothing stored or streamed, but returned whole
    for (const type of STATUS_TYPES) expect(typeof s.notify('1001', { type, fromAccount: 'carol' }).status.id).toBe('string');
    expect((await getJson(s, '/api/v1/notifications')).body).toHaveLength(served.length);
  });
});

describe('the status of a favourite or reblog notification', () => {
  it("is the recipient's newest public or unlisted status, not a boost, a private or a direct one", async () => {
    const s = await start();
    s.postStatus({}, { account: 'alice', visibility: 'public' });
    const unlisted = s.postStatus({}, { account: 'alice', visibility: 'unlisted' });
    s.postStatus({}, { account: 'alice', visibility: 'private' });
    s.postStatus({}, { account: 'alice', visibility: 'direct' });
    s.postStatus({ reblog: { id: '1' } as never }, { account: 'alice' });
    s.postStatus({}, { account: 'bob' });

    for (const type of ['favourite', 'reblog'] as const) {
      const notification = s.notify('1001', { type, fromAccount: 'bob' });
      expect(notification.account.id).toBe('1002');
      expect(notification.status?.id).toBe(unlisted.id);
      expect(notification.status?.account.id).toBe('1001');
    }
  });

  it('is made up by the recipient when it has none, and only the notification carries it', async () => {
    const s = await start();
    s.postStatus({}, { account: 'bob' });
    const notification = s.notify('1001', { type: 'favourite', fromAccount: 'bob' });
    const id = notification.status?.id ?? '';
    expect(notification.status?.account.id).toBe('1001');
    expect((await getJson(s, `/api/v1/statuses/${id}`)).status).toBe(404);
    const publicIds = (await getJson(s, '/api/v1/timelines/public')).body.map((status: { id: string }) => status.id);
    expect(publicIds).not.toContain(id);
  });

  it('of other types stays by the sender (status, poll)', async () => {
    const s = await start();
    s.postStatus({}, { account: 'alice' });
    for (const type of ['status', 'poll'] as const) expect(s.notify('1001', { type, fromAccount: 'bob' }).status?.account.id).toBe('1002');
  });
});

describe('notification statuses are rendered for the recipient', () => {
  it('streams and serves them with the viewer fields after edited_at, and pinned on its own status', async () => {
    const s = await start();
    const reader = await openStream(s, 'user/notification');
    await s.waitForConnection((c) => c.stream === 'user:notification' && c.isSubscribed);
    s.postStatus({}, { account: 'alice' });
    const favourite = s.notify('1001', { type: 'favourite', fromAccount: 'bob' });
    const mention = s.notify('1001', { type: 'mention', fromAccount: 'bob' });
    await reader.untilEvents(2);

    const streamed = reader.events.map((event) => JSON.parse(event.data).status);
    const served = (await getJson(s, '/api/v1/notifications')).body.map((notification: { status: unknown }) => notification.status);
    for (const statuses of [streamed, served.reverse(), [favourite.status, mention.status]]) {
      const [own, bobs] = statuses;
      const ownKeys = Object.keys(own);
      expect(ownKeys.slice(ownKeys.indexOf('edited_at') + 1, ownKeys.indexOf('edited_at') + 6)).toEqual([...VIEWER_KEYS, 'pinned']);
      expect(own).toMatchObject({ favourited: false, reblogged: false, muted: false, bookmarked: false, pinned: false });
      const bobKeys = Object.keys(bobs);
      expect(bobKeys.slice(bobKeys.indexOf('edited_at') + 1, bobKeys.indexOf('edited_at') + 5)).toEqual(VIEWER_KEYS);
      expect(bobs).not.toHaveProperty('pinned');
      expect(bobs.quote_approval.current_user).toBe('automatic');
    }
  });

  it('renders a given status too, keeping the viewer fields it already has', async () => {
    const s = await start();
    const status = s.postStatus({}, { account: 'bob' });
    expect(s.notify('1001', { type: 'status', fromAccount: 'bob', status }).status).toMatchObject({ favourited: false, muted: false });
    const favourited = s.notify('1001', { type: 'update', fromAccount: 'bob', status: { ...status, favourited: true, reblogged: false, muted: false, bookmarked: true } });
    expect(favourited.status).toMatchObject({ favourited: true, bookmarked: true });
  });
});
