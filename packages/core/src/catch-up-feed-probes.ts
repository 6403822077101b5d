import type { BackfillPayload, CatchUpContext, TimelineRoute } from './catch-up.js';
import { fetchWithRateLimit, readTimelinePage, timelineUrl } from './catch-up-fetch.js';

// Home and list timelines come from a Redis sorted set in Mastodon 4.5 (Feed#from_redis): `limit` is
// counted on the set's entries, and only then are the statuses loaded, which leaves out the deleted
// ones. The set keeps its newest 800 entries (FeedManager::MAX_ITEMS), trimmed on every push. Each
// gives a walk forward with `min_id` a way to lose statuses without an error; these probes find out.

/**
 * How few items a walk can have fetched from a feed trimmed past its cursor. Trimmed, the feed held
 * 800 entries above the cursor; regenerated (after an account's inactivity) from each followed
 * account's newest 400 (MAX_ITEMS / 2), one that stops short of the cursor holds at least 400 above
 * it. Statuses deleted or unfollowed since take some out, so the bound is the lower one, less a page.
 */
const FEED_REFILL_ITEMS = 400;

/** The route's timeline asked for directly (not through a Link) with these cursor parameters; throws as a page does. */
export async function feedProbe(context: CatchUpContext, target: TimelineRoute, cursor: Record<string, string>, limit: number): Promise<{ items: BackfillPayload[]; url: URL }> {
  const url = timelineUrl(context, target, { ...cursor, limit: String(limit) });
  return { items: await readTimelinePage(await fetchWithRateLimit(context, url), limit, context), url };
}

/**
 * After a short or empty page of a feed, what asks for the statuses above `newestId`: the NEWEST
 * entries above it (`since_id` reads the set from the top down), so a run of deleted statuses right
 * above `newestId`, which shortened or emptied the page, is not in the way. A whole page of them (not one entry,
 * which could itself be a deleted status on top) costs the same when, as usual, nothing is above.
 */
export const aboveProbe = (newestId: string): Record<string, string> => ({ since_id: newestId });

/**
 * What asks for the cursor's own entry and those below it, when a walk of `fetched` items was long
 * enough for the feed to have been trimmed past `sinceId`; undefined otherwise, so an ordinary
 * reconnect pays nothing. A server whose ids are not decimal (GoToSocial's ULIDs) has no id just
 * above the cursor to ask below.
 */
export function reachProbe(sinceId: string, fetched: number, limit: number): Record<string, string> | undefined {
  if (fetched < FEED_REFILL_ITEMS - limit || !/^\d+$/.test(sinceId)) return undefined;
  // max_id is exclusive.
  return { max_id: String(BigInt(sinceId) + 1n) };
}

/**
 * Why a feed's walk failed though every page answered: `run` when the same empty page came twice with
 * statuses listed above it (a run of at least `limit` deleted statuses, which Mastodon leaves in a feed
 * that got them through a followed hashtag, and which paging with `min_id` cannot get past); otherwise
 * the feed lists nothing at or below the cursor any more. Names the request that showed it (the error
 * carries no URL: no single answer was wrong).
 */
export function feedFailure(run: boolean, limit: number, url: URL, sinceId?: string): string {
  const query = url.search.replace(/^\?/, '');
  return run
    ? `the feed lists ${limit} or more deleted statuses in a row that the catch-up cannot page past (${query} stays empty, with statuses above); those above were not fetched`
    : `the feed no longer reaches back to the cursor ${sinceId} (${query} is empty; Mastodon keeps 800 entries per home or list feed); statuses between it and the oldest entry left, if any, are lost`;
}
