import type { ContentStore } from './content-store.js';
import type { StoredStatus } from './fanout.js';
import { accountIdOf, domainOfAccount, involvesAccount, oldestFirst } from './status-parties.js';
import type { PublishTarget } from './types.js';

/** A relationship an account has just taken up, as {@link ViewerDirectory} reports it. */
export type RelationshipAdded =
  | { kind: 'block' | 'mute'; ownerId: string; targetId: string }
  | { kind: 'domainBlock'; ownerId: string; domain: string };

/** Sends one `delete` with the status id to the subscribers of exactly that channel. */
export type DeleteSender = (target: PublishTarget, statusId: string) => void;

/**
 * What Mastodon's workers remove once when an account blocks, mutes or blocks a domain; nothing
 * of it comes back when the relationship ends (Mastodon deletes it; unmuting someone followed
 * merges their statuses back, but the fake has no follows).
 *
 * * Block (BlockWorker → AfterBlockService) and mute with notifications, the only kind the fake
 *   has (MuteService sends those to BlockWorker too): `clear_from_home` and `clear_from_lists`
 *   take every status the target wrote, boosted, is mentioned in, or whose boosted status it
 *   wrote or is mentioned in out of the owner's home and lists, each with a `delete` on that
 *   feed's channel (`unpush_from_home`/`unpush_from_list`, the feed entry's own id, so a boost's
 *   id for a boost); then the target's notifications to the owner and the owner's
 *   conversations with the target are deleted without any event.
 * * A block also ends the target's follow of the owner (BlockService → UnfollowService →
 *   UnmergeWorker): the owner's statuses leave the target's home and lists without a `delete`.
 * * Domain block (AfterBlockDomainFromAccountService): notifications from the domain are deleted
 *   and follows of it end, so its accounts' statuses leave the owner's home and lists, again
 *   without a `delete` (`unmerge_from_home`/`unmerge_from_list` publish nothing).
 *
 * @example
 * const cleanup = new RelationshipCleanup(store, lists, (target, id) => publisher.publish(target, 'delete', id));
 * cleanup.apply({ kind: 'block', ownerId: '1001', targetId: '1002' });
 */
export class RelationshipCleanup {
  constructor(
    private readonly store: ContentStore,
    /** List id → owner account id. */
    private readonly lists: Readonly<Record<string, string>>,
    private readonly sendDelete: DeleteSender,
  ) {}

  apply(change: RelationshipAdded): void {
    if (change.kind === 'domainBlock') return this.afterDomainBlock(change.ownerId, change.domain);
    const { ownerId, targetId } = change;
    // BlockService and MuteService return at once for the account itself.
    if (ownerId === targetId) return;
    if (change.kind === 'block') this.unmerge(targetId, (stored) => stored.status.account.id === ownerId);
    this.clearFeeds(ownerId, targetId);
    this.store.deleteNotifications(ownerId, (notification) => notification.account.id === targetId);
    this.store.deleteConversations(ownerId, (stored) => participantIds(stored.conversation).includes(targetId));
  }

  private afterDomainBlock(ownerId: string, domain: string): void {
    this.store.deleteNotifications(ownerId, (notification) => domainOfAccount(notification.account) === domain);
    this.unmerge(ownerId, (stored) => domainOfAccount(stored.status.account) === domain);
  }

  // FeedManager#clear_from_home, then #clear_from_lists, each removal streamed.
  private clearFeeds(ownerId: string, targetId: string): void {
    const involved = this.store.allStatuses().filter((stored) => involvesAccount(stored.status, targetId));
    for (const stored of inIdOrder(involved)) {
      if (stored.homeOf.delete(ownerId)) this.sendDelete({ stream: 'user', accountId: ownerId }, stored.status.id);
    }
    for (const listId of this.listsOf(ownerId)) {
      for (const stored of inIdOrder(involved)) {
        if (stored.listIds.delete(listId)) this.sendDelete({ stream: 'list', list: listId }, stored.status.id);
      }
    }
  }

  // UnmergeWorker: the feed entries go, and nothing is published.
  private unmerge(feedOwnerId: string, leaves: (stored: StoredStatus) => boolean): void {
    const ownLists = this.listsOf(feedOwnerId);
    for (const stored of this.store.allStatuses()) {
      if (!leaves(stored)) continue;
      stored.homeOf.delete(feedOwnerId);
      for (const listId of ownLists) stored.listIds.delete(listId);
    }
  }

  private listsOf(accountId: string): string[] {
    return Object.keys(this.lists).filter((listId) => this.lists[listId] === accountId);
  }
}

function inIdOrder(statuses: readonly StoredStatus[]): StoredStatus[] {
  const byId = new Map(statuses.map((stored) => [stored.status.id, stored]));
  return oldestFirst(byId.keys()).flatMap((id) => byId.get(id) ?? []);
}

// AccountConversation's `participant_account_ids`: the fake's conversation carries them as `accounts`.
function participantIds(conversation: Record<string, unknown>): string[] {
  const accounts = Array.isArray(conversation['accounts']) ? conversation['accounts'] : [];
  return accounts.flatMap((account) => accountIdOf(account) ?? []);
}
