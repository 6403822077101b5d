import type { ChannelKey } from './fanout.js';
import { compareIds } from './snowflake.js';

/**
 * Mastodon's `FeedManager::MAX_ITEMS`: a home or list feed keeps its newest 800 entries. Every
 * push trims it from the oldest end (`zremrangebyrank`), and an entry trimmed never comes back
 * by itself, so what a client that was away for long pages with `min_id` starts at the oldest
 * entry that survived, not at its cursor.
 */
export const FEED_MAX_ITEMS = 800;

/**
 * The Redis key of the feed a `user` or `list` channel reads (`feed:home:<account>`,
 * `feed:list:<list>`); undefined for the timelines Mastodon pages in SQL.
 *
 * @example
 * feedKeyOf({ stream: 'user', accountId: '1001' }) // 'home:1001'
 */
export function feedKeyOf(channel: ChannelKey): string | undefined {
  if (channel.stream === 'user' && channel.accountId !== undefined) return `home:${channel.accountId}`;
  if (channel.stream === 'list' && channel.list !== undefined) return `list:${channel.list}`;
  return undefined;
}

/**
 * The sorted sets behind home and list timelines: status ids, oldest first, trimmed to
 * {@link FEED_MAX_ITEMS} on every insert. An id stays when its status is deleted only if the
 * delete leaves it (as RemoveStatusService does in the home of an account that got the status
 * through a followed hashtag): Mastodon then counts it against a page's `limit` and drops it
 * when it hydrates the page.
 *
 * Arrays rather than a tree: statuses arrive in id order almost always, so an insert is an
 * append, and a feed never holds more than 800 ids.
 *
 * @example
 * const feeds = new FeedEntries();
 * feeds.insert('home:1001', '110000000000000001');
 * feeds.entries('home:1001') // ['110000000000000001']
 */
export class FeedEntries {
  private readonly feeds = new Map<string, string[]>();

  /** FeedManager#add_to_feed then #trim: the id goes in at its place, and the feed keeps its newest entries. */
  insert(feed: string, id: string): void {
    const ids = this.feeds.get(feed) ?? [];
    this.feeds.set(feed, ids);
    const at = insertionPoint(ids, id);
    if (ids[at] !== id) ids.splice(at, 0, id);
    if (ids.length > FEED_MAX_ITEMS) ids.splice(0, ids.length - FEED_MAX_ITEMS);
  }

  /**
   * Takes the id out of every feed but those in `kept` (FeedManager#unpush_from_home and _list), and says which feeds
   * held it: only those publish a `delete` (remove_from_feed's ZREM found nothing in a feed that trimmed it away).
   */
  removeEverywhere(id: string, kept: ReadonlySet<string> = new Set()): string[] {
    const heldIn: string[] = [];
    for (const [feed, ids] of this.feeds) {
      if (kept.has(feed)) continue;
      const at = insertionPoint(ids, id);
      if (ids[at] !== id) continue;
      ids.splice(at, 1);
      heldIn.push(feed);
    }
    return heldIn;
  }

  /** The feed's `count` newest ids (its top, as ZREVRANK counts ranks). */
  newest(feed: string, count: number): readonly string[] {
    return (this.feeds.get(feed) ?? []).slice(-count);
  }

  /** The feed's ids, oldest first. */
  entries(feed: string): readonly string[] {
    return this.feeds.get(feed) ?? [];
  }
}

/** Where `id` is, or would go, in ids sorted oldest first. */
function insertionPoint(ids: readonly string[], id: string): number {
  // Almost every insert is the newest id: check the end before searching.
  const last = ids[ids.length - 1];
  if (last === undefined || compareIds(last, id) < 0) return ids.length;
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareIds(ids[middle] ?? '', id) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
