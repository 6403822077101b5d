import { describe, expect, it } from 'vitest';
import { defaultTokens, type StatusJson } from '@tootstream/testkit';
import { eventsBeforeMarker, useFakePerTest } from './fake-per-test.js';

// A bot edits what it posted with PUT /api/v1/statuses/:id (Api::V1::StatusesController#update,
// app/controllers/api/v1/statuses_controller.rb:105-123, UpdateStatusService): every parameter
// is handed over given or not, so a left-out one is an empty one.

const { start, current, openStream } = useFakePerTest({
  tokens: { ...defaultTokens(), 'read-only': { accountId: '1001', scopes: ['read'] } },
});

async function send(method: string, id: string, body: string, contentType: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${current().url}/api/v1/statuses/${id}`, { method, headers: { 'Content-Type': contentType, Authorization: `Bearer ${token}` }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const put = (id: string, fields: object, token = 'peer-test-token') => send('PUT', id, JSON.stringify(fields), 'application/json', token);

const POLL = {
  id: '9',
  expires_at: '2099-01-01T00:00:00.000Z',
  expired: false,
  multiple: false,
  votes_count: 3,
  voters_count: 3,
  options: [
    { title: 'yes', votes_count: 2 },
    { title: 'no', votes_count: 1 },
  ],
  emojis: [],
};

describe('PUT /api/v1/statuses/:id', () => {
  it('edits the caller’s status, answers it and streams status.update as editStatus does', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>tpyo</p>', language: 'de' }, { account: 'alice' });
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnection();
    const edited = await put(status.id, { status: 'typo & fixed', spoiler_text: ' cw ' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: status.id, content: '<p>typo &amp; fixed</p>', spoiler_text: 'cw', sensitive: true, language: 'de', favourited: false });
    expect(typeof edited.body['edited_at']).toBe('string');
    const events = await eventsBeforeMarker(s, reader, 'public');
    expect(events.map((event) => event.event)).toEqual(['status.update']);
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({ id: status.id, content: '<p>typo &amp; fixed</p>', edited_at: edited.body['edited_at'] });
    const fetched = (await (await fetch(`${s.url}/api/v1/statuses/${status.id}`)).json()) as StatusJson;
    expect(fetched.content).toBe('<p>typo &amp; fixed</p>');
  });

  it('treats left-out parameters as empty: no spoiler_text clears the warning, no language keeps the status’s', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>a</p>', spoiler_text: 'cw', language: 'fr' }, { account: 'alice' });
    const edited = await put(status.id, { status: 'b' });
    expect(edited.body).toMatchObject({ content: '<p>b</p>', spoiler_text: '', sensitive: false, language: 'fr' });
    expect((await put(status.id, { status: 'b', language: 'pt-BR' })).body['language']).toBe('pt');
    expect((await put(status.id, { status: 'b', language: 'xx' })).body['language']).toBe('pt');
  });

  it('takes a blank text from the warning, which the status keeps as it was; a form’s sensitive=false stays false (PATCH too)', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>a</p>', spoiler_text: 'old' }, { account: 'alice' });
    const fromWarning = await put(status.id, { status: ' ', spoiler_text: 'new warning' });
    expect(fromWarning.body).toMatchObject({ content: '<p>new warning</p>', spoiler_text: 'old', sensitive: false });
    const form = new URLSearchParams({ status: 'c', spoiler_text: 'cw', sensitive: 'false' });
    const patched = await send('PATCH', status.id, form.toString(), 'application/x-www-form-urlencoded', 'peer-test-token');
    expect(patched.body).toMatchObject({ content: '<p>c</p>', spoiler_text: 'cw', sensitive: false });
    expect((await put(status.id, { status: 'c', spoiler_text: 'cw', sensitive: false })).body['sensitive']).toBe(true);
  });

  it('edits nothing when nothing changes: no edited_at, nothing streamed', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>same</p>', language: 'en' }, { account: 'alice' });
    const reader = await openStream(s, 'public', 'peer-test-token-bob');
    await s.waitForConnection();
    const answer = await put(status.id, { status: 'same' });
    expect(answer).toMatchObject({ status: 200, body: { content: '<p>same</p>', edited_at: null } });
    expect(await eventsBeforeMarker(s, reader, 'public')).toEqual([]);
  });

  it('answers 404 for another’s status, 403 without the scope, 422 for a blank text or a poll 4.5 refuses', async () => {
    const s = await start();
    const bobs = s.postStatus({ content: '<p>bob</p>' }, { account: 'bob' });
    expect(await put(bobs.id, { status: 'mine now' })).toEqual({ status: 404, body: { error: 'Record not found' } });
    expect((await (await fetch(`${s.url}/api/v1/statuses/${bobs.id}`)).json()) as StatusJson).toMatchObject({ content: '<p>bob</p>', edited_at: null });
    const own = s.postStatus({}, { account: 'alice' });
    expect(await put(own.id, { status: 'x' }, 'read-only')).toEqual({ status: 403, body: { error: 'This action is outside the authorized scopes' } });
    expect(await put(own.id, { status: ' ', spoiler_text: '' })).toEqual({ status: 422, body: { error: "Validation failed: Text can't be blank" } });
    expect(await put(own.id, { status: 'x', poll: { options: ['one'], expires_in: 60 } })).toEqual({
      status: 422,
      body: { error: 'Validation failed: Choices must have more than one item, Deadline is too soon' },
    });
  });

  it('keeps the media ids given, in their order, drops those left out, and refuses unknown ones or media with a poll', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>pics</p>' }, { account: 'alice', media: 3 });
    const [first, second] = status.media_attachments.map((attachment) => String(attachment['id']));
    const kept = await put(status.id, { status: 'pics', media_ids: [second, first] });
    expect((kept.body['media_attachments'] as Array<{ id: string }>).map((attachment) => attachment.id)).toEqual([second, first]);
    expect(await put(status.id, { status: 'pics', media_ids: ['5'] })).toEqual({ status: 422, body: { error: 'Media 5 not found or already attached to another post' } });
    // A JSON null is a permitted scalar, which `map(&:to_i)` makes 0: no media of the status, not no media at all.
    expect(await put(status.id, { status: 'pics', media_ids: [null] })).toEqual({ status: 422, body: { error: 'Media 0 not found or already attached to another post' } });
    expect(await put(status.id, { status: 'pics', media_ids: [first], poll: { options: ['a', 'b'], expires_in: 600 } })).toEqual({ status: 422, body: { error: 'Cannot attach more than 4 files' } });
    expect((await put(status.id, { status: 'pics' })).body['media_attachments']).toEqual([]);
    // Scripted from plain JavaScript, an attachment may be null: it is no media the status can keep, not a 500.
    const odd = s.postStatus({ content: '<p>odd</p>', media_attachments: [null, ...status.media_attachments] as never }, { account: 'alice' });
    expect((await put(odd.id, { status: 'odd', media_ids: [first] })).status).toBe(200);
  });

  it('replaces the poll, resetting the votes when the options or multiple change, and removes it when none is given', async () => {
    const s = await start();
    const status = s.postStatus({ content: '<p>vote</p>', poll: POLL }, { account: 'alice' });
    const same = await put(status.id, { status: 'vote', poll: { options: ['yes', 'no'], multiple: false, expires_in: 3600 } });
    expect(same.body['poll']).toMatchObject({ id: '9', multiple: false, votes_count: 3, voters_count: 3, options: [{ title: 'yes', votes_count: 2 }, { title: 'no', votes_count: 1 }] });
    const expiresAt = Date.parse(String((same.body['poll'] as { expires_at: string }).expires_at));
    expect(Math.abs(expiresAt - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    // A left-out multiple casts to nil, which is not the stored false: 4.5 resets the votes.
    const noMultiple = await put(status.id, { status: 'vote', poll: { options: ['yes', 'no'], expires_in: 3600 } });
    expect(noMultiple.body['poll']).toMatchObject({ id: '9', votes_count: 0, voters_count: 0, options: [{ title: 'yes', votes_count: 0 }, { title: 'no', votes_count: 0 }] });
    const hidden = await put(status.id, { status: 'vote', poll: { options: ['yes', 'maybe'], multiple: 'true', hide_totals: true, expires_in: 600 } });
    expect(hidden.body['poll']).toMatchObject({ id: '9', multiple: true, votes_count: 0, options: [{ title: 'yes', votes_count: null }, { title: 'maybe', votes_count: null }] });
    expect((await put(status.id, { status: 'vote' })).body['poll']).toBeNull();
  });
});
