import type { KeywordFilterOptions } from './viewer-types.js';

/** One keyword as a filter lists it: a whole-word string, or an object choosing `wholeWord`. */
export type KeywordEntry = KeywordFilterOptions['keywords'][number];

/**
 * Turns one filter's keywords into the single case-insensitive expression that tests a status.
 * Mastodon builds it twice, differently: {@link streamingKeywordPattern} for the streaming
 * server, {@link railsKeywordPattern} for Rails (REST and what Rails renders for a reader).
 */
export type KeywordPatternBuilder = (keywords: readonly KeywordEntry[]) => RegExp;

const REGEXP_SPECIALS = /[.*+?^${}()|[\]\\]/g;

function escapeKeyword(keyword: string): string {
  return keyword.replace(REGEXP_SPECIALS, '\\$&');
}

function entryParts(entry: KeywordEntry): { keyword: string; wholeWord: boolean } {
  return typeof entry === 'string' ? { keyword: entry, wholeWord: true } : { keyword: entry.keyword, wholeWord: entry.wholeWord ?? true };
}

// The streaming server builds its expression without the `u` flag, so `\w` and `\b` are ASCII:
// a keyword like `café` gets no boundary after the `é`, and `stra` finds one before `ß`.
const STARTS_WITH_ASCII_WORD_CHAR = /^\w/;
const ENDS_WITH_ASCII_WORD_CHAR = /\w$/;

/**
 * The streaming server's expression (4.5.7 streaming/index.js): each keyword escaped, a whole
 * word one given `\b` on a side where its escaped text has an ASCII word character, all joined
 * with `|` under the `i` flag alone.
 *
 * @example
 * streamingKeywordPattern(['café']).test('cafés') // true: no boundary after a non-ASCII letter
 */
export function streamingKeywordPattern(keywords: readonly KeywordEntry[]): RegExp {
  const sources = keywords.map((entry) => {
    const { keyword, wholeWord } = entryParts(entry);
    let source = escapeKeyword(keyword);
    if (wholeWord && STARTS_WITH_ASCII_WORD_CHAR.test(source)) source = `\\b${source}`;
    if (wholeWord && ENDS_WITH_ASCII_WORD_CHAR.test(source)) source = `${source}\\b`;
    return source;
  });
  return new RegExp(sources.join('|'), 'i');
}

// Ruby's `[[:word:]]` and, in Ruby's default regexp mode, `\b` follow Unicode for UTF-8 text
// (only `\w` itself stays ASCII). JavaScript's `\b` is ASCII even under the `u` flag, so the
// boundary is written as "no word character on that side", which is what `\b` means next to a
// keyword that starts or ends with one. Onigmo documents `[[:word:]]` for Unicode as Letter,
// Mark, Decimal_Number and Connector_Punctuation.
const UNICODE_WORD_CHAR = '[\\p{L}\\p{M}\\p{Nd}\\p{Pc}]';
const STARTS_WITH_UNICODE_WORD_CHAR = new RegExp(`^${UNICODE_WORD_CHAR}`, 'u');
const ENDS_WITH_UNICODE_WORD_CHAR = new RegExp(`${UNICODE_WORD_CHAR}$`, 'u');

/**
 * Rails' expression (CustomFilterKeyword#to_regex, joined by Regexp.union in
 * CustomFilter.cached_filters_for): each keyword escaped, a whole word one bounded on a side
 * where it starts or ends with a Unicode word character, by a Unicode word boundary, all
 * case-insensitive. Ruby's full case folding (`ß` matching `ss`) is not reproduced: JavaScript
 * folds one character to one.
 *
 * @example
 * railsKeywordPattern(['café']).test('cafés') // false: `é` and `s` are both word characters
 */
export function railsKeywordPattern(keywords: readonly KeywordEntry[]): RegExp {
  const sources = keywords.map((entry) => {
    const { keyword, wholeWord } = entryParts(entry);
    let source = escapeKeyword(keyword);
    if (wholeWord && STARTS_WITH_UNICODE_WORD_CHAR.test(keyword)) source = `(?<!${UNICODE_WORD_CHAR})${source}`;
    if (wholeWord && ENDS_WITH_UNICODE_WORD_CHAR.test(keyword)) source = `${source}(?!${UNICODE_WORD_CHAR})`;
    return source;
  });
  return new RegExp(sources.join('|'), 'iu');
}
