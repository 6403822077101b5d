import type { StatusJson } from './entity-json.js';
import { formatPlainText } from './plain-text-format.js';
import { pollFromExpiresIn } from './poll-expiry.js';
import { checkScriptedPoll } from './poll-validation.js';
import { pollAfterEdit } from './poll-vote-reset.js';
import { validLocaleCascade } from './locale-cascade.js';
import { isRubyPresent, rubyStrip } from './ruby-strings.js';

/** Mastodon's I18n.default_locale (config/initializers/i18n.rb:103-111, `en` unless DEFAULT_LOCALE says otherwise), the last step of every language cascade. */
const DEFAULT_LOCALE = 'en';

/**
 * A local status as Mastodon 4.5's PostStatusService creates it from its options:
 * - a content warning makes it sensitive (`@sensitive = (… @options[:sensitive]) ||
 *   @options[:spoiler_text].present?`, app/services/post_status_service.rb:68, stored at :216);
 *   a blank `spoiler_text` (white space only) forces nothing;
 * - a blank `content` (the fake's stand-in for the text) with a warning that is not blank, on a
 *   status that quotes none, takes the warning as its text and keeps no warning ({@link postedText});
 * - a `poll` given with `expires_in` expires that many seconds from now ({@link pollFromExpiresIn});
 *   a poll 4.5 would refuse (options, duration) throws ({@link checkScriptedPoll});
 * - its language is `valid_locale_cascade(given, the author's posting language,
 *   I18n.default_locale)` (:219, {@link validLocaleCascade}): a supported code as it is, a
 *   supported one with a region (`en_US`, `pt-BR`) without it, and a null, blank, absent or
 *   unknown one `en` (the fake's accounts have no posting language; `en` is Mastodon's default
 *   locale). No language is refused.
 * `sensitiveAsGiven`, when given, is the `sensitive` a REST parameter decided alone (a form's
 * `sensitive=false` is truthy in Ruby, so the warning is not read: {@link sensitiveAsGiven} of
 * sensitive-param.ts); the status is stored with it.
 * A remote status keeps what its server sent (ActivityPub's `sensitive` and language, null
 * included: app/lib/activitypub/parser/status_parser.rb:97-98, :113-116), so this is for local
 * authors only.
 *
 * @example
 * postedFields({ ...status, spoiler_text: 'cw', sensitive: false }) // sensitive: true
 * postedFields({ ...status, language: null }) // language: 'en'
 * postedFields({ ...status, content: '', spoiler_text: 'cw' }) // content: '<p>cw</p>', spoiler_text: '', sensitive: true
 */
export function postedFields(status: StatusJson, sensitiveAsGiven?: boolean): StatusJson {
  // ReblogService makes a boost, not PostStatusService (app/services/reblog_service.rb:29): its language stays null.
  if (status.reblog) return status;
  checkScriptedPoll('FakeMastodon.postStatus', status.poll);
  const warning = rubyStrip(status.spoiler_text);
  const { text, spoilerText, sensitive } = postedText(status.content, warning, status.sensitive);
  // Only a text that took the warning is formatted again: a content given is kept as it is.
  const tookWarning = spoilerText !== warning && status.quote == null;
  const textFields = tookWarning ? { content: formatPlainText(text), spoiler_text: spoilerText } : { spoiler_text: warning };
  const language = validLocaleCascade(status.language, DEFAULT_LOCALE);
  return { ...status, ...textFields, sensitive: sensitiveAsGiven ?? sensitive, language, poll: pollFromExpiresIn(status.poll, Date.now()) };
}


/** The text, warning and sensitivity a status is posted with, as {@link postedText} makes them. */
export interface PostedText {
  readonly text: string;
  readonly spoilerText: string;
  readonly sensitive: boolean;
}

/**
 * The text of a local status posted over the API, as PostStatusService#preprocess_attributes!
 * makes it (app/services/post_status_service.rb:68-69): a blank text with a warning that is not
 * blank, and no quoted status, takes the warning as its text, and the status keeps no warning
 * (`@options.delete(:spoiler_text)`, so `spoiler_text` is stored as `''` at :217). It stays
 * sensitive: `@sensitive` was read from the warning the line before. A blank text with a blank
 * warning is left blank, for the validation to refuse.
 *
 * @example
 * postedText('', 'cw', false) // { text: 'cw', spoilerText: '', sensitive: true }
 */
