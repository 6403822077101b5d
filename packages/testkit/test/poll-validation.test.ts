import { afterEach, describe, expect, it, vi } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// Mastodon 4.5 validates a local poll when the status is saved: Poll#prepare_options strips the options and drops
// blank ones (app/models/poll.rb:45, :103-105), options and deadline must be present (:40-41), PollOptionsValidator
// wants 2 to 4 options of at most 50 characters, none twice (app/validators/poll_options_validator.rb), and
// PollExpirationValidator a deadline 5 minutes to a month away (app/validators/poll_expiration_validator.rb). Over the
// API a refusal is 422 `Validation failed: …` (app/controllers/concerns/api/error_handling.rb:7-8), the poll's
// attributes named by activerecord.attributes.poll (Choices, Deadline). An edit that changes the options or
// `multiple` resets the votes (app/services/update_status_service.rb:91-99, Poll#reset_votes!, app/models/poll.rb:86-91).

const { start } = useFakePerTest();

afterEach(() => {
  vi.useRealTimers();
});

async function post(url: string, body: object | string): Promise<{ status: number; body: Record<string, unknown> }> {
  const json = typeof body !== 'string';
  const response = await fetch(`${url}/api/v1/statuses`, {
    method: 'POST',
    headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(body) : body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refused = (error: string) => ({ status: 422, body: { error: `Validation failed: ${error}` } });

describe('a poll posted through POST /api/v1/statuses', () => {
  it('is refused with 422 and 4.5 words, for its options and its deadline', async () => {
    const s = await start();
    const long = 'e\u0301'.repeat(51);

    expect(await post(s.url, 'status=hi&poll[options][]=yes')).toEqual(refused("Deadline can't be blank, Choices must have more than one item"));
    expect(await post(s.url, { status: 'hi', poll: { options: ['a', 'b', 'c', 'd', 'e'], expires_in: 60 } })).toEqual(refused("Choices can't contain more than 4 items, Deadline is too soon"));
    expect(await post(s.url, { status: 'hi', poll: { options: [' a', 'a\t', 'b'], expires_in: '2629747' } })).toEqual(refused('Choices contain duplicate items, Deadline is too far into the future'));
    expect(await post(s.url, { status: 'hi', poll: { options: [long, 'b'], expires_in: 300 } })).toEqual(refused('Choices cannot be longer than 50 characters each'));
    expect(await post(s.url, { status: ' ', poll: { options: [' ', ''], expires_in: 'soon' } })).toEqual(
      refused("Text can't be blank, Choices can't be blank, Choices must have more than one item, Deadline is too soon"),
    );
  });

  it('is accepted at the bounds (two options of 50 characters, 5 minutes, a month), and an empty poll is no poll', async () => {
    const s = await start();
    const fifty = '👩‍👩‍👧'.repeat(50);

    const short = await post(s.url, { status: 'hi', poll: { options: [fifty, 'b'], expires_in: 300 } });
    const month = await post(s.url, 'status=hi&poll[options][]=a&poll[options][]=b&poll[options][]=c&poll[options][]=d&poll[expires_in]=2629746');
    const unpermitted = await post(s.url, { status: 'hi', poll: { question: 'no such field' } });

    expect([short.status, month.status, unpermitted.status]).toEqual([200, 200, 200]);
  });
});

const VOTED_POLL = {
  id: '7',
  expires_at: '2026-12-02T10:00:00.000Z',
  expired: false,
  multiple: false,
  votes_count: 4,
  voters_count: 4,
  voted: true,
  own_votes: [0],
  options: [
    { title: 'yes', votes_count: 3 },
    { title: 'no', votes_count: 1 },
  ],
  emojis: [],
};

describe('a poll scripted on a local status', () => {
  it('throws, naming 4.5 refusal, when 4.5 would refuse it; a remote poll is kept as its server sent it', async () => {
    const s = await start();
    const one = { ...VOTED_POLL, options: [{ title: 'yes', votes_count: 3 }] };

    expect(() => s.postStatus({ poll: one })).toThrow(new TypeError('FakeMastodon.postStatus: Mastodon 4.5 refuses this poll (Validation failed: Choices must have more than one item)'));
    expect(() => s.postStatus({ poll: { options: VOTED_POLL.options, expires_in: 60 } })).toThrow(/Deadline is too soon/);
    // Ruby's to_i reads `3_600` as 3600; an option without a title (null from plain JavaScript) is no option 4.5 could store.
    expect(s.postStatus({ poll: { options: VOTED_POLL.options, expires_in: '3_600' } }).poll).toMatchObject({ expired: false });
    expect(() => s.postStatus({ poll: { options: [null, ...VOTED_POLL.options] as never } })).toThrow(/a poll option is null/);
    const posted = s.postStatus({ poll: VOTED_POLL });
    expect(() => s.editStatus(posted.id, { poll: { ...VOTED_POLL, options: ['a', 'b', 'c', 'd', 'e'].map((title) => ({ title, votes_count: 0 })) } })).toThrow(
      /^FakeMastodon\.editStatus: Mastodon 4\.5 refuses this poll \(Validation failed: Choices can't contain more than 4 items\)$/,
    );
    expect(s.postStatus({ poll: one }, { account: 'carol' }).poll).toEqual(one);
    const served = await fetch(`${s.url}/api/v1/statuses/${posted.id}`).then((response) => response.json());
    expect(served.poll.options).toEqual(VOTED_POLL.options);
  });

  it('loses its votes at an edit that changes its options or multiple, not at one that only moves its deadline', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
    const s = await start();
    const posted = s.postStatus({ poll: VOTED_POLL });
    const other = s.postStatus({ poll: VOTED_POLL });
    const third = s.postStatus({ poll: VOTED_POLL });
    const reset = { votes_count: 0, voters_count: 0, voted: false, own_votes: [] };

    const moved = s.editStatus(posted.id, { poll: { ...VOTED_POLL, expires_in: 3600 } });
    const reworded = s.editStatus(other.id, { poll: { ...VOTED_POLL, options: [{ title: 'yes', votes_count: 3 }, { title: 'maybe', votes_count: 1 }] } });
    const multiple = s.editStatus(third.id, { poll: { ...VOTED_POLL, multiple: true } });

    expect(moved.poll).toMatchObject({ votes_count: 4, voters_count: 4, options: VOTED_POLL.options, expires_at: '2026-12-01T11:00:00.000Z' });
    expect(reworded.poll).toMatchObject({ ...reset, options: [{ title: 'yes', votes_count: 0 }, { title: 'maybe', votes_count: 0 }] });
    expect(multiple.poll).toMatchObject({ ...reset, multiple: true, options: [{ title: 'yes', votes_count: 0 }, { title: 'no', votes_count: 0 }] });
    const served = await fetch(`${s.url}/api/v1/statuses/${other.id}`).then((response) => response.json());
    expect(served.poll.votes_count).toBe(0);
  });
});
