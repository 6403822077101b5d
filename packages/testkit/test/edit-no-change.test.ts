import { describe, expect, it } from 'vitest';
import { useFakePerTest, eventsBeforeMarker } from './fake-per-test.js';

// Mastodon 4.5's UpdateStatusService raises NoChangesSubmittedError when the edit leaves the status as it was
// (app/services/update_status_service.rb:113-125, :170-172) and swallows it (:40-44): the edit is rolled back, no
// edited_at is set and DistributionWorker never runs, so no stream hears of it; PUT /api/v1/statuses/:id renders the
// status unchanged (app/controllers/api/v1/statuses_controller.rb:105-122).

const { start, openStream } = useFakePerTest();
const mention = (id: string, username: string) => ({ id, username, acct: username, url: `https://peer.example/@${username}` });

describe('editStatus with nothing to change', () => {
  it('sets no edited_at, streams nothing and notifies no one', async () => {
    const s = await start();
    const local = await openStream(s, 'public/local');
    const home = await openStream(s, 'user', 'peer-test-token');
    await s.waitForConnection((c) => c.stream === 'user' && c.isSubscribed);
    await s.waitForConnection((c) => c.stream === 'public:local' && c.isSubscribed);
    const posted = s.postStatus({ content: '<p>@alice hi</p>', mentions: [mention('1001', 'alice')] }, { account: 'bob' });

    const same = s.editStatus(posted.id, { ...posted });
    const sameText = s.editStatus(posted.id, { content: posted.content, language: posted['language'] as string, edited_at: '2026-11-30T10:00:00.000Z' });
    const nothing = s.editStatus(posted.id);

    for (const unchanged of [same, sameText, nothing]) expect(unchanged).toEqual(posted);
    const served = await fetch(`${s.url}/api/v1/statuses/${posted.id}`).then((response) => response.json());
    expect(served.edited_at).toBeNull();
    const localEvents = await eventsBeforeMarker(s, local, 'public:local');
    expect(localEvents.map((event) => event.event)).toEqual(['update']);
    const homeEvents = await eventsBeforeMarker(s, home, { stream: 'user', accountId: '1001' });
    expect(homeEvents.map((event) => event.event)).toEqual(['update', 'notification']);
  });

  it('still edits when one field changes, dated by the edited_at it was given', async () => {
    const s = await start();
    const local = await openStream(s, 'public/local');
    await s.waitForConnection((c) => c.stream === 'public:local' && c.isSubscribed);
    const posted = s.postStatus({ content: '<p>hi</p>' });

    const edited = s.editStatus(posted.id, { ...posted, spoiler_text: 'cw', edited_at: '2026-11-30T10:00:00.000Z' });

    expect([edited['spoiler_text'], edited.edited_at]).toEqual(['cw', '2026-11-30T10:00:00.000Z']);
    const events = await eventsBeforeMarker(s, local, 'public:local');
    expect(events.map((event) => event.event)).toEqual(['update', 'status.update']);
  });
});

describe('editStatus given a copy of the status back', () => {
  it('dates the new edit now, not with the edited_at the copy carries from the edit before', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>v1</p>' });
    const first = s.editStatus(posted.id, { content: '<p>v2</p>', edited_at: '2026-11-30T10:00:00.000Z' });

    const second = s.editStatus(posted.id, { ...first, content: '<p>v3</p>' });

    expect(second.content).toBe('<p>v3</p>');
    expect(second.edited_at).not.toBe('2026-11-30T10:00:00.000Z');
    expect(Date.parse(second.edited_at ?? '')).toBeGreaterThan(Date.parse('2026-11-30T10:00:00.000Z'));
  });
});
