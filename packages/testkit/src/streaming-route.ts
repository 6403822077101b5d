import type { IncomingHttpHeaders } from 'node:http';
import { normalizeTag } from './hashtag.js';
import { mayStreamList } from './list-access.js';
import { asPostgresParameter, streamingQueryValue } from './streaming-query.js';
import { streamRejection, type RejectedStream } from './streaming-rejections.js';
import type { FakeToken, StreamName } from './types.js';

/** A stream request that passed every check of protocol.md §6. */
export interface AcceptedStream {
  stream: StreamName;
  tag?: string;
  list?: string;
  token: string;
  accountId: string;
  scopes: string[];
}

/** Scopes of which any one opens every stream except `user:notification`. */
export const READ_STATUSES: readonly string[] = ['read', 'read:statuses'];
/** Scopes of which any one opens `user:notification` (and adds notifications to `user`). */
export const READ_NOTIFICATIONS: readonly string[] = ['read', 'read:notifications'];
const FALSY_ONLY_MEDIA = new Set(['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);

/** The channel a stream path names and the scopes of which any one may read it. */
export interface PathRule {
  base: 'user' | 'user:notification' | 'public' | 'public:local' | 'public:remote' | 'hashtag' | 'hashtag:local' | 'list' | 'direct';
  scopes: readonly string[];
}

const PATHS: Readonly<Record<string, PathRule>> = {
  '/api/v1/streaming/user': { base: 'user', scopes: READ_STATUSES },
  '/api/v1/streaming/user/notification': { base: 'user:notification', scopes: READ_NOTIFICATIONS },
  '/api/v1/streaming/public': { base: 'public', scopes: READ_STATUSES },
  '/api/v1/streaming/public/local': { base: 'public:local', scopes: READ_STATUSES },
  '/api/v1/streaming/public/remote': { base: 'public:remote', scopes: READ_STATUSES },
  '/api/v1/streaming/hashtag': { base: 'hashtag', scopes: READ_STATUSES },
  '/api/v1/streaming/hashtag/local': { base: 'hashtag:local', scopes: READ_STATUSES },
  '/api/v1/streaming/list': { base: 'list', scopes: READ_STATUSES },
  '/api/v1/streaming/direct': { base: 'direct', scopes: READ_STATUSES },
};

/** True for the exact stream paths of protocol.md §2 (health excluded). */
export function isStreamPath(path: string): boolean {
  return Object.hasOwn(PATHS, path);
}

/** The `Authorization` header's token: an exact `Bearer ` prefix stripped, anything else verbatim. */
function tokenFromAuthorization({ authorization }: IncomingHttpHeaders): string | undefined {
  if (authorization) return authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
  return undefined;
}

/**
 * Token of a streaming request, SSE or WebSocket upgrade (protocol.md §3.1): `Authorization` (an
 * exact `Bearer ` prefix is stripped, anything else is taken verbatim), the `access_token` query
 * parameter, then the whole `Sec-WebSocket-Protocol` value, which is the only thing a
 * browser WebSocket can set. Mastodon's `accountFromRequest` serves both transports, so a plain
 * SSE GET may use it too (REST, Doorkeeper, does not). A repeated `access_token` is an array
 * there, which the token query receives as a Postgres array literal that matches no token.
 */
export function extractUpgradeToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const fromHeader = tokenFromAuthorization(headers);
  if (fromHeader !== undefined) return fromHeader;
  const fromQuery = streamingQueryValue(query, 'access_token');
  if (fromQuery) return asPostgresParameter(fromQuery);
  const protocol = headers['sec-websocket-protocol'];
  return protocol ? protocol : undefined;
}

/** `only_media` selects the media variant unless absent, empty or a recognised false value. */
export function isOnlyMedia(value: string | null): boolean {
  return value !== null && value !== '' && !FALSY_ONLY_MEDIA.has(value);
}

// utils.js isTruthy: `value && !FALSE_VALUES.includes(value)`, so the array of a repeated key is
// true whatever its values.
function isTruthyParam(value: string | string[] | undefined): boolean {
  return Array.isArray(value) || isOnlyMedia(value ?? null);
}

/** True when the scopes grant one of `accepted`. */
export function hasAnyScope(scopes: readonly string[], accepted: readonly string[]): boolean {
  return accepted.some((scope) => scopes.includes(scope));
}

/** Notifications reach a `user` stream only with `read` or `read:notifications`. */
export function canReadNotifications(scopes: readonly string[]): boolean {
  return hasAnyScope(scopes, READ_NOTIFICATIONS);
}

/** A stream request whose path names a channel and whose token may read it. */
export interface AuthenticatedStream {
  rule: PathRule;
  token: string;
  config: FakeToken;
  scopes: string[];
}

/**
 * The checks of 4.5.7's `authenticationMiddleware`, which runs for every method before any
 * route: the path must name a channel (`channelNameFromPath`), then the token must be usable
 * (`accountFromRequest`) and carry the channel's scopes (`checkScopes`).
 *
 * @example
 * authenticateStream('/api/v1/streaming/user', new URLSearchParams(), headers, (t) => standing.usableToken(t))
 * // → { rule: { base: 'user', … }, token: 'peer-test-token', … }
 */
export function authenticateStream(
  path: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  usableToken: (token: string) => FakeToken | undefined,
): AuthenticatedStream | RejectedStream {
  const rule = PATHS[path];
  if (!rule) return streamRejection('unknown-channel');
  const token = extractUpgradeToken(headers, query);
  if (token === undefined) return streamRejection('missing-token');
  const config = usableToken(token);
  if (!config) return streamRejection('invalid-token');
  const scopes = config.scopes ?? ['read', 'write', 'follow', 'push'];
  if (!hasAnyScope(scopes, rule.scopes)) return streamRejection('missing-scope');
  return { rule, token, config, scopes: [...scopes] };
}

/**
 * Applies the checks of protocol.md §6 in order; the first failure answers, in 4.5.7's wording
 * (see {@link streamRejection} for the older one).
 *
 * @example
 * resolveStream('/api/v1/streaming/hashtag', new URLSearchParams('tag=Test'), headers, (t) => standing.usableToken(t), lists)
 * // → { stream: 'hashtag', tag: 'test', token: 'peer-test-token', accountId: '1001', … }
 */
export function resolveStream(
  path: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
  usableToken: (token: string) => FakeToken | undefined,
  lists: Readonly<Record<string, string>>,
): AcceptedStream | RejectedStream {
  const authenticated = authenticateStream(path, query, headers, usableToken);
  if ('error' in authenticated) return authenticated;
  const { rule, token, config, scopes } = authenticated;
  const accepted: AcceptedStream = { stream: rule.base, token, accountId: config.accountId, scopes };

  // Repeated keys arrive as arrays (see streamingQueryValue); channelNameToIds only tests them
  // for truthiness before use.
  if (rule.base === 'hashtag' || rule.base === 'hashtag:local') {
    const tag = streamingQueryValue(query, 'tag');
    if (!tag) return streamRejection('missing-tag');
    // normalizeHashtag calls `str.normalize`, which an array lacks: the TypeError is answered 500.
    if (typeof tag !== 'string') return streamRejection('internal');
    accepted.tag = normalizeTag(tag);
  } else if (rule.base === 'list') {
    const list = streamingQueryValue(query, 'list');
    if (!list) return streamRejection('missing-list');
    const id = asPostgresParameter(list);
    if (!mayStreamList(id, config.accountId, lists)) return streamRejection('list-not-authorized');
    accepted.list = id;
  } else if (rule.base.startsWith('public') && isTruthyParam(streamingQueryValue(query, 'only_media'))) {
    accepted.stream = `${rule.base}:media` as StreamName;
  }
  return accepted;
}
