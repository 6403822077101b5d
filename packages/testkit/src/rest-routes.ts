import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusJson } from './entity-json.js';
import { renderForReader } from './reader-rendering.js';
import type { ChannelKey } from './fanout.js';
import { hiddenFromPublicFeed } from './feed-relationships.js';
import { railsTagName } from './hashtag.js';
import { instanceV1, instanceV2, type InstanceFacts } from './instance.js';
import { linkHeader, paginate, readPageRequest } from './pagination.js';
import { isLocalStatus, type StoredStatus } from './fanout.js';
import { authenticateRest, extractRestToken, requireRestUser, type RestIdentity } from './rest-authentication.js';
import { restEndpointRule } from './rest-endpoint-rules.js';
import { STATUS_ACTION_PATH, answerStatusAction, type StatusActionContext } from './rest-status-actions.js';
import { hasRailsBadlyEncodedPath, railsPathParam, sendRailsBadPath } from './rails-bad-path.js';
import { railsBadQuery, readsQueryBeforeThrottling } from './rails-bad-query.js';
import { isRailsTruthy, railsQueryValue, type RailsParams } from './rails-params.js';
import { browserable } from './notification-browsing.js';
import { feedRequiresUser, visibleOrigins, type FeedOrigins, type RequestedOrigins } from './rest-feed-access.js';
import type { RateLimitCounter, RateLimitSubject } from './rest-rate-limit.js';
import { isOnlyMedia } from './streaming-route.js';
import type { TimelinesAccess } from './timelines-access.js';
import type { FakeToken } from './types.js';
import type { ViewerDirectory } from './viewers.js';
import { answerStatus, answerStatusesById } from './rest-statuses.js';
import { isRailsApiPath, railsRoutePath, sendUnknownRoute } from './rails-unknown-route.js';

/** Everything the REST routes read; the status writes' part (tokens, standing, store, viewers, …) is {@link StatusActionContext}. */
export interface RestContext extends StatusActionContext {
  baseUrl: () => string;
  instanceFacts: () => InstanceFacts;
  instanceV2Enabled: boolean;
  lists: Readonly<Record<string, string>>;
  /** The server's `timelines_access`, which public and tag timelines obey (4.5+). */
  timelinesAccess: () => TimelinesAccess;
  /** The account's `view_feeds` permission, which opens `disabled` feeds. */
  canViewDisabledFeeds: (accountId: string) => boolean;
}

const REST_PATTERNS = [
  /^\/api\/v[12]\/instance$/,
  /^\/api\/v1\/timelines\/(home|public)$/,
  /^\/api\/v1\/timelines\/(tag|list)\/[^/]+$/,
  /^\/api\/v1\/notifications$/,
  /^\/api\/v1\/conversations$/,
  /^\/api\/v1\/statuses(\/[^/]+)?$/,
  STATUS_ACTION_PATH,
];

/** True for the paths this fake answers as the Rails API. */
export function isRestPath(path: string): boolean {
  const routed = railsRoutePath(path);
  return REST_PATTERNS.some((pattern) => pattern.test(routed));
}

/** Sends a Rails-style JSON response. */
export function sendRestJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // Every REST 401 here is Doorkeeper's invalid_token, whose headers doorkeeper_render_error merges into the answer: RFC
  // 6750's challenge, with the same description Mastodon puts in the body. (Its 403 for a missing scope drops the header.)
  const description = (body as { error?: unknown } | null)?.error;
  const challenge = status === 401 && typeof description === 'string' ? { 'WWW-Authenticate': `Bearer realm="Doorkeeper", error="invalid_token", error_description="${description}"` } : {};
  sendRails(res, status, JSON.stringify(body), 'application/json; charset=utf-8', { ...headers, ...challenge });
}

/**
 * A `failNext` answer on a path Rails would serve, in Rails' header layout (no `X-Powered-By:
 * Express`); a 429 as Rack::Attack's. `holdOpen` sends the body without a length and never
 * finishes, as a stalled proxy does.
 */
