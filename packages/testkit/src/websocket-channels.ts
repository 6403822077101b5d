import { normalizeTag } from './hashtag.js';
import { mayStreamList } from './list-access.js';
import { READ_NOTIFICATIONS, READ_STATUSES, hasAnyScope } from './streaming-route.js';
import type { StreamName } from './types.js';
import type { ChannelRefusalReason } from './websocket-rejections.js';

/** The fields of a client `subscribe`/`unsubscribe` message (or of the upgrade URL) as sent. */
export interface ChannelRequest {
  stream: unknown;
  tag: unknown;
  list: unknown;
}

/** A channel a WebSocket can listen to, plus the label its events carry. */
export interface ResolvedChannel {
  stream: StreamName;
  /** Normalised tag (hashtag streams). */
  tag?: string;
  /** List id as text (list stream). */
  list?: string;
  /** `stream` of every event frame: `[name]`, or `[name, tag|list]` exactly as the client sent it. */
  label: ReadonlyArray<string | number>;
  /** Identity of the channel: two subscriptions with the same key are one (Mastodon's channel ids). */
  key: string;
}

/** A failed subscribe or unsubscribe; its error frame depends on the server version. */
export interface ChannelError {
  refusal: ChannelRefusalReason;
}

const WS_STREAM_NAMES: ReadonlySet<string> = new Set<StreamName>([
  'user',
  'user:notification',
  'public',
  'public:media',
  'public:local',
  'public:local:media',
  'public:remote',
  'public:remote:media',
  'hashtag',
  'hashtag:local',
  'list',
  'direct',
]);

/** `stream` may be an array (the server takes its first element, as for repeated query keys). */
export function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Resolves a subscribe request the way 4.5.7 does: scopes first (so an unknown name with a
 * write-only token still reports the scope), then the name, then tag or list.
 *
 * @example
 * resolveSubscription({ stream: 'hashtag', tag: 'Test', list: undefined }, alice, lists)
 * // → { stream: 'hashtag', tag: 'test', label: ['hashtag', 'Test'], key: 'hashtag|test' }
 */
export function resolveSubscription(
  request: ChannelRequest,
  identity: { accountId: string; scopes: readonly string[] },
  lists: Readonly<Record<string, string>>,
): ResolvedChannel | ChannelError {
  const name = firstValue(request.stream);
  const required = name === 'user:notification' ? READ_NOTIFICATIONS : READ_STATUSES;
  if (!hasAnyScope(identity.scopes, required)) return { refusal: 'missing-scope' };
  return resolveChannel(request, identity.accountId, lists);
}

/**
 * Resolves the channel without checking scopes (an unsubscribe does not check them).
 *
 * @example
 * resolveChannel({ stream: 'list', list: 42, tag: undefined }, '1001', { '42': '1001' })
 * // → { stream: 'list', list: '42', label: ['list', 42], key: 'list||42' }
 */
export function resolveChannel(
  request: ChannelRequest,
  accountId: string,
  lists: Readonly<Record<string, string>>,
): ResolvedChannel | ChannelError {
  const name = firstValue(request.stream);
  if (typeof name !== 'string' || !WS_STREAM_NAMES.has(name)) return { refusal: 'unknown-stream' };
  const stream = name as StreamName;
  if (stream === 'hashtag' || stream === 'hashtag:local') return resolveHashtag(stream, request.tag);
  if (stream === 'list') return resolveList(request.list, accountId, lists);
  return { stream, label: [stream], key: stream };
}

function resolveHashtag(stream: 'hashtag' | 'hashtag:local', tag: unknown): ResolvedChannel | ChannelError {
  if (!tag) return { refusal: 'missing-tag' };
  // The server normalises the tag as a string; anything else throws inside it (not captured).
  if (typeof tag !== 'string') return { refusal: 'tag-not-text' };
  const normalised = normalizeTag(tag);
  return { stream, tag: normalised, label: [stream, tag], key: `${stream}|${normalised}` };
}

function resolveList(list: unknown, accountId: string, lists: Readonly<Record<string, string>>): ResolvedChannel | ChannelError {
  if (!list) return { refusal: 'missing-list' };
  // A JSON number works like its digits: the database compares it as a bigint.
  const id = typeof list === 'string' || typeof list === 'number' ? String(list) : '';
  if (!mayStreamList(id, accountId, lists)) return { refusal: 'list-not-authorized' };
  return { stream: 'list', list: id, label: ['list', list as string | number], key: `list||${id}` };
}

/** True when `value` is a refusal rather than a channel. */
export function isChannelError(value: ResolvedChannel | ChannelError): value is ChannelError {
  return 'refusal' in value;
}
