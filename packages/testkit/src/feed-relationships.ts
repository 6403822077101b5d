import type { NotificationJson, StatusJson } from './entity-json.js';
import { accountIdOf, boostedStatusOf, domainOfAccount, mentionIdsOf } from './status-parties.js';
import type { ViewerDirectory } from './viewers.js';

// What Rails (not the streaming server) keeps from a reader because of its blocks, mutes and
// domain blocks, decided where Rails decides it: when a status is pushed into feeds, when a
// notification is created, and (public and tag timelines only) when a timeline is read. What a
// later block or mute removes is removed once, by RelationshipCleanup, as Mastodon's workers do.
// The fake's mutes hide notifications too, as a mute made through the API does by default
// (`notifications: true`), and it has no follow graph, so "unless following" never holds.

function hidesStatusParty(status: Record<string, unknown>, readerId: string, viewers: ViewerDirectory): boolean {
  return viewers.hidesByRelationship(readerId, accountIdOf(status['account']), mentionIdsOf(status), domainOfAccount(status['account']));
}

/**
 * Whether FeedManager's `filter_from_home?` keeps the status out of the reader's home feed (and,
 * for a list, out of the owner's list) when it is pushed. Never the reader's own status;
 * otherwise the reader blocks or mutes the author, a mentioned account, or the boosted status's
 * author or mentions; the author (or boosted author) blocks the reader; or the reader blocks that
 * author's domain (a domain block also ends follows of the domain, so nothing of it is pushed).
 *
 * @example
 * hiddenFromHome(statusByBob, '1001', viewers) // true once server.viewer('1001').mute('1002')
 */
export function hiddenFromHome(status: StatusJson, readerId: string, viewers: ViewerDirectory): boolean {
  if (status.account.id === readerId) return false;
  if (hidesStatusParty(status, readerId, viewers)) return true;
  const boosted = boostedStatusOf(status);
  return boosted !== undefined && hidesStatusParty(boosted, readerId, viewers);
}

/** The home feeds and lists a new status is pushed into. */
export interface FeedRecipients {
  homeOf: Set<string>;
  listIds: Set<string>;
}

/**
 * The feeds that take a new status: the requested homes and lists minus those whose owner's
 * relationships filter it ({@link hiddenFromHome}). Lists the fake does not know have no owner
 * and take it as asked.
 *
 * @example
 * feedRecipients(statusByBob, { homeOf: ['1001', '1002'], listIds: ['42'] }, { '42': '1001' }, viewers)
 * // { homeOf: Set {'1002'}, listIds: Set {} } while alice mutes bob
 */
export function feedRecipients(
  status: StatusJson,
  requested: { homeOf: Iterable<string>; listIds: Iterable<string> },
  lists: Readonly<Record<string, string>>,
  viewers: ViewerDirectory,
): FeedRecipients {
  const homeOf = [...requested.homeOf].filter((readerId) => !hiddenFromHome(status, readerId, viewers));
  const listIds = [...requested.listIds].filter((listId) => {
    const owner = lists[listId];
    return owner === undefined || !hiddenFromHome(status, owner, viewers);
  });
  return { homeOf: new Set(homeOf), listIds: new Set(listIds) };
}

/**
 * Whether a signed-in reader's public (`languages: true`) or tag timeline leaves the status out,
 * as PublicFeed and TagFeed scope them at every request: the author is blocked or muted by the
 * reader or blocks the reader (`not_excluded_by_account`), the author's domain is blocked by the
 * reader, and, on the public timeline only, the status's language is not among the reader's
 * chosen ones (`null` included). Mentioned accounts are not checked there, unlike on the streams.
 *
 * @example
 * hiddenFromPublicFeed(statusByBob, '1001', viewers, { languages: true })
 */
export function hiddenFromPublicFeed(status: StatusJson, readerId: string, viewers: ViewerDirectory, options: { languages: boolean }): boolean {
  if (viewers.hidesByRelationship(readerId, status.account.id, [], domainOfAccount(status.account))) return true;
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
  const settings = viewers.settingsOf(recipientId);
  const sender = notification.account;
  const domain = domainOfAccount(sender);
  if (settings.blocks.includes(sender.id) || settings.mutes.includes(sender.id)) return true;
  if (domain !== undefined && settings.domainBlocks.includes(domain)) return true;
  const status = notification.status;
  if (notification.type !== 'mention' || status === undefined) return false;
  const repliedTo = typeof status['in_reply_to_account_id'] === 'string' ? [status['in_reply_to_account_id']] : [];
  const others = [...mentionIdsOf(status), ...repliedTo].filter((id) => id !== recipientId);
  return others.length > 0 && viewers.hidesByRelationship(recipientId, undefined, others, undefined);
}
