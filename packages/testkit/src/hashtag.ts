// The letters Mastodon folds to ASCII (app/lib/ascii_folding.rb, mirrored by the streaming
// server's utils.js), each followed by its replacement. Nothing else is folded: `ệ`, `ǎ` or `ṡ`
// stay as they are, while `ø` and `ł` (which have no decomposition) become `o` and `l`.
const FOLDING_PAIRS =
  'ÀAÁAÂAÃAÄAÅAàaáaâaãaäaåaĀAāaĂAăaĄAąaÇCçcĆCćcĈCĉcĊCċcČCčcÐDðdĎDďdĐDđdÈEÉEÊEËEèeéeêeëeĒEēeĔEĕeĖEėeĘEęeĚEěe' +
  'ĜGĝgĞGğgĠGġgĢGģgĤHĥhĦHħhÌIÍIÎIÏIìiíiîiïiĨIĩiĪIīiĬIĭiĮIįiİIıiĴJĵjĶKķkĸkĹLĺlĻLļlĽLľlĿLŀlŁLłlÑNñnŃNńnŅNņnŇNňn' +
  'ŉnŊNŋnÒOÓOÔOÕOÖOØOòoóoôoõoöoøoŌOōoŎOŏoŐOőoŔRŕrŖRŗrŘRřrŚSśsŜSŝsŞSşsŠSšsſsŢTţtŤTťtŦTŧtÙUÚUÛUÜUùuúuûuüuŨUũu' +
  'ŪUūuŬUŭuŮUůuŰUűuŲUųuŴWŵwÝYýyÿyŶYŷyŸYŹZźzŻZżzŽZžz';
const FOLDING: ReadonlyMap<string, string> = new Map(
  Array.from({ length: FOLDING_PAIRS.length / 2 }, (_, index) => [FOLDING_PAIRS[index * 2] ?? '', FOLDING_PAIRS[index * 2 + 1] ?? ''] as const),
);

function foldToAscii(text: string): string {
  let folded = '';
  for (const char of text) folded += FOLDING.get(char) ?? char;
  return folded;
}

// streaming/utils.js: letters and numbers of any kind, `_`, `·` and ZWNJ. No combining marks, so
// the vowel signs and viramas of Indic scripts, Thai tone marks and Arabic harakat are removed.
const STREAMING_DISALLOWED = /[^\p{L}\p{N}_\u00b7\u200c]/gu;

// Tag::HASHTAG_INVALID_CHARS_RE, `[^[:alnum:]\u0E47-\u0E4E_\u00B7\u30FB\u200c]`. Ruby's
// `[[:alnum:]]` is Alphabetic or Decimal_Number: it keeps the marks that are Alphabetic (most
// vowel signs, Arabic harakat) and drops the others (the Devanagari virama, Thai tone marks but
// for the range Mastodon adds back).
const RAILS_DISALLOWED = /[^\p{Alphabetic}\p{Nd}\u0e47-\u0e4e_\u00b7\u30fb\u200c]/gu;

/**
 * Normalises a hashtag the way the streaming server keys the channel a client subscribes to
 * (streaming/utils.js `normalizeHashtag`): NFKC, lower-case, the letters of Mastodon's ASCII
 * folding table folded, and everything but letters, numbers, `_`, `·` and ZWNJ removed (so a
 * leading `#` disappears). `Test`, `#test` and `tést` are the same channel; `việt` is not `viet`,
 * as the table has no `ệ`. Rails names the channels it publishes to differently
 * ({@link railsTagName}): where the two disagree, the stream gets nothing.
 *
 * @example
 * normalizeTag('#Café') // 'cafe'
 * normalizeTag('हिन्दी') // 'हनद': the combining vowel signs and virama are gone
 */
export function normalizeTag(tag: string): string {
  return foldToAscii(tag.normalize('NFKC').toLowerCase()).replace(STREAMING_DISALLOWED, '');
}

/**
 * A tag's name as Rails stores it (HashtagNormalizer: NFKC, downcase, ASCII folding, then
 * Tag::HASHTAG_INVALID_CHARS_RE removed), which is the `timeline:hashtag:` channel Rails
 * publishes a status to and the tag a REST tag timeline looks up. Ruby's `downcase` maps each
 * character on its own, without JavaScript's final-sigma rule (`ΟΔΟΣ` → `οδοσ`).
 *
 * @example
 * railsTagName('#Café') // 'cafe'
 * railsTagName('हिन्दी') // 'हिनदी': the vowel signs stay, the virama (not Alphabetic) goes
 */
export function railsTagName(tag: string): string {
  const downcased = Array.from(tag.normalize('NFKC'), (char) => char.toLowerCase()).join('');
  return foldToAscii(downcased).replace(RAILS_DISALLOWED, '');
}
