import type { StatusJson } from './entity-json.js';

/** ActiveSupport's `blank?` for a string is BLANK_RE, `/\A[[:space:]]*\z/`: Onigmo's [[:space:]] is Unicode White_Space. */
const RUBY_BLANK = /^\p{White_Space}*$/u;

/** Rails' `present?` for what a status field may hold: a string with something other than white space. */
function isPresent(value: unknown): boolean {
  return typeof value === 'string' && !RUBY_BLANK.test(value);
}

/** Mastodon's I18n.default_locale (config/initializers/i18n.rb:103-111, `en` unless DEFAULT_LOCALE says otherwise), the last step of every language cascade. */
const DEFAULT_LOCALE = 'en';

/**
 * A local status as Mastodon 4.5's PostStatusService creates it from its options:
 * - a content warning makes it sensitive (`@sensitive = (… @options[:sensitive]) ||
 *   @options[:spoiler_text].present?`, app/services/post_status_service.rb:68, stored at :216);
 *   a blank `spoiler_text` (white space only) forces nothing;
 * - its language is `valid_locale_cascade(given, the author's posting language,
 *   I18n.default_locale)` (:219): a null, blank or absent one is `en` (the fake's accounts have
 *   no posting language; `en` is Mastodon's default locale). A code given is taken as it is.
 * A remote status keeps what its server sent (ActivityPub's `sensitive` and language, null
 * included: app/lib/activitypub/parser/status_parser.rb:97-98, :113-116), so this is for local
 * authors only.
 *
 * @example
 * postedFields({ ...status, spoiler_text: 'cw', sensitive: false }) // sensitive: true
 * postedFields({ ...status, language: null }) // language: 'en'
 */
export function postedFields(status: StatusJson): StatusJson {
  const sensitive = status.sensitive || isPresent(status.spoiler_text);
  const language = isPresent(status.language) ? status.language : DEFAULT_LOCALE;
  return sensitive === status.sensitive && language === status.language ? status : { ...status, sensitive, language };
}

/** The fields of an edit that {@link editedFields} reads. */
export interface EditedFieldsGiven {
  readonly sensitive?: boolean | undefined;
  readonly spoiler_text?: string | undefined;
  readonly language?: string | null | undefined;
}

/**
 * The fields an edit of a local status gives, as Mastodon 4.5's UpdateStatusService sets them
 * (app/services/update_status_service.rb:115-117), before its check for a change (:121), so that
 * what it keeps counts as no change:
 * - `sensitive`, when the edit gives `sensitive` or `spoiler_text`, becomes the given `sensitive`
 *   or'ed with whether the given `spoiler_text` is present (:116). Only a content warning given
 *   in this edit forces it: `{ sensitive: false }` alone unmarks a status whose warning stays, as
 *   the service does with those options (the REST controller always passes both keys).
 * - `language` is `valid_locale_cascade(given, the status's, the author's posting language,
 *   I18n.default_locale)` (:117, app/helpers/languages_helper.rb:279-297), set at every edit: a
 *   null, blank or absent one keeps the status's, and a status without one gets `en` (the fake's
 *   accounts have no posting language; `en` is Mastodon's default locale). Whether a code is one
 *   of SUPPORTED_LOCALES (an unknown one falls through too, and `en_US` becomes `en`) is not
 *   modelled: a code given is taken as it is.
 *
 * @example
 * editedFields(stored.status, { spoiler_text: 'cw' }) // { spoiler_text: 'cw', sensitive: true }
 * editedFields(stored.status, { language: null }) // {}, when the status has a language
 */
export function editedFields<Given extends EditedFieldsGiven>(stored: StatusJson, given: Given): Given {
  const fields: Given = { ...given };
  if ('sensitive' in given || 'spoiler_text' in given) Object.assign(fields, { sensitive: given.sensitive === true || isPresent(given.spoiler_text) });
  const language = [given.language, stored.language].find(isPresent) ?? DEFAULT_LOCALE;
  // Left out when it is the status's, so that it counts as no change.
  if (language === stored.language) delete (fields as { language?: unknown }).language;
  else Object.assign(fields, { language });
  return fields;
}
