import { describe, expect, it } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// Mastodon 4.5 gives a local status posted or edited with a blank text and a content warning the warning as its text:
// PostStatusService deletes the warning from its options, so the status has none but stays sensitive
// (app/services/post_status_service.rb:68-69, :217), unless it quotes a status; UpdateStatusService deletes it from the
// edit's options, so the status keeps the warning it had (app/services/update_status_service.rb:114-116).

const { start } = useFakePerTest();

const post = (url: string, fields: object) =>
  fetch(`${url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });

describe('a blank text with a content warning', () => {
  it('posted through REST takes the warning as its text, and keeps no warning', async () => {
    const s = await start();

    const response = await post(s.url, { status: ' ', spoiler_text: 'a <b>cw</b> #tagged' });
    const body = await response.json();

    expect(response.status).toBe(200);
    expect([body.content, body.spoiler_text, body.sensitive]).toEqual(['<p>a &lt;b&gt;cw&lt;/b&gt; #tagged</p>', '', true]);
    expect(body.tags.map((tag: { name: string }) => tag.name)).toEqual(['tagged']);
  });

  it('posted through REST with a blank warning is still refused', async () => {
    const s = await start();

    const response = await post(s.url, { status: '', spoiler_text: '  ' });

    expect([response.status, await response.json()]).toEqual([422, { error: "Validation failed: Text can't be blank" }]);
  });

  it('posted by a local account takes the warning, unless the status quotes one or is remote', async () => {
    const s = await start();
    const quoted = s.postStatus({ content: '<p>quoted</p>' });

    const local = s.postStatus({ content: '', spoiler_text: 'cw' });
    const quoting = s.postStatus({ content: '', spoiler_text: 'cw', quote: { state: 'accepted', quoted_status: quoted } });
    const remote = s.postStatus({ content: '', spoiler_text: 'cw' }, { account: 'carol' });

    expect([local.content, local.spoiler_text, local.sensitive]).toEqual(['<p>cw</p>', '', true]);
    expect([quoting.content, quoting.spoiler_text, quoting.sensitive]).toEqual(['', 'cw', true]);
    expect([remote.content, remote.spoiler_text]).toEqual(['', 'cw']);
  });

  it('given in an edit becomes the text, and the status keeps the warning it had', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hi</p>', spoiler_text: 'old', sensitive: true });

    const edited = s.editStatus(posted.id, { content: '', spoiler_text: 'new' });

    expect([edited.content, edited.spoiler_text, edited.sensitive]).toEqual(['<p>new</p>', 'old', true]);
    const unmarked = s.editStatus(posted.id, { content: '', spoiler_text: 'newer', sensitive: false });
    expect([unmarked.content, unmarked.spoiler_text, unmarked.sensitive]).toEqual(['<p>newer</p>', 'old', false]);
  });

  it('in an edit of a remote status is kept as given', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hallo</p>' }, { account: 'carol' });

    const edited = s.editStatus(posted.id, { content: '', spoiler_text: 'cw' });

    expect([edited.content, edited.spoiler_text]).toEqual(['', 'cw']);
  });
});
