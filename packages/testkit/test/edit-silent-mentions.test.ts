import { describe, expect, it } from 'vitest';
import type { FakeMastodon } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A mention an edit takes out of a status is not destroyed in Mastodon 4.5 but made silent
// (app/services/process_mentions_service.rb:86-90; activitypub/process_status_update_service.rb:248-253 for a remote
// status): `mentions` renders only active ones (status_serializer.rb:165-166), but StatusPolicy#mention_exists?
// reads them all (status_policy.rb:59-66), so the account may still see the private or direct status.
// alice = 1001 (the author), bob = 1002.

const { start, openStream } = useFakePerTest();
const BOB = { id: '1002', username: 'bob', acct: 'bob', url: 'https://peer.example/@bob' };

async function readAsBob(s: FakeMastodon, path: string): Promise<{ status: number; body: { mentions?: unknown[] } & Array<{ id: string }> }> {
  const response = await fetch(`${s.url}${path}`, { headers: { Authorization: 'Bearer peer-test-token-bob' } });
  return { status: response.status, body: (await response.json()) as never };
}

describe('a mention an edit takes out', () => {
  for (const visibility of ['direct', 'private'] as const) {
    it(`leaves the ${visibility} status visible to that account, without listing it in mentions`, async () => {
      const s = await start();
      const posted = s.postStatus({ content: '<p>@bob hi</p>', mentions: [BOB] }, { visibility, homeOf: ['1001'] });

      const edited = s.editStatus(posted.id, { content: '<p>hi</p>', mentions: [] });

      expect(edited.mentions).toEqual([]);
      const shown = await readAsBob(s, `/api/v1/statuses/${posted.id}`);
      expect([shown.status, shown.body.mentions]).toEqual([200, []]);
      const byId = await readAsBob(s, `/api/v1/statuses?id[]=${posted.id}`);
      expect(byId.body.map((status) => status.id)).toEqual([posted.id]);
      const anonymous = await fetch(`${s.url}/api/v1/statuses/${posted.id}`);
      expect(anonymous.status).toBe(404);
    });
  }

  it("leaves the account's direct conversation holding the status, shown as edited", async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>@bob hi</p>', mentions: [BOB] }, { visibility: 'direct', homeOf: ['1001'] });

    s.editStatus(posted.id, { content: '<p>hi</p>', mentions: [] });

    const conversations = (await readAsBob(s, '/api/v1/conversations')).body as unknown as Array<{ last_status: { id: string; content: string; mentions: unknown[] } }>;
    expect(conversations.map((conversation) => conversation.last_status)).toMatchObject([{ id: posted.id, content: '<p>hi</p>', mentions: [] }]);
  });

  it('notifies nothing again when a later edit lists the account again, and sends no delete to a silent mention', async () => {
    const s = await start();
    const bob = await openStream(s, 'user', 'peer-test-token-bob');
    await s.waitForConnection((c) => c.stream === 'user' && c.accountId === '1002' && c.isSubscribed);
    const posted = s.postStatus({ content: '<p>@bob hi</p>', mentions: [BOB] }, { visibility: 'direct', homeOf: ['1001'] });
    s.editStatus(posted.id, { content: '<p>hi</p>', mentions: [] });
    s.editStatus(posted.id, { content: '<p>@bob hi again</p>', mentions: [BOB] });
    s.editStatus(posted.id, { content: '<p>bye</p>', mentions: [] });

    s.deleteStatus(posted.id);

    const events = await eventsBeforeMarker(s, bob, { stream: 'user', accountId: '1002' });
    // The mention notification at posting, then the edit each time bob is mentioned (his notifications channel).
    expect(events.map((event) => event.event)).toEqual(['notification', 'status.update']);
  });

  it('is destroyed, not kept silent, when the author now blocks the account and lists it again', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>@bob hi</p>', mentions: [BOB] }, { visibility: 'direct', homeOf: ['1001'] });
    s.editStatus(posted.id, { content: '<p>hi</p>', mentions: [] });
    expect((await readAsBob(s, `/api/v1/statuses/${posted.id}`)).status).toBe(200);
    s.viewer('1001').block('1002');

    s.editStatus(posted.id, { content: '<p>@bob hi</p>', mentions: [BOB] });

    expect((await readAsBob(s, `/api/v1/statuses/${posted.id}`)).status).toBe(404);
  });
});
