import { describe, expect, it } from 'vitest';
import { editedFields } from '../src/status-service-fields.js';
import { useFakePerTest, eventsBeforeMarker } from './fake-per-test.js';

// Mastodon 4.5's UpdateStatusService sets a local status's language at every edit to
// valid_locale_cascade(given, the status's, the author's posting language, I18n.default_locale)
// (app/services/update_status_service.rb:117, app/helpers/languages_helper.rb:279-297): no language given keeps the
// status's. A remote status's edit carries what its server sent (ActivityPub's contentMap), null included.

const { start, openStream } = useFakePerTest();

describe('an edit of a local status without a language', () => {
  it('keeps the language the status has', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hallo</p>', language: 'de' });

    const edited = s.editStatus(posted.id, { content: '<p>hallo welt</p>', language: null });
    const blank = s.editStatus(posted.id, { content: '<p>hallo ihr</p>', language: ' ' });

    expect([edited['language'], blank['language']]).toEqual(['de', 'de']);
    const served = await fetch(`${s.url}/api/v1/statuses/${posted.id}`).then((response) => response.json());
    expect(served.language).toBe('de');
  });

  it('is no edit when the language was all it gave', async () => {
    const s = await start();
    const local = await openStream(s, 'public/local');
    await s.waitForConnection((c) => c.stream === 'public:local' && c.isSubscribed);
    const posted = s.postStatus({ content: '<p>hallo</p>', language: 'de' });

    const same = s.editStatus(posted.id, { language: null });

    expect(same).toEqual(posted);
    const events = await eventsBeforeMarker(s, local, 'public:local');
    expect(events.map((event) => event.event)).toEqual(['update']);
  });

  // A local post gets `en` now (post_status_service.rb:219), so only a status stored without one (from a Mastodon
  // older than language detection) reaches this fallback: the edit's own fields are held to it directly.
  it('gives a status stored without one the default locale, en', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hi</p>' });

    expect(editedFields({ ...posted, language: null }, { content: '<p>hi there</p>' })).toEqual({ content: '<p>hi there</p>', language: 'en' });
    expect(editedFields({ ...posted, language: null }, { language: 'fr' })).toEqual({ language: 'fr' });
  });

  it('leaves a remote status without one', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hallo</p>', language: 'de' }, { account: 'carol' });

    const edited = s.editStatus(posted.id, { content: '<p>hallo welt</p>', language: null });

    expect(edited['language']).toBeNull();
  });
});
