import { streamingKeywordPattern, type KeywordPatternBuilder } from './keyword-expressions.js';
import { compareIds } from './snowflake.js';
import type { KeywordFilterOptions } from './viewer-types.js';

/** A keyword filter ready to test statuses: one case-insensitive pattern for all its keywords. */
export interface CompiledKeywordFilter {
  readonly pattern: RegExp;
  /** Epoch ms, or null for never. */
  readonly expiresAtMs: number | null;
  /** The nested `filter` of a result, keys in the order 4.5.7 writes them. */
  readonly summary: Readonly<Record<string, unknown>>;
}

/** One entry of a status's `filtered` array as the streaming server builds it. */
export interface KeywordFilterResult {
  filter: Readonly<Record<string, unknown>>;
  keyword_matches: string[];
  status_matches: null;
}

const DEFAULT_CONTEXT = ['home', 'public', 'thread'];

/**
 * Compiles a viewer's filters as a connection does when it first needs them: filters without
 * keywords and expired filters are left out, the rest are ordered by numeric id (4.5.7 keeps
 * them in an object keyed by id, which iterates integer keys in ascending order). Keywords become
 * the streaming server's expression unless `buildPattern` says otherwise (Rails builds its own).
 *
 * @example
 * compileKeywordFilters([{ id: '5', title: 'Peer filter', keywords: ['peerfiltered'] }], Date.now())
 */
export function compileKeywordFilters(
  filters: readonly KeywordFilterOptions[],
  nowMs: number,
  buildPattern: KeywordPatternBuilder = streamingKeywordPattern,
): CompiledKeywordFilter[] {
  // Both sides build keyword filters from keyword rows: the streaming server's query selects FROM
  // custom_filter_keywords JOIN custom_filters, Rails' CustomFilter.cached_filters_for groups
  // CustomFilterKeyword records. A filter without keywords (Rails allows one) is never seen there,
  // rather than becoming an empty expression that matches every status.
  return filters
    .filter((filter) => filter.keywords.length > 0)
    .map((filter) => {
      const expiresAt = filter.expiresAt == null ? null : new Date(filter.expiresAt).toISOString();
      const summary: Record<string, unknown> = {
        id: filter.id,
        title: filter.title,
        context: [...(filter.context ?? DEFAULT_CONTEXT)],
        expires_at: expiresAt,
      };
      // 4.5.7 maps the action through ['warn', 'hide']; blur falls off the end and the key vanishes.
      const action = filter.action ?? 'warn';
      if (action !== 'blur') summary['filter_action'] = action;
      return { pattern: buildPattern(filter.keywords), expiresAtMs: expiresAt === null ? null : Date.parse(expiresAt), summary };
    })
    .filter((filter) => filter.expiresAtMs === null || filter.expiresAtMs > nowMs)
    .sort((a, b) => compareIds(String(a.summary['id']), String(b.summary['id'])));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * HTML character references decoded: numeric ones and the few named ones the fake's and
 * Mastodon's formatters write (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;`).
 *
 * @example
 * decodeEntities('fish &amp; &lt;chips&gt;') // 'fish & <chips>'
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function texts(values: unknown, key: string): string[] {
  if (!Array.isArray(values)) return [];
  return values.map((value) => {
    const text = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof text === 'string' ? text : '';
  });
}

/**
 * The text keyword filters search: spoiler text, content, poll options and media descriptions,
 * paragraphs and line breaks turned into newlines, tags stripped and entities decoded.
 *
 * @example
 * searchableText({ spoiler_text: '', content: '<p>a</p><p>b&amp;c</p>' }) // '\n\na\n\nb&c'
 */
export function searchableText(status: Record<string, unknown>): string {
  const spoiler = typeof status['spoiler_text'] === 'string' ? status['spoiler_text'] : '';
  const content = typeof status['content'] === 'string' ? status['content'] : '';
  const poll = status['poll'] as { options?: unknown } | null | undefined;
  const parts = [spoiler, content, ...texts(poll?.options, 'title'), ...texts(status['media_attachments'], 'description')];
  const html = parts.join('\n\n').replace(/<br\s*\/?>/g, '\n').replace(/<\/p><p>/g, '\n\n');
  return decodeEntities(html.replace(/<[^>]*>/g, ''));
}

/**
 * The `filtered` array for a status: one result per matching, unexpired filter, each with only
 * the first keyword match (as found in the text, not as typed in the filter) and
 * `status_matches: null`.
 *
 * @example
 * matchKeywordFilters(compiled, { content: '<p>PeerFiltered</p>' }, Date.now())
 * // [{ filter: { id: '5', … }, keyword_matches: ['PeerFiltered'], status_matches: null }]
 */
export function matchKeywordFilters(
  filters: readonly CompiledKeywordFilter[],
  status: Record<string, unknown>,
  nowMs: number,
): KeywordFilterResult[] {
  if (filters.length === 0) return [];
  const text = searchableText(status);
  if (text === '') return [];
  const results: KeywordFilterResult[] = [];
  for (const filter of filters) {
    if (filter.expiresAtMs !== null && filter.expiresAtMs < nowMs) continue;
    const match = filter.pattern.exec(text);
    if (match) results.push({ filter: filter.summary, keyword_matches: [match[0]], status_matches: null });
  }
  return results;
}
