import type { PageRequest } from './pagination.js';
import { compareIds } from './snowflake.js';

/**
 * What a feed entry is when a page is served: a status to render, an id whose status is gone
 * (deleted, its entry left in the feed), or an id the feed no longer holds (a block or mute took
 * the status out of it, as FeedManager's clear and unmerge do with `zrem`).
 */
export type FeedEntryState<T> = { status: T } | 'stale' | 'removed';

/**
 * One page of a home or list timeline as Mastodon 4.5's `Feed#from_redis` serves it: `limit` is
 * counted on the feed's entries in Redis (with `min_id`, `zrangebyscore` from it upwards, which
 * ignores `since_id`; otherwise `zrevrangebyscore` from `max_id` down to `since_id`), and only
 * then are the statuses loaded, which leaves out the ones deleted since. So a page can be short,
 * or empty, while the feed goes on above it: a run of `limit` stale entries is an empty page.
 * Newest first, like every timeline.
 *
 * @example
 * // ids 1 and 2 are stale, 3 is a status: limit 2 from min_id 0 counts 1 and 2, and serves nothing
 * feedPage(['1', '2', '3'], { minId: '0', limit: 2 }, (id) => (id === '3' ? { status: id } : 'stale')) // []
 */
export function feedPage<T>(entries: readonly string[], page: PageRequest, entry: (id: string) => FeedEntryState<T>): T[] {
  const below = (id: string): boolean => page.maxId === undefined || compareIds(id, page.maxId) < 0;
  const counted: Array<FeedEntryState<T>> = [];
  if (page.minId !== undefined) {
    const minId = page.minId;
    for (const id of entries) {
      if (counted.length >= page.limit || !below(id)) break;
      if (compareIds(id, minId) <= 0) continue;
      const state = entry(id);
      if (state !== 'removed') counted.push(state);
    }
  } else {
    for (let index = entries.length - 1; index >= 0 && counted.length < page.limit; index--) {
      const id = entries[index] ?? '';
      if (!below(id)) continue;
      if (page.sinceId !== undefined && compareIds(id, page.sinceId) <= 0) break;
      const state = entry(id);
      if (state !== 'removed') counted.push(state);
    }
  }
  const statuses = counted.flatMap((state) => (typeof state === 'object' ? [state.status] : []));
  // Status.where(id: …) under Status's default scope (`recent`): newest first, whichever way Redis read them.
  return page.minId !== undefined ? statuses.reverse() : statuses;
}
