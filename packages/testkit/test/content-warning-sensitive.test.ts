import { describe, expect, it } from 'vitest';
import { useFakePerTest, eventsBeforeMarker } from './fake-per-test.js';

// Mastodon 4.5 marks a local status with a content warning sensitive: PostStatusService when it is posted
// (app/services/post_status_service.rb:68), UpdateStatusService when an edit gives `spoiler_text` or `sensitive`
// (app/services/update_status_service.rb:116, only from what the edit gives). A remote status keeps its server's flag.

const { start, openStream } = useFakePerTest();

describe('a content warning on a local status', () => {
  it('makes the posted status sensitive, but not a blank one, nor a remote status', async () => {
    const s = await start();

    const warned = s.postStatus({ spoiler_text: 'spoilers', sensitive: false });
    const blank = s.postStatus({ spoiler_text: ' \u00a0' });
    const remote = s.postStatus({ spoiler_text: 'spoilers' }, { account: 'carol' });

    expect([warned.sensitive, blank.sensitive, remote.sensitive]).toEqual([true, false, false]);
    const served = await fetch(`${s.url}/api/v1/statuses/${warned.id}`).then((response) => response.json());
    expect(served.sensitive).toBe(true);
  });

  it('makes a status posted through REST sensitive, unless the warning is blank', async () => {
    const s = await start();
    const post = (fields: object) =>
      fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(fields) }).then((response) => response.json());

    const [warned, blank] = [await post({ status: 'hi', spoiler_text: 'cw', sensitive: false }), await post({ status: 'hi', spoiler_text: '  ' })];

    expect([warned.sensitive, blank.sensitive, blank.spoiler_text]).toEqual([true, false, '']);
  });

  // A form's `sensitive=false` is a truthy string to PostStatusService's `||` (app/services/post_status_service.rb:68), so the
  // warning is never read, and the boolean column casts "false" to false: the status is stored unmarked.
  it('stores a form-encoded or multipart sensitive=false with a warning unmarked, as 4.5 casts the string it never ORs', async () => {
    const s = await start();
    const send = (body: string | FormData, type?: string) =>
      fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', ...(type ? { 'Content-Type': type } : {}) }, body }).then((response) => response.json());
    const multipart = new FormData();
    multipart.append('status', 'hi');
    multipart.append('spoiler_text', 'cw');
    multipart.append('sensitive', '0');

    const form = await send('status=hi&spoiler_text=cw&sensitive=false', 'application/x-www-form-urlencoded');
    const fromMultipart = await send(multipart);
    const jsonString = await send(JSON.stringify({ status: 'hi', spoiler_text: 'cw', sensitive: 'off' }), 'application/json');
    const blankText = await send('status=&spoiler_text=cw&sensitive=false', 'application/x-www-form-urlencoded');
    const marked = await send('status=hi&sensitive=true', 'application/x-www-form-urlencoded');
    const jsonFalse = await send(JSON.stringify({ status: 'hi', spoiler_text: 'cw', sensitive: false }), 'application/json');
    const formBlank = await send('status=hi&spoiler_text=cw&sensitive=', 'application/x-www-form-urlencoded');

    expect([form.sensitive, fromMultipart.sensitive, jsonString.sensitive, blankText.sensitive]).toEqual([false, false, false, false]);
    expect([form.spoiler_text, blankText.content, blankText.spoiler_text]).toEqual(['cw', '<p>cw</p>', '']);
    expect([marked.sensitive, jsonFalse.sensitive, formBlank.sensitive]).toEqual([true, true, true]);
    const served = await fetch(`${s.url}/api/v1/statuses/${form.id}`).then((response) => response.json());
    expect(served.sensitive).toBe(false);
  });

  // Status#prepare_contents strips a local status's text and warning with Ruby's strip (app/models/status.rb:149, :429-432).
  it('is stored stripped of ASCII white space, as Ruby strips it, at posting and at an edit', async () => {
    const s = await start();
    const post = (fields: object) =>
      fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(fields) }).then((response) => response.json());

    const posted = s.postStatus({ spoiler_text: ' \tcw\u00a0\n' });
    const blank = s.postStatus({ spoiler_text: ' \u00a0' });
    const overRest = await post({ status: '  hi  ', spoiler_text: '  cw  ' });
    const edited = s.editStatus(posted.id, { spoiler_text: ' other ' });
    const remote = s.postStatus({ spoiler_text: ' cw ' }, { account: 'carol' });

    expect([posted.spoiler_text, blank.spoiler_text, overRest.spoiler_text, edited.spoiler_text, remote.spoiler_text]).toEqual(['cw\u00a0', '\u00a0', 'cw', 'other', ' cw ']);
    expect(overRest.content).toBe('<p>hi</p>');
    expect(s.editStatus(edited.id, { spoiler_text: 'other  ' })).toEqual(edited);
  });

  it('leaves a local boost as ReblogService makes it: no language given, none stored', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>boost me</p>' }, { account: 'carol' });

    const boost = s.postStatus({ reblog: original, language: null, spoiler_text: 'x' });

    expect([boost.language, boost.sensitive]).toEqual([null, false]);
  });

  it('makes an edit that gives one sensitive, and streams that', async () => {
    const s = await start();
    const local = await openStream(s, 'public/local');
    await s.waitForConnection((c) => c.stream === 'public:local' && c.isSubscribed);
    const posted = s.postStatus({ content: '<p>hi</p>' });

    const edited = s.editStatus(posted.id, { spoiler_text: 'cw' });

    expect(edited.sensitive).toBe(true);
    const events = await eventsBeforeMarker(s, local, 'public:local');
    expect(events.map((event) => [event.event, JSON.parse(event.data).sensitive])).toEqual([['update', false], ['status.update', true]]);
  });

  it('counts an edit that only asks to unmark a status whose warning it also gives as no edit', async () => {
    const s = await start();
    const posted = s.postStatus({ spoiler_text: 'cw' });

    const same = s.editStatus(posted.id, { spoiler_text: 'cw', sensitive: false });

    expect(same).toEqual(posted);
    expect(same.edited_at).toBeNull();
  });

  it('sets sensitive from what the edit gives alone, as UpdateStatusService does', async () => {
    const s = await start();
    const posted = s.postStatus({ spoiler_text: 'cw' });

    // Without the warning in the options the service ors `sensitive` with nothing; removing the warning without
    // `sensitive` unmarks the status too.
    const unmarked = s.editStatus(posted.id, { sensitive: false });
    const remarked = s.editStatus(posted.id, { sensitive: true });
    const unwarned = s.editStatus(posted.id, { spoiler_text: '' });

    expect([unmarked.sensitive, unmarked.spoiler_text]).toEqual([false, 'cw']);
    expect(remarked.sensitive).toBe(true);
    expect([unwarned.sensitive, unwarned.spoiler_text]).toEqual([false, '']);
  });

  it('leaves a remote status edit as its server sent it', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hi</p>' }, { account: 'carol' });

    const edited = s.editStatus(posted.id, { spoiler_text: 'cw' });

    expect(edited.sensitive).toBe(false);
  });
});
