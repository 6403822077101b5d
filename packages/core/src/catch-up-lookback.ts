import { fetchWithRateLimit, oldestFirstAbove, readTimelinePage, routePages, statusIdAt, type BackfillPayload, type CatchUpContext, type RouteEnd, type RouteKind, type TimelineRoute } from './catch-up.js';
import type { StreamCursor } from './cursor.js';
import type { TootstreamError } from './errors.js';
import { kit } from './up-front-kit.js';

/**
 * How long before a drop a status may have been created and still not pushed. Mastodon gives a status its id when
 * it is created and pushes it later, from Sidekiq (DistributionWorker, then FeedInsertWorker for home feeds); a queue
 * under load holds pushes for seconds to minutes. A status created just before the drop and pushed just after it has
 * an id below one the stream already delivered, so a walk from that id (`min_id`) passes over it.
 */
export const LOOKBACK_MS = 60_000;

/** The most statuses (or conversations) Mastodon serves per page, and so the lookback's page. */
const LOOKBACK_PAGE_SIZE = 40;


/** What a lookback needs beyond the walk's context. */
export interface LookbackScope {
  /**
   * When the gap began (epoch ms; the last bytes the broken connection received), on the server's clock, which issued
   * the ids, as its last `Date` header showed it. Without one (a browser hides it cross-origin) it is this client's:
   * one that is off moves the window, which stays one page (too early a floor only asks for items dedupe drops).
   */
  gapSince: number | undefined;
  /** Since when this stream's dedupe has seen what was delivered (epoch ms, server clock): its first open. */
  coverageStart: number | undefined;
  /** The cursor the stream resumed from: what it delivered, in another process, no dedupe here remembers. */
  resumedFrom: StreamCursor | undefined;
  /** How many statuses dedupe remembers at least (0 when it is off): what the lookback fetches again must be among them. */
  dedupeCapacity: number;
}

/**
 * The ids a lookback covers: above the returned floor and below `sinceId`, or `undefined` when there is nothing to
 * look back at. Never below what this stream's dedupe covers (its first open, or the cursor it resumed from), and
 * only for a cursor within {@link LOOKBACK_MS} of the drop: anything older was pushed before the connection broke.
 */
export function lookbackFloor(scope: LookbackScope, sinceId: string): string | undefined {
  // The page's statuses the stream delivered are the last ones it delivered, and admitting the page's new ones can push
  // them out of a small dedupe (`dedupe: { capacity: 10 }` delivered every one of them again): it must hold both.
  // Ids that are not decimal (GoToSocial's ULIDs) carry no time to count a minute back from.
  if (scope.dedupeCapacity < 2 * LOOKBACK_PAGE_SIZE || scope.gapSince === undefined || !/^\d+$/.test(sinceId)) return undefined;
  const resumed = scope.resumedFrom;
  const covered = resumed ? (resumed.lastStatusId ?? statusIdAt(resumed.takenAt)) : scope.coverageStart === undefined ? sinceId : statusIdAt(scope.coverageStart);
  const recent = statusIdAt(scope.gapSince - LOOKBACK_MS);
  const floor = kit.compareIdStrings(recent, covered) > 0 ? recent : covered;
  return kit.compareIdStrings(floor, sinceId) < 0 ? floor : undefined;
}

/**
 * A route's walk after a reconnect, led by one page of what was created in the minute before the drop but never
 * came live (`max_id` = the cursor, `since_id` = the floor: the newest items below the cursor, up to a page). Dedupe
 * drops those the stream delivered; the rest are what `min_id` would pass over. One request more per status route,
 * and only when the stream delivered a status in that minute. A lookback that fails does not hold up the walk: the
 * route ends with its error (a gap), unless the walk failed too, whose error the route ends with (the lookback's goes
 * to `onError` alone).
 */
export async function* pagesWithLookback(
  context: CatchUpContext,
  route: RouteKind,
  target: TimelineRoute,
  sinceId: string,
  floorId: string | undefined,
): AsyncGenerator<BackfillPayload[], RouteEnd, void> {
  if (floorId !== undefined) {
    const url = new URL(target.path, context.apiBase);
    for (const [key, value] of Object.entries(target.query)) url.searchParams.set(key, value);
    url.searchParams.set('max_id', sinceId);
    url.searchParams.set('since_id', floorId);
    const limit = Math.min(context.catchUpPolicy.pageSize, LOOKBACK_PAGE_SIZE);
    url.searchParams.set('limit', String(limit));
    let lookbackFailure: TootstreamError | undefined;
    try {
      const page = await readTimelinePage(await fetchWithRateLimit(context, url), limit, context);
      // By paging key (a conversation's is its newest status's id), above the floor and below the cursor.
      const within = oldestFirstAbove(page, floorId, route).filter(([key]) => kit.compareIdStrings(key, sinceId) < 0);
      if (within.length > 0) yield within.map(([, item]) => item);
    } catch (error) {
      lookbackFailure = kit.isTootstream(error) ? error : kit.toNetworkError(error, 'read', context.requestHeaders);
    }
    const end = yield* routePages(context, route, target, sinceId);
    if (lookbackFailure === undefined) return end;
    if (end.error === undefined) return { ...end, error: lookbackFailure };
    if (!context.signal.aborted) context.streamObserver.errorOccurred(lookbackFailure);
    return end;
  }
  return yield* routePages(context, route, target, sinceId);
}
