const LATIN = /\p{Script=Latin}/u;
const COMBINING_MARKS = /\p{M}/gu;
// Marks stay because non-Latin scripts need them inside words (Mastodon matches [[:word:]]).
const DISALLOWED = /[^\p{L}\p{M}\p{Nd}_\u00b7\u200c]/gu;

/**
 * Normalises a hashtag the way the streaming server keys its channels: NFKC, lower-case,
 * Latin accents folded to ASCII, and everything but letters, digits, `_`, `·` and ZWNJ
 * removed (so a leading `#` disappears). `Test`, `#test` and `tést` are the same channel.
 *
 * @example
 * normalizeTag('#Café') // 'cafe'
 */
export function normalizeTag(tag: string): string {
  let folded = '';
  for (const char of tag.normalize('NFKC').toLowerCase()) {
    folded += LATIN.test(char) ? char.normalize('NFD').replace(COMBINING_MARKS, '') : char;
  }
  return folded.replace(DISALLOWED, '');
}
