import type { RestHttp } from './rest.js';
import type { Clock, RandomSource } from './clock.js';
import type { TootstreamError } from './errors.js';
import { fetchWithRateLimit, readTimelinePage, timelineUrl } from './catch-up-fetch.js';
import { aboveProbe, feedFailure, feedProbe, reachProbe } from './catch-up-feed-probes.js';
// Still reachable here for the modules that import them from catch-up.ts (catch-up-lookback.ts).
export { fetchWithRateLimit, readTimelinePage };
import { parseLinkHeader } from './link-header.js';
import { redactCredentials } from './redact.js';
import type { CatchUpPolicy } from './options.js';
import type { StreamObserver } from './stream-observer.js';
import type { StreamRequest } from './stream-names.js';
import { kit } from './up-front-kit.js';

/** A backfilled REST item: a status, a notification or a conversation. */
export type BackfillPayload = { id: string; created_at?: string; last_status?: { id?: unknown } | null };

/** What a catch-up route backfills; also the `route` of its progress reports and the gap kind when it fails. */
export type RouteKind = 'statuses' | 'notifications' | 'conversations';

/**
 * Where an item sits in its timeline. Mastodon pages conversations by the id
 * of their newest status (`min_id` and the Link header are status ids), not
 * by the conversation's own id, which is older for an old conversation with
 * a new message.
 */
function pagingKeyOf(route: RouteKind, item: BackfillPayload): unknown {
  return route === 'conversations' ? item?.last_status?.id : item?.id;
}

/** How a route's walk ended. */
export interface RouteEnd {
  /** True when the page budget ran out before the gap was closed. */
  exhausted: boolean;
  /** Set when the route failed; the pages before the failure were delivered. */
  error?: TootstreamError;
  /** Where a walk that stopped before the end (budget or failure) stopped: the paging id above which it fetched nothing. */
  afterId?: string | undefined;
}

/** What one catch-up run needs. */
export interface CatchUpContext {
  http: RestHttp;
  /** The REST timeout: ky applies it to the headers, and each page body gets as long again. */
  timeoutMs: number;
  apiBase: string;
  resolvedRequest: StreamRequest;
  catchUpPolicy: CatchUpPolicy;
  requestHeaders: Record<string, string>;
  signal: AbortSignal;
  clockSource: Clock;
  randomSource: RandomSource;
  /** Where progress, gaps and failures are reported (the stream's hooks). */
  streamObserver: Pick<StreamObserver, 'callHook' | 'errorOccurred'>;
}

/**
 * The most items Mastodon serves per page of each route (`limit_param`: twice the default). A page
 * shorter than what was asked for is the walk's end, so asking for more than the server serves would
 * take its first full page for the last one and lose the rest of the gap without a word.
 */
const MAX_PAGE_SIZE: Readonly<Record<RouteKind, number>> = { statuses: 40, notifications: 80, conversations: 40 };

/** A REST timeline: path and fixed query. */
export interface TimelineRoute {
  path: string;
  query: Record<string, string>;
  /** Served from a Redis feed (home, list), whose pages can be short while more follow (see routePages). */
  fromFeed?: true;
}

/** The REST timeline that mirrors a stream's statuses. */
export function statusRoute(request: StreamRequest): TimelineRoute | undefined {
  const name = request.name;
  if (name === 'user') return { path: 'api/v1/timelines/home', query: {}, fromFeed: true };
  if (name.startsWith('public')) {
    const query: Record<string, string> = {};
    if (name.startsWith('public:local')) query.local = 'true';
    if (name.startsWith('public:remote')) query.remote = 'true';
    if (name.endsWith(':media')) query.only_media = 'true';
    return { path: 'api/v1/timelines/public', query };
  }
  // A tag or list id of dots would be a `.`/`..` path segment (URL parsers treat `%2E` as a dot there too) and
  // climb out of the timeline's path: no server has such a tag or list, so there is nothing to catch up.
  const segment = encodeURIComponent(request.params.tag ?? request.params.list ?? '');
  if (/^\.\.?$/.test(segment)) return undefined;
  if (name === 'hashtag' || name === 'hashtag:local') {
    return { path: `api/v1/timelines/tag/${segment}`, query: name === 'hashtag:local' ? { local: 'true' } : {} };
  }
  if (name === 'list') return { path: `api/v1/timelines/list/${segment}`, query: {}, fromFeed: true };
  return undefined;
}