export function sendRailsScripted(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string>, holdOpen = false): void {
  sendRails(res, status, body, contentType, headers, { fromRackAttack: status === 429, holdOpen });
}

/**
 * Rack::Attack's throttled responder (rack_attack.rb) answers before Rails: its own bare
 * `application/json` and none of the API controllers' `Cache-Control: private, no-store`.
 */
function sendThrottled(res: ServerResponse, headers: Record<string, string>): void {
  sendRails(res, 429, JSON.stringify({ error: 'Too many requests' }), 'application/json', headers, { fromRackAttack: true });
}

/** The header layout every Rails answer shares; `fromRackAttack` leaves out what only the API controllers set. */
function sendRails(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string>,
  { fromRackAttack = false, holdOpen = false } = {},
): void {
  res.setHeader('Content-Type', contentType);
  if (!fromRackAttack) res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Request-Id', randomUUID());
  res.setHeader('Access-Control-Allow-Origin', '*');
  // Mastodon's rack-cors rule for /api/* (config/initializers/cors.rb) lets a page read these: a browser client pages
  // with Link and waits out X-RateLimit-Reset, as it does against a real instance.
  res.setHeader('Access-Control-Expose-Headers', 'Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!holdOpen) res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(status);
  if (holdOpen) res.write(body);
  else res.end(body);
}

/**
 * Who Rack::Attack counts the request against: Doorkeeper's token (revoked ones too) and its user,
 * else the address. Its request is a bare Rack::Request, whose params are the query merged with a
 * form body (the form wins); a JSON body is parsed only later, by Rails, so it names nobody here.
 */
function rateLimitSubjectOf(req: IncomingMessage, query: URLSearchParams, tokens: ReadonlyMap<string, FakeToken>, body: RailsParams): RateLimitSubject {
  const rackParams = new URLSearchParams(query);
  if (!/json/i.test(req.headers['content-type'] ?? '')) {
    for (const [name, value] of Object.entries(body)) if (typeof value === 'string') rackParams.set(name, value);
  }
  const token = extractRestToken(req.headers, rackParams);
  const known = token === undefined ? undefined : tokens.get(token);
  const paging = ['page', 'min_id', 'max_id', 'since_id'].some((name) => (railsQueryValue(rackParams, name) ?? '').trim() !== '');
  return {
    ...(known ? { token } : {}),
    ...(known && !known.appOnly ? { userId: known.accountId } : {}),
    ip: req.socket.remoteAddress ?? '',
    paging,
  };
}

/** The named query parameters; a name ending in `[]` keeps all its values, as Rails' `permit(types: [])` does. */
function keep(query: URLSearchParams, names: string[]): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of names) {
    const value = name.endsWith('[]') ? query.getAll(name) : railsQueryValue(query, name);
    if (value !== null && value.length !== 0) kept[name] = value;
  }
  return kept;
}

/**
 * Answers the REST endpoints needed for discovery and gap catch-up (protocol.md §4.1, §12), and
 * every other `/api` path outside the streaming API as Rails' unknown route. Returns false for
 * the paths it leaves to the streaming server.
 *
 * @example
 * if (!handleRest(req, res, '/api/v1/timelines/home', query, ctx, rateLimits)) streaming(req, res)
 */
