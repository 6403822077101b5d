import type { NotificationJson, StatusJson } from './entities.js';
import type { ViewerDirectory } from './viewers.js';

// What Rails (not the streaming server) hides from a reader because of its blocks, mutes and
// domain blocks. The fake's mutes hide notifications too, as a mute made through the API does by
// default (`notifications: true`), and it has no follow graph, so "unless following" never holds.

function accountId(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}

function mentionIds(status: Record<string, unknown>): string[] {
  const mentions = Array.isArray(status['mentions']) ? status['mentions'] : [];
  return mentions.flatMap((mention) => accountId(mention) ?? []);
}

function domainOf(account: unknown): string | undefined {
  if (account === null || typeof account !== 'object') return undefined;
  const acct = (account as Record<string, unknown>)['acct'];
  return typeof acct === 'string' ? acct.split('@')[1] : undefined;
}

function hidesStatusParty(status: Record<string, unknown>, readerId: string, viewers: ViewerDirectory): boolean {
  return viewers.hidesByRelationship(readerId, accountId(status['account']), mentionIds(status), domainOf(status['account']));
}

/**
 * Whether the reader's home feed (and its lists) leave the status out: FeedManager's
 * `filter_from_home` when the status is pushed, and `clear_from_home`/`clear_from_lists` when the
 * reader blocks or mutes later. Never the reader's own status; otherwise the reader blocks or
 * mutes the author, a mentioned account, or the boosted status's author or mentions; the author
 * (or boosted author) blocks the reader; or the reader blocks that author's domain (a domain
 * block also ends follows of the domain, which empties the feed of it).
 *
 * @example
 * hiddenFromHome(statusByBob, '1001', viewers) // true once server.viewer('1001').mute('1002')
 */
export function hiddenFromHome(status: StatusJson, readerId: string, viewers: ViewerDirectory): boolean {
  if (status.account.id === readerId) return false;
  if (hidesStatusParty(status, readerId, viewers)) return true;
  const boosted = status['reblog'];
  return boosted !== null && typeof boosted === 'object' && hidesStatusParty(boosted as Record<string, unknown>, readerId, viewers);
}

/**
 * Whether a signed-in reader's public (`languages: true`) or tag timeline leaves the status out,
 * as PublicFeed and TagFeed scope them: the author is blocked or muted by the reader or blocks the
 * reader (`not_excluded_by_account`), the author's domain is blocked by the reader, and, on the
 * public timeline only, the status's language is not among the reader's chosen ones (`null`
 * included). Mentioned accounts are not checked there, unlike on the streams.
 *
 * @example
 * hiddenFromPublicFeed(statusByBob, '1001', viewers, { languages: true })
 */
export function hiddenFromPublicFeed(status: StatusJson, readerId: string, viewers: ViewerDirectory, options: { languages: boolean }): boolean {
  if (viewers.hidesByRelationship(readerId, status.account.id, [], domainOf(status.account))) return true;
  const chosen = options.languages ? viewers.settingsOf(readerId).languages : null;
  return chosen !== null && !chosen.includes(status['language'] as string);
}

/**
 * Whether NotifyService dismisses a new notification (creates none: nothing is stored or
 * streamed): the recipient blocks or mutes the sender, or blocks the sender's domain; for a
 * mention also when the status mentions or replies to an account the recipient blocks or mutes
 * (FeedManager's `filter_from_mentions?`).
 *
 * @example
 * dismissesNotification(mentionFromBob, '1001', viewers) // true once server.viewer('1001').block('1002')
 */
export function dismissesNotification(notification: NotificationJson, recipientId: string, viewers: ViewerDirectory): boolean {
  if (clearsNotification(notification, recipientId, viewers)) return true;
  const status = notification.status;
  if (notification.type !== 'mention' || status === undefined) return false;
  const repliedTo = typeof status['in_reply_to_account_id'] === 'string' ? [status['in_reply_to_account_id']] : [];
  const others = [...mentionIds(status), ...repliedTo].filter((id) => id !== recipientId);
  return others.length > 0 && viewers.hidesByRelationship(recipientId, undefined, others, undefined);
}

/**
 * Whether the recipient's relationships have removed a stored notification: a block (and a mute,
 * which hides notifications) runs AfterBlockService's `clear_notifications!` for the sender, a
 * domain block AfterBlockDomainFromAccountService's for the domain. Mastodon deletes them, so an
 * unblock does not bring them back; the fake decides at each read, so it does.
 *
 * @example
 * clearsNotification(favouriteFromBob, '1001', viewers) // true while 1001 mutes 1002
 */
export function clearsNotification(notification: NotificationJson, recipientId: string, viewers: ViewerDirectory): boolean {
  const settings = viewers.settingsOf(recipientId);
  const sender = notification.account;
  const domain = domainOf(sender);
  return settings.blocks.includes(sender.id) || settings.mutes.includes(sender.id) || (domain !== undefined && settings.domainBlocks.includes(domain));
}