/**
 * Walks a timeline forward from `sinceId` with `min_id` (each page holds the
 * oldest items above the cursor), following the `prev` Link when it stays on
 * the same origin, until a page brings nothing new (protocol.md §12.2: an
 * empty one), a short page (on home and list, with nothing listed above it), or the page budget. Yields each page oldest first, as soon as
 * it arrives, so a long backfill never sits in memory whole. A rate limit
 * (429, 503) or a home feed being regenerated (206) is waited out
 * (`Retry-After`, else `X-RateLimit-Reset`, else 1, 2, 4 s; past it by up to
 * half of it, jittered) up to 3 times and 5 minutes each; a longer one ends
 * the walk. Never throws: a failure ends the walk with `error`. On home and
 * list, a short or empty page ends the walk only when the feed lists nothing above it,
 * and a long walk checks that the feed still reaches back to `sinceId`
 * (catch-up-feed-probes.ts).
 */
export async function* routePages(
  context: CatchUpContext,
  route: RouteKind,
  target: TimelineRoute,
  sinceId: string,
): AsyncGenerator<BackfillPayload[], RouteEnd, void> {
  const limit = Math.min(context.catchUpPolicy.pageSize, MAX_PAGE_SIZE[route]);
  let url = timelineUrl(context, target, { min_id: sinceId, limit: String(limit) });
  // Pages follow one another upwards; anything at or below what was already yielded is an overlap.
  let newestYielded = sinceId;
  let fetched = 0;
  // Set when an empty page of a feed had statuses listed above it: the page is asked for once more, since one that
  // reached the feed after the empty page (the live connection delivers it) would have made the walk fail for nothing.
  let pastEmptyPage = false;
  // Cleared once the walk reached the end: a probe that fails then leaves nothing above unfetched.
  let stoppedAt: string | undefined = sinceId;
  // Where the live connection's coverage surely began (see liveCoverageFrom); unknown for notifications, whose ids are
  // not times, and for ids that are not decimal (GoToSocial's ULIDs).
  let liveFrom: string | undefined;
  try {
    for (let page = 1; page <= context.catchUpPolicy.maxPages; page++) {
      const pageUrl = url;
      const response = await fetchWithRateLimit(context, url);
      const items = await readTimelinePage(response, limit, context);
      if (page === 1 && route !== 'notifications') liveFrom = liveCoverageFrom(response);
      const above = oldestFirstAbove(items, newestYielded, route);
      const fresh = above.map(([, item]) => item);
      stoppedAt = newestYielded = above.at(-1)?.[0] ?? newestYielded;
      // Past where the live connection surely covers: what is newer it delivers (dedupe drops the second copy). A busy
      // stream's walk otherwise chased its newest statuses page after page, to the budget and a false budget-exhausted.
      const reachedLive = liveFrom !== undefined && /^\d+$/.test(newestYielded) && kit.compareIdStrings(newestYielded, liveFrom) >= 0;
      url = nextPageUrl(response, url, newestYielded, context.requestHeaders);
      fetched += items.length;
      // On home and list timelines a short page does not prove the end: Mastodon serves them from a Redis feed, counts
      // the page there and then leaves out what the database no longer has (a status deleted since), so their pages can
      // be short, or empty, while more follow. Whether anything is listed above is asked instead (the probe reads the
      // feed from the top); it takes the place of the empty page that used to confirm the end, so it costs nothing more.
      let listedAbove = false;
      // A probe that fails fails the walk as a page does, once this page's statuses are delivered.
      let probeFailure: unknown;
      if (target.fromFeed && items.length < limit && !reachedLive) {
        // Empty again with statuses above: deleted ones fill every page from here.
        if (pastEmptyPage && items.length === 0) return { exhausted: false, error: walkFailure(feedFailure(true, limit, pageUrl)), afterId: newestYielded };
        try {
          const { items: newest } = await feedProbe(context, target, aboveProbe(newestYielded), limit);
          listedAbove = oldestFirstAbove(newest, newestYielded, route).length > 0;
        } catch (error) {
          probeFailure = error ?? new Error('probe failed');
        }
      }
      pastEmptyPage = listedAbove && items.length === 0;
      // The other routes page in SQL with every filter in the query, so a short page is the end, and what comes after
      // it the live connection (open first) delivers: asking again cost a request per route and reconnect, and on a busy
      // stream, whose pages are never empty, it paged on to the budget. A short page of old items is a server ignoring
      // `min_id`: the end too.
      const finished = reachedLive || (items.length < limit && !listedAbove && probeFailure === undefined);
      context.streamObserver.callHook('onCatchUpProgress', { route, page, fetched, done: finished });
      if (fresh.length > 0) yield fresh;
      if (probeFailure !== undefined) throw probeFailure;
      if (finished) {
        stoppedAt = undefined;
        return await walkEnd(context, route, target, sinceId, fetched, limit, stoppedAt);
      }
      // A full page with nothing newer than the cursor: the server ignores `min_id`, and every
      // further page would repeat this one, spending the page budget and the rate limit for nothing.
      if (fresh.length === 0 && !pastEmptyPage) return { exhausted: false, error: walkFailure('the timeline does not page forward (min_id ignored)'), afterId: newestYielded };
    }
    return await walkEnd(context, route, target, sinceId, fetched, limit, newestYielded);
  } catch (error) {
    return { exhausted: false, error: kit.isTootstream(error) ? error : kit.toNetworkError(error, 'read', context.requestHeaders), afterId: stoppedAt };
  }
}