export function postedText(text: string, spoilerText: string, sensitive: boolean): PostedText {
  const warned = isRubyPresent(spoilerText);
  const forced = sensitive || warned;
  if (isRubyPresent(text) || !warned) return { text, spoilerText, sensitive: forced };
  return { text: spoilerText, spoilerText: '', sensitive: forced };
}

/** The fields of an edit that {@link editedFields} reads. */
export interface EditedFieldsGiven {
  /** The fake's stand-in for the edit's text. */
  readonly content?: string | undefined;
  readonly sensitive?: boolean | undefined;
  readonly spoiler_text?: string | undefined;
  readonly language?: string | null | undefined;
  readonly poll?: Record<string, unknown> | null | undefined;
}

/**
 * The fields an edit of a local status gives, as Mastodon 4.5's UpdateStatusService sets them
 * (app/services/update_status_service.rb:99, :114-117), before its check for a change (:121), so that
 * what it keeps counts as no change:
 * - a blank `content` (the fake's stand-in for the text) given with `spoiler_text` takes the
 *   warning as its text, formatted as a posted text is, and the warning is dropped from the edit,
 *   so the status keeps the one it had (`@options[:text].presence || @options.delete(:spoiler_text)`,
 *   :114; :115 then finds no `spoiler_text`). A blank warning is dropped too, and the blank
 *   content stays as given.
 * - `sensitive`, when the edit gives `sensitive` or `spoiler_text`, becomes the given `sensitive`
 *   or'ed with whether the given `spoiler_text` is present (:116). Only a content warning given
 *   in this edit forces it: `{ sensitive: false }` alone unmarks a status whose warning stays, as
 *   the service does with those options (the REST controller always passes both keys).
 *   `sensitiveAsGiven`, from `PUT /api/v1/statuses/:id`, is a `sensitive` parameter Ruby finds
 *   truthy (a form's `sensitive=false` too, {@link sensitiveAsGiven} of sensitive-param.ts): the
 *   warning is then not read, and the status gets it as the column casts it.
 * - a `poll` given with `expires_in` expires that many seconds from the edit ({@link pollFromExpiresIn}, :99),
 *   so it is always a change (:110); a poll 4.5 would refuse throws ({@link checkScriptedPoll}), and
 *   one whose options or `multiple` differ from the stored poll's has its votes reset ({@link pollAfterEdit});
 * - `language` is `valid_locale_cascade(given, the status's, the author's posting language,
 *   I18n.default_locale)` (:117, app/helpers/languages_helper.rb:279-297), set at every edit: a
 *   null, blank, absent or unknown one (not in SUPPORTED_LOCALES, even without its region) keeps
 *   the status's, `en_US` is `en`, and a status without a supported one gets `en` (the fake's
 *   accounts have no posting language; `en` is Mastodon's default locale).
 *
 * @example
 * editedFields(stored.status, { spoiler_text: 'cw' }) // { spoiler_text: 'cw', sensitive: true }
 * editedFields(stored.status, { language: null }) // {}, when the status has a language
 */
export function editedFields<Given extends EditedFieldsGiven>(stored: StatusJson, given: Given, sensitiveAsGiven?: boolean): Given {
  const fields: Given = textFromWarning(typeof given.spoiler_text === 'string' ? { ...given, spoiler_text: rubyStrip(given.spoiler_text) } : given);
  if ('poll' in fields) checkScriptedPoll('FakeMastodon.editStatus', fields.poll);
  if ('poll' in fields) Object.assign(fields, { poll: pollFromExpiresIn(pollAfterEdit(stored.poll, fields.poll), Date.now()) });
  if ('sensitive' in fields || 'spoiler_text' in fields) Object.assign(fields, { sensitive: sensitiveAsGiven ?? (fields.sensitive === true || isRubyPresent(fields.spoiler_text)) });
  const language = validLocaleCascade(given.language, stored.language, DEFAULT_LOCALE);
  // Left out when it is the status's, so that it counts as no change.
  if (language === stored.language) delete (fields as { language?: unknown }).language;
  else Object.assign(fields, { language });
  return fields;
}

/** An edit's fields after UpdateStatusService's :114: a blank text given with a warning takes the warning, which the edit no longer gives. */
function textFromWarning<Given extends EditedFieldsGiven>(given: Given): Given {
  if (!('content' in given) || isRubyPresent(given.content) || !('spoiler_text' in given)) return { ...given };
  const { spoiler_text: warning, ...rest } = given;
  return (isRubyPresent(warning) ? { ...rest, content: formatPlainText(warning ?? '') } : rest) as Given;
}