export function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  ctx: RestContext,
  rateLimits: RateLimitCounter,
  bodyParams: RailsParams = {},
): boolean {
  const served = isRestPath(path);
  // The streaming server's decision is the raw path's (`/api/v1//streaming/user` stays a Rails path, as it was).
  if (!served && !isRailsApiPath(path)) return false;
  path = railsRoutePath(path);
  const badQuery = railsBadQuery(req.url ?? '');
  // Rack::Attack's first read of a query Rack cannot unescape raises, before counting unless a Bearer header names the caller.
  if (badQuery === 'malformed' && readsQueryBeforeThrottling(req.headers)) return sendRailsBadPath(req.headers, res), true;
  const limitSubject = rateLimitSubjectOf(req, query, ctx.tokens, bodyParams);
  const exhausted = rateLimits.takeExhausted(limitSubject);
  // Mastodon's throttle answers before any routing or authentication, without Retry-After.
  if (exhausted) return sendThrottled(res, exhausted), true;
  // Rack::Attack counts every /api request, routed or not.
  const limitHeaders = rateLimits.headers(limitSubject);
  if (badQuery === 'malformed') return sendRailsBadPath(req.headers, res), true;
  // Then the router, whose check of the path parameters' encoding comes before any controller, whose query check is next.
  if (hasRailsBadlyEncodedPath(path)) return sendRailsBadPath(req.headers, res), true;
  if (badQuery === 'not-utf8') return sendRailsBadPath(req.headers, res), true;
  if (!served) return sendUnknownRoute(req.headers, res), true;
  const fail = (status: number, error: string): true => {
    sendRestJson(res, status, { error }, limitHeaders);
    return true;
  };
  const action = answerStatusAction(req.method, path, req.headers, query, bodyParams, ctx);
  if (action === 'unknown-route') return sendUnknownRoute(req.headers, res), true;
  if (action) return sendRestJson(res, action.status, action.body, limitHeaders), true;
  // Only these reads and the status writes have routes here; other methods match none.
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendUnknownRoute(req.headers, res), true;

  if (path === '/api/v1/instance') return sendRestJson(res, 200, instanceV1(ctx.instanceFacts()), limitHeaders), true;
  if (path === '/api/v2/instance') {
    // A server before 4.0 has no such route: Rails' catch-all answers it, as any unknown path.
    if (!ctx.instanceV2Enabled) return sendUnknownRoute(req.headers, res), true;
    return sendRestJson(res, 200, instanceV2(ctx.instanceFacts()), limitHeaders), true;
  }

  const rule = restEndpointRule(path);
  if (!rule) return fail(404, 'Record not found');
  const auth = authenticateRest(req.headers, query, ctx.tokens, ctx.standing, rule.acceptedScopes, rule.token);
  if (auth && 'error' in auth) return fail(auth.status, auth.error);
  // doorkeeper_authorize! without any token: Doorkeeper's 401, before require_user! is reached.
  if (!auth && rule.token === 'required') return fail(401, 'The access token is invalid');
  const feed = openFeedOf(path, query, ctx.timelinesAccess());
  if (rule.alwaysNeedsUser || (feed && feedRequiresUser(feed.access, feed.requested))) {
    if (!auth) return fail(422, 'This method requires an authenticated user');
    const refusal = requireRestUser(auth, ctx.standing);
    if (refusal) return fail(refusal.status, refusal.error);
  }
  // An app token has no account, so nothing is rendered for a viewer.
  const viewer = auth && !auth.appOnly ? auth.accountId : undefined;
  const url = `${ctx.baseUrl()}${path}`;

  if (path === '/api/v1/notifications') {
    const page = readPageRequest(query, 40, 80);
    const items = paginate(ctx.store.notificationsOf(viewer ?? '').filter(browserable(query)), page);
    const link = linkHeader(url, keep(query, ['limit', 'account_id', 'include_filtered', 'types[]', 'exclude_types[]']), items, page.limit);
    return sendRestJson(res, 200, items, { ...limitHeaders, ...(link ? { Link: link } : {}) }), true;
  }

  if (path === '/api/v1/conversations') {
    const page = readPageRequest(query, 20, 40);
    const items = paginate(ctx.store.conversationsOf(viewer ?? ''), page);
    const link = linkHeader(url, keep(query, ['limit']), items, page.limit, true);
    return sendRestJson(res, 200, items.map((item) => item.conversation), { ...limitHeaders, ...(link ? { Link: link } : {}) }), true;
  }

  if (path === '/api/v1/statuses' || path.startsWith('/api/v1/statuses/')) {
    const answer =
      path === '/api/v1/statuses'
        ? answerStatusesById(query, viewer, ctx)
        : answerStatus(railsPathParam(path.slice('/api/v1/statuses/'.length)), viewer, ctx);
    return sendRestJson(res, answer.status, answer.body, limitHeaders), true;
  }

  let channel: ChannelKey;
  let kept: Record<string, string | string[]>;
  if (path === '/api/v1/timelines/home') {
    channel = { stream: 'user', accountId: viewer ?? '' };
    kept = keep(query, ['local', 'limit']);
  } else if (path === '/api/v1/timelines/public') {
    // Origins are picked below, from `local`/`remote` and the feed access together.
    channel = { stream: isOnlyMedia(railsQueryValue(query, 'only_media')) ? 'public:media' : 'public' };
    kept = keep(query, ['limit', 'local', 'remote', 'only_media']);
  } else if (path.startsWith('/api/v1/timelines/tag/')) {
    channel = { stream: 'hashtag', tag: railsTagName(railsPathParam(path.slice('/api/v1/timelines/tag/'.length))) };
    kept = keep(query, ['limit', 'local', 'only_media']);
  } else {
    const list = railsPathParam(path.slice('/api/v1/timelines/list/'.length));
    if (ctx.lists[list] === undefined || ctx.lists[list] !== viewer) return fail(404, 'Record not found');
    channel = { stream: 'list', list };
    kept = keep(query, ['limit']);
  }
  const page = readPageRequest(query, 20, 40);
  const origins = feed && visibleOrigins(feed.access, feed.requested, feedReader(auth, ctx));
  const ofVisibleOrigin = (stored: StoredStatus): boolean => !origins || (isLocalStatus(stored) ? origins.local : origins.remote);
  const readerKeeps = readerFilter(channel, viewer, ctx.viewers);
  // Home and lists come from their Redis feed (trimmed to 800, counting entries whose status is gone); the rest from SQL.
  const items: StatusJson[] =
    ctx.store.feedTimeline(channel, page) ?? paginate(ctx.store.timeline(channel, (stored) => ofVisibleOrigin(stored) && readerKeeps(stored.status)), page);
  const link = linkHeader(url, kept, items, page.limit);
  const body = viewer ? items.map((status) => renderForReader(status, viewer, ctx.viewers, 'batch')) : items;
  return sendRestJson(res, 200, body, { ...limitHeaders, ...(link ? { Link: link } : {}) }), true;
}

