// The letters Mastodon folds to ASCII (app/lib/ascii_folder.rb, mirrored by the streaming
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
// Marks stay because non-Latin scripts need them inside words (Mastodon matches [[:word:]]).
const DISALLOWED = /[^\p{L}\p{M}\p{Nd}_\u00b7\u200c]/gu;

/**
 * Normalises a hashtag the way the streaming server keys its channels: NFKC, lower-case, the
 * letters of Mastodon's ASCII folding table folded, and everything but letters, digits, `_`,
 * `·` and ZWNJ removed (so a leading `#` disappears). `Test`, `#test` and `tést` are the same
 * channel; `việt` is not `viet`, as the table has no `ệ`.
 *
 * @example
 * normalizeTag('#Café') // 'cafe'
 */
export function normalizeTag(tag: string): string {
  let folded = '';
  for (const char of tag.normalize('NFKC').toLowerCase()) folded += FOLDING.get(char) ?? char;
  return folded.replace(DISALLOWED, '');
}
