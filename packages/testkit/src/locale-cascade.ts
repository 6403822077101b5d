import { isRubyPresent } from './ruby-strings.js';
import { SUPPORTED_LOCALE_CODES } from './supported-locales.js';

/**
 * LanguagesHelper#valid_locale_or_nil (app/helpers/languages_helper.rb:279-288): a supported code
 * as it is; otherwise the part before the first `_` or `-` when that is supported (`en_US` and
 * `pt-BR` become `en` and `pt`); otherwise, or for a blank or non-string value, null. Codes are
 * compared case-sensitively, so `EN` is not `en`.
 *
 * @example
 * validLocaleOrNull('en_US') // 'en'
 * validLocaleOrNull('xx') // null
 */
export function validLocaleOrNull(code: unknown): string | null {
  if (typeof code !== 'string' || !isRubyPresent(code)) return null;
  if (SUPPORTED_LOCALE_CODES.has(code)) return code;
  const [base = ''] = code.split(/[_-]/);
  return SUPPORTED_LOCALE_CODES.has(base) ? base : null;
}

/**
 * LanguagesHelper#valid_locale_cascade (:290-297): the first of the codes that
 * {@link validLocaleOrNull} keeps, or null. Mastodon never refuses a status for its language:
 * an unknown code falls through to the next (the author's posting language, then the default
 * locale, `en`).
 *
 * @example
 * validLocaleCascade('klingon', null, 'en') // 'en'
 */
export function validLocaleCascade(...codes: readonly unknown[]): string | null {
  for (const code of codes) {
    const valid = validLocaleOrNull(code);
    if (valid !== null) return valid;
  }
  return null;
}
