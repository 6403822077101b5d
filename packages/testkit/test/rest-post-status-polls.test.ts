import { describe, expect, it } from 'vitest';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A valid `poll` given to POST /api/v1/statuses is saved with the status (PostStatusService's
// poll_attributes, app/services/post_status_service.rb:234-238) and rendered by REST::PollSerializer.

const { start, current, openStream } = useFakePerTest();

async function post(body: string, contentType: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${current().url}/api/v1/statuses`, { method: 'POST', headers: { 'Content-Type': contentType, Authorization: 'Bearer peer-test-token' }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/v1/statuses with a poll', () => {
  it('attaches the poll, rendered as PollSerializer renders it, and streams it with the status', async () => {
    const s = await start();
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnection();
    const before = Date.now();
    const created = await post(JSON.stringify({ status: 'tea or coffee?', poll: { options: [' tea ', 'coffee', ''], expires_in: 3600 } }), 'application/json');
    expect(created.status).toBe(200);
    const poll = created.body['poll'] as Record<string, unknown>;
    expect(Object.keys(poll)).toEqual(['id', 'expires_at', 'expired', 'multiple', 'votes_count', 'voters_count', 'options', 'emojis']);
    expect(poll).toMatchObject({
      expired: false,
      multiple: false,
      votes_count: 0,
      voters_count: 0,
      options: [
        { title: 'tea', votes_count: 0 },
        { title: 'coffee', votes_count: 0 },
      ],
      emojis: [],
    });
    const expiresAt = Date.parse(String(poll['expires_at']));
    expect(expiresAt - before).toBeGreaterThanOrEqual(3_599_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(3_600_000);
    const [update] = await eventsBeforeMarker(s, reader, 'public');
    expect(JSON.parse(update?.data ?? '{}')).toMatchObject({ id: created.body['id'], poll: { id: poll['id'], options: poll['options'] } });
    const fetched = (await (await fetch(`${s.url}/api/v1/statuses/${String(created.body['id'])}`)).json()) as Record<string, unknown>;
    expect(fetched['poll']).toEqual(poll);
  });

  it('casts a form’s multiple and hide_totals, hiding each option’s count, and gives each poll its own id', async () => {
    await start();
    const form = new URLSearchParams([
      ['status', 'pick'],
      ['poll[options][]', 'a'],
      ['poll[options][]', 'b'],
      ['poll[expires_in]', '300'],
      ['poll[multiple]', 'true'],
      ['poll[hide_totals]', '1'],
    ]);
    const hidden = await post(form.toString(), 'application/x-www-form-urlencoded');
    expect(hidden.body['poll']).toMatchObject({ multiple: true, votes_count: 0, options: [{ title: 'a', votes_count: null }, { title: 'b', votes_count: null }] });
    form.set('poll[multiple]', 'false');
    form.set('poll[hide_totals]', 'off');
    const shown = await post(form.toString(), 'application/x-www-form-urlencoded');
    expect(shown.body['poll']).toMatchObject({ multiple: false, options: [{ title: 'a', votes_count: 0 }, { title: 'b', votes_count: 0 }] });
    expect((shown.body['poll'] as { id: string }).id).not.toBe((hidden.body['poll'] as { id: string }).id);
  });

  // The options are a string[] column (ActiveModel's String cast), and poll[expires_in] is read with Ruby's to_i.
  it('casts option values and the duration as Rails does; a null option is the 500 Poll#prepare_options raises', async () => {
    await start();
    const booleans = await post(JSON.stringify({ status: 'truth', poll: { options: [true, false, 3], expires_in: '3_600' } }), 'application/json');
    expect(booleans.status).toBe(200);
    expect((booleans.body['poll'] as { options: Array<{ title: string }> }).options.map((option) => option.title)).toEqual(['t', 'f', '3']);
    const withNull = await post(JSON.stringify({ status: 'null', poll: { options: [null, 'a', 'b'], expires_in: 3600 } }), 'application/json');
    expect(withNull.status).toBe(500);
  });

  it('never gives a poll the id of one a test scripted', async () => {
    const s = await start();
    const scripted = { id: '1', expires_at: null, expired: false, multiple: false, votes_count: 0, voters_count: 0, options: [{ title: 'a', votes_count: 0 }, { title: 'b', votes_count: 0 }], emojis: [] };
    s.postStatus({ poll: scripted }, { account: 'carol' });
    s.postStatus({ poll: { ...scripted, id: '2' } }, { account: 'carol' });
    const posted = await post(JSON.stringify({ status: 'pick', poll: { options: ['a', 'b'], expires_in: 600 } }), 'application/json');
    expect((posted.body['poll'] as { id: string }).id).toBe('3');
  });

  it('posts no poll without one', async () => {
    await start();
    expect((await post(JSON.stringify({ status: 'plain', poll: {} }), 'application/json')).body['poll']).toBeNull();
  });
});