/**
 * What the signed-in reader's blocks, mutes, domain blocks (and, on the public timeline, chosen
 * languages) leave on a public or tag timeline, as PublicFeed and TagFeed scope them at each
 * request. Home and lists are read as stored: FeedManager filtered them when statuses were
 * pushed and cleared them when the reader blocked or muted. Anonymous readers see all.
 */
function readerFilter(channel: ChannelKey, viewer: string | undefined, viewers: ViewerDirectory): (status: StatusJson) => boolean {
  if (viewer === undefined || channel.stream === 'user' || channel.stream === 'list') return () => true;
  const languages = channel.stream.startsWith('public');
  return (status) => !hiddenFromPublicFeed(status, viewer, viewers, { languages });
}

/** The `timelines_access` feed a public or tag timeline request reads, with the origins it asks for. */
function openFeedOf(path: string, query: URLSearchParams, access: TimelinesAccess): { access: FeedOrigins; requested: RequestedOrigins } | undefined {
  const requested = { local: isRailsTruthy(railsQueryValue(query, 'local')), remote: isRailsTruthy(railsQueryValue(query, 'remote')) };
  if (path === '/api/v1/timelines/public') return { access: access.liveFeeds, requested };
  if (path.startsWith('/api/v1/timelines/tag/')) return { access: access.hashtagFeeds, requested };
  return undefined;
}

function feedReader(auth: RestIdentity | undefined, ctx: RestContext): { isFunctionalUser: boolean; canViewDisabledFeeds: boolean } {
  const account = auth && !auth.appOnly ? auth.accountId : undefined;
  return {
    isFunctionalUser: account !== undefined && !ctx.standing.isBarred(account),
    canViewDisabledFeeds: account !== undefined && ctx.canViewDisabledFeeds(account),
  };
}

