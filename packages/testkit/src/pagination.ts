import { railsQueryValue } from './rails-params.js';
import { compareIds } from './snowflake.js';

/** The cursor parameters of protocol.md §12.2. */
export interface PageRequest {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

/**
 * Reads `max_id`, `since_id`, `min_id` and `limit` from a query, each repeated one by its last
 * value as Rails has it. `limit` is read as Rails' `limit_param` does
 * (`[params[:limit].to_i.abs, max].min`): given at all, even empty or not a number (which
 * `to_i` reads as 0), it replaces the default.
 */
export function readPageRequest(query: URLSearchParams, defaultLimit: number, maxLimit: number): PageRequest {
  const page: PageRequest = { limit: defaultLimit };
  const rawLimit = railsQueryValue(query, 'limit');
  if (rawLimit !== null) {
    const parsed = Math.abs(Number.parseInt(rawLimit.trimStart(), 10));
    page.limit = Number.isFinite(parsed) ? Math.min(parsed, maxLimit) : 0;
  }
  const maxId = railsQueryValue(query, 'max_id');
  const sinceId = railsQueryValue(query, 'since_id');
  const minId = railsQueryValue(query, 'min_id');
  if (maxId) page.maxId = maxId;
  if (sinceId) page.sinceId = sinceId;
  if (minId) page.minId = minId;
  return page;
}

/**
 * One page, always newest first. With `min_id` the page is the OLDEST `limit` items above it
 * (walks a gap forward); otherwise the NEWEST `limit` items below `max_id`/above `since_id`
 * (so `since_id` can leave a hole). Ids compare as big integers.
 *
 * @example
 * paginate([{ id: '3' }, { id: '2' }, { id: '1' }], { minId: '1', limit: 1 }) // [{ id: '2' }]
 */
export function paginate<T extends { id: string }>(items: readonly T[], page: PageRequest): T[] {
  const newestFirst = [...items].sort((a, b) => compareIds(b.id, a.id));
  const inWindow = newestFirst.filter((item) => {
    if (page.maxId !== undefined && compareIds(item.id, page.maxId) >= 0) return false;
    if (page.minId !== undefined) return compareIds(item.id, page.minId) > 0;
    if (page.sinceId !== undefined && compareIds(item.id, page.sinceId) <= 0) return false;
    return true;
  });
  if (page.minId !== undefined) return inWindow.slice(Math.max(0, inWindow.length - page.limit));
  return inWindow.slice(0, page.limit);
}

/**
 * The `Link` header Mastodon sends for a page: `next` (older, `max_id` = oldest on the page)
 * then `prev` (newer, `min_id` = newest on the page); none for an empty page. Timelines and
 * notifications send `next` for any page that is not empty; conversations only for a full one
 * (their `records_continue?`), which `nextOnlyWhenFull` asks for. Parameters are sorted by name
 * like Rails' `to_query` does; an array's values stay in their order.
 *
 * @example
 * linkHeader('http://127.0.0.1:1/api/v1/timelines/home', { limit: '2' }, page, 2)
 * // '<…?limit=2&max_id=5>; rel="next", <…?limit=2&min_id=9>; rel="prev"'
 */
export function linkHeader(
  baseUrl: string,
  keptParams: Record<string, string | readonly string[]>,
  pageItems: ReadonlyArray<{ id: string }>,
  limit: number,
  nextOnlyWhenFull = false,
): string | undefined {
  const newest = pageItems[0];
  const oldest = pageItems[pageItems.length - 1];
  if (!newest || !oldest) return undefined;
  const build = (cursor: Record<string, string>): string => {
    const params = { ...keptParams, ...cursor };
    // An array parameter (`types[]`) is written value by value, in the order given.
    const query = Object.keys(params)
      .map((key) => [encodeURIComponent(key), [params[key] ?? ''].flat()] as const)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([key, values]) => values.map((value) => `${key}=${encodeURIComponent(value)}`).join('&'))
      .join('&');
    return `${baseUrl}?${query}`;
  };
  const links: string[] = [];
  if (!nextOnlyWhenFull || pageItems.length >= limit) links.push(`<${build({ max_id: oldest.id })}>; rel="next"`);
  links.push(`<${build({ min_id: newest.id })}>; rel="prev"`);
  return links.join(', ');
}
