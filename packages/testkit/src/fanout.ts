import type { StatusJson } from './entities.js';
import { normalizeTag } from './hashtag.js';
import { isLocalAcct } from './identities.js';
import type { StreamName } from './types.js';

/** A status plus the routing facts Mastodon decides before publishing. */
export interface StoredStatus {
  status: StatusJson;
  /** Accounts whose home feed holds the status. */
  homeOf: ReadonlySet<string>;
  /** Lists that hold the status. */
  listIds: ReadonlySet<string>;
  /** Overrides the `acct`-based local/remote decision when set. */
  local?: boolean;
}

/** The channel of one stream: what a connection (or a REST timeline) listens to. */
export interface ChannelKey {
  stream: StreamName;
  accountId?: string;
  tag?: string;
  list?: string;
}

/** Local = author on this server; decided by `acct` having no `@domain` unless overridden. */
export function isLocalStatus(stored: StoredStatus): boolean {
  return stored.local ?? isLocalAcct(stored.status.account.acct);
}

/** Normalised tag names of the status. */
export function statusTags(status: StatusJson): string[] {
  const tags = Array.isArray(status['tags']) ? (status['tags'] as Array<{ name?: unknown }>) : [];
  return tags.flatMap((tag) => (typeof tag.name === 'string' ? [normalizeTag(tag.name)] : []));
}

function hasMedia(status: StatusJson): boolean {
  const media = status['media_attachments'];
  return Array.isArray(media) && media.length > 0;
}

// Hashtag timelines take public statuses that are not boosts; public timelines additionally
// skip replies to other accounts (Mastodon's FanOutOnWriteService rules).
function reachesHashtags(status: StatusJson): boolean {
  return status.visibility === 'public' && (status['reblog'] ?? null) === null;
}

function reachesPublic(status: StatusJson): boolean {
  const repliedTo = status['in_reply_to_account_id'];
  const replyToOther = typeof repliedTo === 'string' && repliedTo !== status.account.id;
  return reachesHashtags(status) && !replyToOther;
}

/**
 * Whether a stored status belongs on a channel, per protocol.md §2: home of the listed
 * accounts, lists, public* (public, non-boost, non-reply-to-others; `:media` needs an
 * attachment; `:local`/`:remote` by author origin) and hashtag* (public, non-boost).
 *
 * @example
 * statusReachesChannel(stored, { stream: 'public:local:media' })
 */
export function statusReachesChannel(stored: StoredStatus, channel: ChannelKey): boolean {
  const { status } = stored;
  const { stream } = channel;
  if (stream === 'user') return channel.accountId !== undefined && stored.homeOf.has(channel.accountId);
  if (stream === 'list') return channel.list !== undefined && stored.listIds.has(channel.list);
  if (stream.startsWith('public')) {
    if (!reachesPublic(status)) return false;
    if (stream.endsWith(':media') && !hasMedia(status)) return false;
    if (stream.startsWith('public:local')) return isLocalStatus(stored);
    if (stream.startsWith('public:remote')) return !isLocalStatus(stored);
    return true;
  }
  if (stream === 'hashtag' || stream === 'hashtag:local') {
    if (!reachesHashtags(status) || channel.tag === undefined) return false;
    if (!statusTags(status).includes(channel.tag)) return false;
    return stream === 'hashtag' || isLocalStatus(stored);
  }
  return false;
}
