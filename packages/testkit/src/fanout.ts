import type { StatusJson } from './entity-json.js';
import { railsTagName } from './hashtag.js';
import { isLocalAcct } from './identities.js';
import type { StreamName } from './types.js';

/** A status plus the routing facts Mastodon decides before publishing. */
export interface StoredStatus {
  status: StatusJson;
  /** Accounts whose home feed holds the status; a block or mute can take the status out later. */
  homeOf: Set<string>;
  /** Lists that hold the status; a block or mute can take the status out later. */
  listIds: Set<string>;
  /** Overrides the `acct`-based local/remote decision when set. */
  local?: boolean;
  /** Accounts an edit took out of `mentions`, whose mentions Mastodon keeps as silent ones (see storeEditMentions). */
  silentMentionIds?: Set<string>;
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

/** The status's tags as Rails names them: the hashtag channels it publishes the status to. */
export function statusTags(status: StatusJson): string[] {
  const tags = Array.isArray(status['tags']) ? (status['tags'] as Array<{ name?: unknown }>) : [];
  return tags.flatMap((tag) => (typeof tag.name === 'string' ? [railsTagName(tag.name)] : []));
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

function mentionedIds(status: StatusJson): string[] {
  const mentions = Array.isArray(status['mentions']) ? (status['mentions'] as Array<{ id?: unknown }>) : [];
  return mentions.flatMap((mention) => (typeof mention?.id === 'string' ? [mention.id] : []));
}

/**
 * How many `delete`s a channel gets when the status is removed, per Mastodon's
 * RemoveStatusService: one on `user` where the status sat in the home feed
 * (`unpush_from_home`), one more for each account the status mentions (`remove_from_mentions`,
 * whether or not it was in that feed); lists that held it; and public* and hashtag* for every
 * public non-boost, **without** the reply rule of updates (`remove_from_public` has none), so
 * deletes reach streams that never saw the status. `direct` gets none: Mastodon 4.5 publishes no
 * delete to `timeline:direct:…` (the direct feed and its unpush went with 4.0); what the direct
 * stream shows of a deletion is the conversation, streamed again at its previous message.
 *
 * @example
 * deleteDeliveries(storedReplyToOther, { stream: 'public' }) // 1, though its update went nowhere public
 */
export function deleteDeliveries(stored: StoredStatus, channel: ChannelKey): number {
  const { status } = stored;
  const { stream, accountId } = channel;
  if (stream === 'user') {
    if (accountId === undefined) return 0;
    const home = stored.homeOf.has(accountId) ? 1 : 0;
    const isBoost = (status['reblog'] ?? null) !== null;
    return home + (!isBoost && mentionedIds(status).includes(accountId) ? 1 : 0);
  }
  if (stream.startsWith('public')) {
    if (!reachesHashtags(status)) return 0;
    if (stream.endsWith(':media') && !hasMedia(status)) return 0;
    if (stream.startsWith('public:local')) return isLocalStatus(stored) ? 1 : 0;
    if (stream.startsWith('public:remote')) return isLocalStatus(stored) ? 0 : 1;
    return 1;
  }
  return statusReachesChannel(stored, channel) ? 1 : 0;
}
