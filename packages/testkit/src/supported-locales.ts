/**
 * The language codes Mastodon 4.5 accepts for a status: the keys of LanguagesHelper's
 * SUPPORTED_LOCALES (ISO_639_1, ISO_639_1_REGIONAL and ISO_639_3 merged,
 * app/helpers/languages_helper.rb:4-226), codes only. Keys are case-sensitive there
 * (`SUPPORTED_LOCALES.key?(locale.to_sym)`, :299-301), so they are kept as spelt.
 *
 * @example
 * SUPPORTED_LOCALE_CODES.has('zh-TW') // true
 */
export const SUPPORTED_LOCALE_CODES: ReadonlySet<string> = new Set([
  'aa', 'ab', 'ae', 'af', 'ak', 'am', 'an', 'ar', 'as', 'av', 'ay', 'az', 'ba', 'be', 'bg', 'bh',
  'bi', 'bm', 'bn', 'bo', 'br', 'bs', 'ca', 'ce', 'ch', 'co', 'cr', 'cs', 'cu', 'cv', 'cy', 'da',
  'de', 'dv', 'dz', 'ee', 'el', 'en', 'eo', 'es', 'et', 'eu', 'fa', 'ff', 'fi', 'fj', 'fo', 'fr',
  'fy', 'ga', 'gd', 'gl', 'gu', 'gv', 'ha', 'he', 'hi', 'ho', 'hr', 'ht', 'hu', 'hy', 'hz', 'ia',
  'id', 'ie', 'ig', 'ii', 'ik', 'io', 'is', 'it', 'iu', 'ja', 'jv', 'ka', 'kg', 'ki', 'kj', 'kk',
  'kl', 'km', 'kn', 'ko', 'kr', 'ks', 'ku', 'kv', 'kw', 'ky', 'la', 'lb', 'lg', 'li', 'ln', 'lo',
  'lt', 'lu', 'lv', 'mg', 'mh', 'mi', 'mk', 'ml', 'mn', 'mn-Mong', 'mr', 'ms', 'ms-Arab', 'mt',
  'my', 'na', 'nb', 'nd', 'ne', 'ng', 'nl', 'nn', 'no', 'nr', 'nv', 'ny', 'oc', 'oj', 'om', 'or',
  'os', 'pa', 'pi', 'pl', 'ps', 'pt', 'qu', 'rm', 'rn', 'ro', 'ru', 'rw', 'sa', 'sc', 'sd', 'se',
  'sg', 'si', 'sk', 'sl', 'sn', 'so', 'sq', 'sr', 'ss', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg',
  'th', 'ti', 'tk', 'tl', 'tn', 'to', 'tr', 'ts', 'tt', 'tw', 'ty', 'ug', 'uk', 'ur', 'uz', 've',
  'vi', 'vo', 'wa', 'wo', 'xh', 'yi', 'yo', 'za', 'zh', 'zu', 'ast', 'chr', 'ckb', 'cnr', 'csb',
  'gsw', 'jbo', 'kab', 'ldn', 'lfn', 'moh', 'nds', 'pdc', 'sco', 'sma', 'smj', 'szl', 'tok', 'vai',
  'xal', 'zba', 'zgh', 'zh-CN', 'zh-HK', 'zh-TW', 'zh-YUE',
]);
