import { railsTagName } from './hashtag.js';

// Tag::HASHTAG_RE of Mastodon 4.5 (app/models/tag.rb), written with JavaScript's Unicode
// properties. Ruby's POSIX classes on a UTF-8 string are Unicode properties (Onigmo):
// `[[:alpha:]]` is Alphabetic, `[[:word:]]` Alphabetic, marks, decimal digits and connector
// punctuation, and `\p{Alnum}` Alphabetic or a decimal digit. So a tag keeps its combining marks
// (a decomposed `café`, Devanagari vowel signs and virama, Thai tone marks, Arabic harakat), and
// `·`, `・` and ZWNJ join its parts. The `i` flag of Mastodon's pattern changes nothing here.
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}`;
const SEPARATORS = String.raw`_\u00b7\u30fb\u200c`;
// The first form lets separators sit inside a tag (`a·b`), the second is a run of word
// characters with at least one letter; the first is tried first, as Ruby's alternation does.
const SEPARATED = `[${WORD}_][${WORD}${SEPARATORS}]*[\\p{Alphabetic}${SEPARATORS}][${WORD}${SEPARATORS}]*[${WORD}_]`;
const PLAIN = `[${WORD}_]*\\p{Alphabetic}[${WORD}_]*`;
// Not after `=`, `/`, `)` or a letter or decimal digit: no tags from URLs, queries or words.
const HASHTAG = new RegExp(`(?<![=/)\\p{Alphabetic}\\p{Nd}])#(${SEPARATED}|${PLAIN})`, 'gu');

/**
 * The hashtags of a status text as Mastodon's Extractor finds them (`extract_hashtags`, which
 * scans with Tag::HASHTAG_RE), as typed: a tag right before `://` loses a final `http` or
 * `https` (`#foohttps://…` is `foo`), as the Extractor trims it.
 *
 * @example
 * extractHashtags('#Café, ##more and a/#path') // ['Café', 'more']
 */
export function extractHashtags(text: string): string[] {
  const tags: string[] = [];
  for (const match of text.matchAll(HASHTAG)) {
    const tag = match[1] ?? '';
    const after = text.slice((match.index ?? 0) + match[0].length);
    tags.push(after.startsWith('://') ? tag.replace(/^(.+)https?$/su, '$1') : tag);
  }
  return tags;
}

/**
 * The tags a posted status gets: its hashtags by the names Rails gives them (HashtagNormalizer),
 * each once, in the order first typed, as ProcessHashtagsService hands them to
 * `Tag.find_or_create_by_names` (`uniq` by normalised name). Status JSON shows that name
 * (REST::StatusSerializer::TagSerializer renders Tag#name), and the status is published on
 * `timeline:hashtag:<name>`.
 *
 * @example
 * postedStatusTags('#Café #cafe #CAFE') // ['cafe']
 */
export function postedStatusTags(text: string): string[] {
  return [...new Set(extractHashtags(text).map(railsTagName))];
}