/** The smallest status id of `epochMs` (ids are milliseconds << 16), as ids.ts has it; imported, it would split the up-front code (up-front-kit.ts). */
export const statusIdAt = (epochMs: number): string => (BigInt(Math.max(0, Math.floor(epochMs))) << 16n).toString();

/**
 * How late after a page's answer the live connection surely covers what is created: `Date` has whole seconds (up to one
 * early), and Mastodon subscribes a connection to its channels just after writing its headers, which a loaded server
 * can take a moment over.
 */
const LIVE_COVERAGE_MARGIN_MS = 3_000;

/**
 * The status id from which the live connection delivers everything, by the first page's `Date` (the server's clock,
 * which issues the ids): the connection was open before that page was asked for, so a status created after the answer
 * is pushed to it, however late its push. Undefined without a readable `Date` (a browser hides it cross-origin).
 */
function liveCoverageFrom(response: Response): string | undefined {
  const answeredAt = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(answeredAt) ? undefined : statusIdAt(answeredAt + LIVE_COVERAGE_MARGIN_MS);
}

/** A walk that fails though every page answered. */
const walkFailure = (message: string): TootstreamError => new kit.ApiError(200, message);

/**
 * How a walk ends: as it stopped (`stoppedAt` when the page budget ran out), unless it walked a feed
 * long enough for a trim past `sinceId` (see reachProbe) and the feed lists nothing at or below it any
 * more. The statuses between the cursor and the oldest entry left are then lost: a failure, with
 * `afterId` only when the budget stopped the walk too (what is above it was not fetched either).
 * Throws as a page does.
 */
async function walkEnd(context: CatchUpContext, route: RouteKind, target: TimelineRoute, sinceId: string, fetched: number, limit: number, stoppedAt: string | undefined): Promise<RouteEnd> {
  const asStopped: RouteEnd = stoppedAt === undefined ? { exhausted: false } : { exhausted: true, afterId: stoppedAt };
  const reach = target.fromFeed && reachProbe(sinceId, fetched, limit);
  if (!reach) return asStopped;
  const { items, url } = await feedProbe(context, target, reach, limit);
  if (oldestFirstAbove(items, sinceId, route).length < items.length) return asStopped;
  return { exhausted: false, error: walkFailure(feedFailure(false, limit, url, sinceId)), afterId: stoppedAt };
}

function nextPageUrl(response: Response, current: URL, newestId: string, requestHeaders: Record<string, string>): URL {
  const prev = parseLinkHeader(response.headers.get('link')).get('prev');
  if (prev !== undefined && URL.canParse(prev, current)) {
    const candidate = new URL(prev, current);
    // Never send the token to another origin, whatever the server links to, nor put it in a URL (logged by every proxy)
    // when a server echoes it into its links.
    if (candidate.origin === current.origin && redactCredentials(candidate.href, requestHeaders) === candidate.href) return candidate;
  }
  // No usable link: page on from the newest id seen.
  const next = new URL(current);
  next.searchParams.set('min_id', newestId);
  next.searchParams.delete('max_id');
  next.searchParams.delete('since_id');
  return next;
}

/** The page's items above `floorKey`, each once, oldest first, with their paging keys. */
export function oldestFirstAbove(items: BackfillPayload[], floorKey: string, route: RouteKind): [key: string, item: BackfillPayload][] {
  const keyed = new Map<string, BackfillPayload>();
  for (const item of items) {
    const key = pagingKeyOf(route, item);
    if (typeof key === 'string' && kit.compareIdStrings(key, floorKey) > 0 && !keyed.has(key)) keyed.set(key, item);
  }
  return [...keyed].sort((left, right) => kit.compareIdStrings(left[0], right[0]));
}
