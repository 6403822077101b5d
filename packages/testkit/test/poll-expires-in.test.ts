import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// Mastodon 4.5 stores a poll's `expires_in` as `expires_at`, that many seconds from when it is set
// (app/models/concerns/expireable.rb:19-22), and renders no `expires_in` (app/serializers/rest/poll_serializer.rb:5-6).
// UpdateStatusService sets it again at every edit that gives a poll (app/services/update_status_service.rb:99), so
// the poll expires counting from the edit, and the moved `expires_at` makes the edit a change (:110).

const { start } = useFakePerTest();

afterEach(() => {
  vi.useRealTimers();
});

const OPTIONS = [{ title: 'yes', votes_count: 0 }, { title: 'no', votes_count: 0 }];

describe('a poll given with expires_in', () => {
  it('edited in expires counting from the edit, and repeating it is still an edit', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
    const s = await start();
    const posted = s.postStatus({ content: '<p>vote</p>', poll: { id: '7', expires_at: '2026-12-02T10:00:00.000Z', expired: false, options: OPTIONS } });

    vi.setSystemTime(Date.parse('2026-12-01T12:00:00.000Z'));
    const edited = s.editStatus(posted.id, { poll: { id: '7', options: OPTIONS, expires_in: 3600 } });
    vi.setSystemTime(Date.parse('2026-12-01T12:30:00.000Z'));
    const again = s.editStatus(posted.id, { poll: { id: '7', options: OPTIONS, expires_in: '3600' } });

    expect(edited.poll).toEqual({ id: '7', options: OPTIONS, expires_at: '2026-12-01T13:00:00.000Z', expired: false });
    expect([again.poll?.['expires_at'], again.edited_at]).toEqual(['2026-12-01T13:30:00.000Z', '2026-12-01T12:30:00.000Z']);
    const served = await fetch(`${s.url}/api/v1/statuses/${posted.id}`).then((response) => response.json());
    expect(served.poll).not.toHaveProperty('expires_in');
  });

  it('posted expires that many seconds from the post', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
    const s = await start();

    const posted = s.postStatus({ content: '<p>vote</p>', poll: { options: OPTIONS, expires_in: 300 } });

    expect(posted.poll).toEqual({ options: OPTIONS, expires_at: '2026-12-01T10:05:00.000Z', expired: false });
  });

  it('is kept as given in a remote status, and a poll without expires_in keeps its expires_at', async () => {
    const s = await start();
    const remote = s.postStatus({ poll: { options: OPTIONS, expires_in: 300 } }, { account: 'carol' });
    const local = s.postStatus({ poll: { options: OPTIONS, expires_at: '2026-12-02T10:00:00.000Z', expired: false } });

    const edited = s.editStatus(local.id, { poll: { options: OPTIONS, expires_at: '2026-12-03T10:00:00.000Z', expired: false } });

    expect(remote.poll).toEqual({ options: OPTIONS, expires_in: 300 });
    expect(edited.poll?.['expires_at']).toBe('2026-12-03T10:00:00.000Z');
  });
});
