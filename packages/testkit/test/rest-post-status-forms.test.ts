import { describe, expect, it } from 'vitest';
import { railsParams } from '../src/rails-params.js';
import { useFakePerTest } from './fake-per-test.js';

// Rails parses a multipart/form-data body (what `fetch` sends for a FormData) into the same
// params as a URL-encoded one, so a bot posting with FormData gets its status created, not
// "Text can't be blank". Names ending in `[]` are arrays, `a[b]` nests, as Rack builds them.
const { start, current } = useFakePerTest();

async function postForm(form: FormData): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${current().url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token' }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('POST /api/v1/statuses with a multipart/form-data body', () => {
  it('creates the status from the form fields, as from a URL-encoded form', async () => {
    const s = await start();
    const mention = s.notify('1001', { type: 'mention', fromAccount: 'bob' });
    const form = new FormData();
    form.append('status', 'hello from my bot\n\nfish & <chips> ☕');
    form.append('in_reply_to_id', mention.status?.id ?? '');
    form.append('visibility', 'unlisted');
    form.append('spoiler_text', 'food');
    form.append('language', 'de');
    form.append('poll[options][]', 'yes');
    form.append('poll[options][]', 'no');
    form.append('poll[expires_in]', '3600');
    form.append('file', new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x0d, 0x0a])]), 'image.png');
    const created = await postForm(form);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      content: '<p>hello from my bot</p><p>fish &amp; &lt;chips&gt; ☕</p>',
      in_reply_to_id: mention.status?.id,
      in_reply_to_account_id: '1002',
      visibility: 'unlisted',
      spoiler_text: 'food',
      sensitive: true,
      language: 'de',
    });
    const request = s.requests.at(-1);
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.body).toContain('name="status"');
  });

  it('reads media_ids[] as PostStatusService#validate_media! does: with a poll, or unknown (the fake has no uploads), 422', async () => {
    const s = await start();
    const form = new FormData();
    form.append('status', 'look');
    form.append('media_ids[]', '11');
    form.append('media_ids[]', '12');
    form.append('poll[options][]', 'yes');
    form.append('poll[options][]', 'no');
    form.append('poll[expires_in]', '3600');
    // app/services/post_status_service.rb:156: 4.5's "too many" message also answers media given with a poll.
    expect(await postForm(form)).toEqual({ status: 422, body: { error: 'Cannot attach more than 4 files' } });
    form.delete('poll[options][]');
    form.delete('poll[expires_in]');
    // :158-161: no unattached upload of the account has these ids.
    expect(await postForm(form)).toEqual({ status: 422, body: { error: 'Media 11, 12 not found or already attached to another post' } });
    for (const id of ['1', '2', '3']) form.append('media_ids[]', id);
    expect(await postForm(form)).toEqual({ status: 422, body: { error: 'Cannot attach more than 4 files' } });
    // Checked before the text: a blank status with media is refused for the media.
    const blank = new FormData();
    blank.append('media_ids[]', '7');
    expect(await postForm(blank)).toEqual({ status: 422, body: { error: 'Media 7 not found or already attached to another post' } });
    // An empty list is no media.
    const empty = await fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'no media', media_ids: [] }) });
    expect(empty.status).toBe(200);
    const listed = (await (await fetch(`${s.url}/api/v1/timelines/public`)).json()) as Array<{ content: string }>;
    expect(listed.map((status) => status.content)).toEqual(['<p>no media</p>']);
  });

  it('answers 422 for a form without text, or a multipart body that does not parse', async () => {
    const s = await start();
    const form = new FormData();
    form.append('status[]', 'an array is not the text');
    expect(await postForm(form)).toEqual({ status: 422, body: { error: "Validation failed: Text can't be blank" } });
    const broken = await fetch(`${s.url}/api/v1/statuses`, {
      method: 'POST',
      headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'multipart/form-data; boundary=nope' },
      body: 'status=hi',
    });
    expect(broken.status).toBe(422);
    expect(s.requests.at(-1)?.body).toBe('status=hi');
  });

  it('lets a query parameter win over the same body field, as Rails merges them', async () => {
    const s = await start();
    const form = new FormData();
    form.append('status', 'from the body');
    form.append('visibility', 'unlisted');
    form.append('spoiler_text', 'body only');
    const response = await fetch(`${s.url}/api/v1/statuses?visibility=private&language=fr`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token' }, body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: '<p>from the body</p>', visibility: 'private', language: 'fr', spoiler_text: 'body only' });
  });

  it('still refuses a body over 10 MiB before parsing it: the connection is dropped', async () => {
    const s = await start();
    const form = new FormData();
    form.append('status', 'x'.repeat(10 * 1024 * 1024 + 1));
    const outcome = await postForm(form).then(
      (answer) => answer.status,
      (error: Error) => error.name,
    );
    expect(outcome).toBe('TypeError');
    expect(s.requests.at(-1)?.status).toBe(0);
  });
});

describe('railsParams (Rack’s normalize_params)', () => {
  it('makes arrays of `[]` names, hashes of `[key]` names, and lets the last plain value win', () => {
    const pairs = new URLSearchParams('status=a&status=b&media_ids[]=1&media_ids[]=2&poll[options][]=x&poll[options][]=y&poll[expires_in]=60&a[][k]=1&a[][k]=2&a[][j]=3');
    expect(railsParams(pairs)).toEqual({
      status: 'b',
      media_ids: ['1', '2'],
      poll: { options: ['x', 'y'], expires_in: '60' },
      a: [{ k: '1' }, { k: '2', j: '3' }],
    });
  });
});

describe("RecordedRequest.params: what the controller read, however the client encoded it", () => {
  const ALICE = { Authorization: 'Bearer peer-test-token' };

  it('a form, a JSON body and a multipart body give the same params; the query wins where both name a key', async () => {
    const s = await start();
    const bodies: Array<[string, BodyInit, Record<string, string>]> = [
      ['form', new URLSearchParams([['status', 'hi'], ['media_ids[]', '1'], ['media_ids[]', '2']]), {}],
      ['json', JSON.stringify({ status: 'hi', media_ids: ['1', '2'] }), { 'Content-Type': 'application/json' }],
      ['multipart', (() => { const form = new FormData(); form.append('status', 'hi'); form.append('media_ids[]', '1'); form.append('media_ids[]', '2'); return form; })(), {}],
    ];
    for (const [kind, body, headers] of bodies) {
      const response = await fetch(`${current().url}/api/v1/statuses?visibility=unlisted&status=from+the+query`, { method: 'POST', headers: { ...ALICE, ...headers }, body });
      await response.body?.cancel();
      expect({ kind, params: s.requests.at(-1)?.params }).toEqual({ kind, params: { status: 'from the query', visibility: 'unlisted', media_ids: ['1', '2'] } });
    }
  });

  it("a GET's repeated keys are arrays, which `query` (last value wins) loses", async () => {
    const s = await start();
    const response = await fetch(`${current().url}/api/v1/notifications?types[]=mention&types[]=follow&limit=5`, { headers: ALICE });
    await response.body?.cancel();
    const [recorded] = s.requests;
    expect(recorded?.params).toEqual({ types: ['mention', 'follow'], limit: '5' });
    expect(recorded?.query).toEqual({ 'types[]': 'follow', limit: '5' });
  });
});
