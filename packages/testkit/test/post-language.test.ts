import { describe, expect, it } from 'vitest';
import { useFakePerTest } from './fake-per-test.js';

// Mastodon 4.5's PostStatusService stores a local status's language as valid_locale_cascade(given, the author's
// posting language, I18n.default_locale) (app/services/post_status_service.rb:219): none given, or a blank one, is
// the default locale, en. A remote status keeps what its server sent, null included
// (app/lib/activitypub/parser/status_parser.rb:113-116).

const { start } = useFakePerTest();

describe('a local status posted without a language', () => {
  it('gets en, and REST serves it so', async () => {
    const s = await start();

    const none = s.postStatus({ content: '<p>hi</p>', language: null });
    const blank = s.postStatus({ content: '<p>hi</p>', language: ' ' });
    const given = s.postStatus({ content: '<p>hallo</p>', language: 'de' });

    expect([none.language, blank.language, given.language]).toEqual(['en', 'en', 'de']);
    const served = await fetch(`${s.url}/api/v1/statuses/${none.id}`).then((response) => response.json());
    expect(served.language).toBe('en');
  });

  it('gets en through POST /api/v1/statuses when the language is blank', async () => {
    const s = await start();
    const post = (fields: object) =>
      fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(fields) }).then((response) => response.json());

    const [blank, none, given] = [await post({ status: 'hi', language: '  ' }), await post({ status: 'hi', language: null }), await post({ status: 'hallo', language: 'de' })];

    expect([blank.language, none.language, given.language]).toEqual(['en', 'en', 'de']);
  });

  it('leaves a remote status without one', async () => {
    const s = await start();

    const remote = s.postStatus({ content: '<p>hallo</p>', language: null }, { account: 'carol' });
    const scripted = s.postStatus({ content: '<p>hallo</p>', language: null }, { local: false });

    expect([remote.language, scripted.language]).toEqual([null, null]);
  });

  // Only PostStatusService gives a default: a remote status is made from its ActivityPub object (no contentMap, no
  // language), a boost by ReblogService#call (app/services/reblog_service.rb:29), which sets none.
  it('leaves a remote status or a boost given no language at all without one, and REST serves null', async () => {
    const s = await start();
    const original = s.postStatus({ content: '<p>boost me</p>' });

    const remote = s.postStatus({ content: '<p>hallo</p>' }, { account: 'carol' });
    const scripted = s.postStatus({ content: '<p>hallo</p>' }, { local: false });
    const boost = s.postStatus({ reblog: original }, { account: 'bob' });
    const remoteGiven = s.postStatus({ content: '<p>hallo</p>', language: 'de' }, { account: 'carol' });
    const local = s.postStatus({ content: '<p>hi</p>' });

    expect([remote.language, scripted.language, boost.language]).toEqual([null, null, null]);
    expect([remoteGiven.language, local.language, original.language]).toEqual(['de', 'en', 'en']);
    const served = await fetch(`${s.url}/api/v1/statuses/${remote.id}`).then((response) => response.json());
    expect(served.language).toBeNull();
  });
});

// LanguagesHelper#valid_locale_cascade (app/helpers/languages_helper.rb:279-297) keeps a code only when SUPPORTED_LOCALES
// has it, or has the part before its region; anything else falls through to the default locale. Nothing is refused.
describe('a local status posted with a language Mastodon does not support', () => {
  it('gets en, and a code with a region gets its base language, in postStatus and over REST', async () => {
    const s = await start();
    const post = (fields: object) =>
      fetch(`${s.url}/api/v1/statuses`, { method: 'POST', headers: { Authorization: 'Bearer peer-test-token', 'Content-Type': 'application/json' }, body: JSON.stringify(fields) });

    const scripted = ['xx', 'en_US', 'pt-BR', 'zh-TW', 'EN', 'kab', 'klingon'].map((language) => s.postStatus({ content: '<p>hi</p>', language }).language);
    const unknown = await post({ status: 'hi', language: 'xx' });
    const regional = await post({ status: 'hi', language: 'de-AT' });

    expect(scripted).toEqual(['en', 'en', 'pt', 'zh-TW', 'en', 'kab', 'en']);
    expect([unknown.status, regional.status]).toEqual([200, 200]);
    expect([(await unknown.json()).language, (await regional.json()).language]).toEqual(['en', 'de']);
  });

  it('is kept out of the status at an edit, which keeps the status language (UpdateStatusService)', async () => {
    const s = await start();
    const posted = s.postStatus({ content: '<p>hallo</p>', language: 'de' });

    const unknown = s.editStatus(posted.id, { content: '<p>hallo welt</p>', language: 'xx' });
    const regional = s.editStatus(posted.id, { content: '<p>bonjour</p>', language: 'fr_CA' });

    expect([unknown.language, regional.language]).toEqual(['de', 'fr']);
    expect(s.editStatus(posted.id, { language: 'klingon' })).toEqual(regional);
  });
});
