import { routePages, type BackfillPayload, type CatchUpContext, type RouteEnd, type TimelineRoute } from './catch-up.js';
import { fetchWithRateLimit, readTimelinePage } from './catch-up-fetch.js';
import { kit } from './up-front-kit.js';

/** The notifications timeline; Mastodon serves at most 80 per page. */
export const NOTIFICATIONS: TimelineRoute = { path: 'api/v1/notifications', query: {} };
const NOTIFICATIONS_PER_PAGE = 80;

/** Where a walk forward starts: the newest notification older than the coverage, and whether the search reached it. */
interface Anchor {
  /** A notification id below every missed one (`min_id` is exclusive). */
  id: string;
  /** False when the page budget ran out before a notification older than the coverage came up. */
  reached: boolean;
}

/**
 * The notifications created since `coveredSince` (epoch ms, on the server's clock), for a stream that has
 * delivered none yet: without a notification id there is no `min_id` to page from (notification ids are
 * sequential, not time-based), but a bot restarted before its first mention must not lose the mentions of its
 * downtime. The newest pages are searched backwards (`max_id`) by creation time for the newest notification
 * older than the coverage; the walk forward from it is {@link routePages}', like every route's. The search reads up
 * to `maxPages` pages and the walk again up to `maxPages`; a search that runs out of pages walks from the oldest one it
 * saw and ends `exhausted`.
 */
export async function* notificationPagesSince(context: CatchUpContext, coveredSince: number, sinceStatusId: string | undefined): AsyncGenerator<BackfillPayload[], RouteEnd, void> {
  // A resumed cursor's coverage start is when it was taken, which can be after notifications its stream had read but not
  // delivered (behind a slow consumer, or taken during an outage); the last status it delivered (ids carry their time) bounds it too.
  const since = sinceStatusId === undefined ? coveredSince : Math.min(coveredSince, Number(BigInt(sinceStatusId) >> 16n));
  let anchor: Anchor;
  try {
    anchor = await findAnchor(context, since);
  } catch (error) {
    return { exhausted: false, error: kit.isTootstream(error) ? error : kit.toNetworkError(error, 'read', context.requestHeaders) };
  }
  const end = yield* routePages(context, 'notifications', NOTIFICATIONS, anchor.id);
  // Not reached: what is missing is older than where the walk started, so the walk's own end names no id above it.
  return anchor.reached ? end : { ...end, exhausted: true, afterId: undefined };
}

async function findAnchor(context: CatchUpContext, coveredSince: number): Promise<Anchor> {
  const url = new URL(NOTIFICATIONS.path, context.apiBase);
  url.searchParams.set('limit', String(NOTIFICATIONS_PER_PAGE));
  let oldest: string | undefined;
  for (let page = 1; page <= context.catchUpPolicy.maxPages; page++) {
    const items = await readTimelinePage(await fetchWithRateLimit(context, url), NOTIFICATIONS_PER_PAGE, context);
    const oldestBefore = oldest;
    for (const item of items) {
      // An item without a readable time cannot be placed before or after the coverage: it is kept (dedupe drops a repeat).
      if (Date.parse(item.created_at ?? '') < coveredSince) return { id: item.id, reached: true };
      if (oldest === undefined || kit.compareIdStrings(item.id, oldest) < 0) oldest = item.id;
    }
    // The account's oldest notification is within the coverage: the walk starts below every id. (Not on a short page: if
    // a server filtered one mid-walk, starting below every id would walk the account's oldest notifications instead.)
    if (items.length === 0 || oldest === undefined) return { id: '0', reached: true };
    // A server that ignores max_id serves the same page again: searching on would only spend the budget.
    if (oldest === oldestBefore) break;
    url.searchParams.set('max_id', oldest);
  }
  return { id: oldest === undefined ? '0' : (BigInt(oldest) - 1n).toString(), reached: false };
}
