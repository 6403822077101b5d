import type { ConversationJson, NotificationJson, StatusJson } from './entity-json.js';
import { boostedIdOf } from './status-parties.js';
import { statusReachesChannel, type ChannelKey, type StoredStatus } from './fanout.js';
import { FeedEntries, feedKeyOf } from './feed-entries.js';
import { feedPage } from './feed-pages.js';
import { AttachedObjectIds } from './notification-objects.js';
import type { BoostIndex } from './boost-index.js';
import type { PageRequest } from './pagination.js';

/** FeedManager::REBLOG_FALLOFF: how far from a feed's top a boosted status keeps out another boost of it. */
const REBLOG_FALLOFF = 40;

/**
 * What the fake server remembers for REST catch-up: statuses with their routing facts and
 * notifications per account. Events published while nobody listens still land here, which is
 * how tests create gaps.
 */
export class ContentStore {
  private readonly statuses = new Map<string, StoredStatus>();
  private readonly notifications = new Map<string, NotificationJson[]>();
  private readonly conversations = new Map<string, Map<string, StoredConversation>>();
  /** The Redis feeds of homes and lists, which REST pages as Mastodon does (trimmed, stale entries counted). */
  private readonly feeds = new FeedEntries();
  /** The server's bigserial sequences of rows that are no status (polls, reports, …): a poll attached over REST and a notification's poll never share an id. */
  readonly objectIds = new AttachedObjectIds((table, id) => table === 'polls' && this.holdsPoll(id));

  /** `boosts` is kept here, where every status is stored and removed, for the renderings' `reblogged`. */
  constructor(private readonly boosts?: BoostIndex) {}

  putStatus(stored: StoredStatus): void {
    const replaced = this.statuses.get(stored.status.id);
    if (replaced) this.boosts?.removed(replaced.status);
    this.statuses.set(stored.status.id, stored);
    this.boosts?.added(stored.status);
    this.pushToFeeds(stored);
  }

  /** FeedManager#push_to_home and #push_to_list for every home and list the status goes to; an edit pushes again. */
  pushToFeeds(stored: StoredStatus): void {
    for (const accountId of stored.homeOf) this.feeds.insert(`home:${accountId}`, stored.status.id);
    for (const listId of stored.listIds) this.feeds.insert(`list:${listId}`, stored.status.id);
  }

  getStatus(id: string): StoredStatus | undefined {
    return this.statuses.get(id);
  }

  /**
   * Deletes the status and its feed entries, except in the homes of `staleInHomeOf`, which keep
   * an entry for a status that is gone (see FakeMastodon.deleteStatus). Returns the status with
   * `homeOf` and `listIds` narrowed to the feeds that still held its entry and gave it up: those
   * whose streams get a `delete` (not a home that keeps it, nor a feed that trimmed it away).
   */
  removeStatus(id: string, staleInHomeOf: readonly string[] = []): StoredStatus | undefined {
    const stored = this.statuses.get(id);
    if (!stored) return undefined;
    this.statuses.delete(id);
    this.boosts?.removed(stored.status);
    const unpushed = new Set(this.feeds.removeEverywhere(id, new Set(staleInHomeOf.map((accountId) => `home:${accountId}`))));
    return {
      ...stored,
      homeOf: new Set([...stored.homeOf].filter((accountId) => unpushed.has(`home:${accountId}`))),
      listIds: new Set([...stored.listIds].filter((listId) => unpushed.has(`list:${listId}`))),
    };
  }

  /**
   * The homes and lists that take the status, of those its fan-out asks: all of them, but for a
   * boost, FeedManager#add_to_feed's rule (app/lib/feed_manager.rb:536-561, with
   * `aggregate_reblogs`, every account's default): a feed whose 40 newest entries (REBLOG_FALLOFF,
   * :15) hold the boosted status, or a boost of it, does not take another boost of it, and so no
   * `update` of it is pushed there (push_to_home and push_to_list, :76-83, :103-110), nor a
   * `delete` when it goes.
   */
  feedsTaking(status: StatusJson, asked: { homeOf: Set<string>; listIds: Set<string> }): { homeOf: Set<string>; listIds: Set<string> } {
    const boostedId = boostedIdOf(status);
    if (boostedId === undefined) return asked;
    const keepsOut = (feed: string) => this.feeds.newest(feed, REBLOG_FALLOFF).some((id) => id === boostedId || boostedIdOf(this.statuses.get(id)?.status) === boostedId);
    return {
      homeOf: new Set([...asked.homeOf].filter((accountId) => !keepsOut(`home:${accountId}`))),
      listIds: new Set([...asked.listIds].filter((listId) => !keepsOut(`list:${listId}`))),
    };
  }

  /** Whether a stored status (or the status a stored boost carries) has the poll with this id. */
  private holdsPoll(id: string): boolean {
    const pollIdOf = (status: StatusJson | null | undefined) => (status?.poll as { id?: unknown } | null | undefined)?.id;
    return [...this.statuses.values()].some(({ status }) => pollIdOf(status) === id || pollIdOf(status.reblog as StatusJson | null) === id);
  }

  /** `status.proper`: the stored status a boost boosts, or the status itself; undefined when the boosted one is not stored. */
  properOf(stored: StoredStatus): StoredStatus | undefined {
    const boostedId = boostedIdOf(stored.status);
    return boostedId === undefined ? stored : this.statuses.get(boostedId);
  }

  /** Every stored status, in no particular order. */
  allStatuses(): StoredStatus[] {
    return [...this.statuses.values()];
  }

  /** The stored statuses written by the account, in no particular order. */
  statusesBy(accountId: string): StoredStatus[] {
    return [...this.statuses.values()].filter((stored) => stored.status.account.id === accountId);
  }

  /**
   * A status that only a notification carries (notify's generated mention): not on any timeline,
   * but a client may reply to it, as it could on Mastodon.
   */
  findAttachedStatus(id: string): StatusJson | undefined {
    for (const list of this.notifications.values()) {
      const found = list.find((notification) => (notification['status'] as StatusJson | null | undefined)?.id === id);
      if (found) return found['status'] as StatusJson;
    }
    return undefined;
  }

  /** Statuses of a timeline, in no particular order (pagination sorts); `include` narrows them further. */
  timeline(channel: ChannelKey, include?: (stored: StoredStatus) => boolean): StatusJson[] {
    const result: StatusJson[] = [];
    for (const stored of this.statuses.values()) {
      if (statusReachesChannel(stored, channel) && (include?.(stored) ?? true)) result.push(stored.status);
    }
    return result;
  }

  /** A home or list timeline page, served from its feed as Feed#from_redis does (see feedPage); undefined for the other timelines. */
  feedTimeline(channel: ChannelKey, page: PageRequest): StatusJson[] | undefined {
    const key = feedKeyOf(channel);
    if (key === undefined) return undefined;
    return feedPage(this.feeds.entries(key), page, (id) => {
      const stored = this.statuses.get(id);
      // Only a delete that left the entry leaves an id without its status.
      if (stored === undefined) return 'stale';
      return statusReachesChannel(stored, channel) ? { status: stored.status } : 'removed';
    });
  }

  addNotification(accountId: string, notification: NotificationJson): void {
    const list = this.notifications.get(accountId) ?? [];
    list.push(notification);
    this.notifications.set(accountId, list);
  }

  notificationsOf(accountId: string): readonly NotificationJson[] {
    return this.notifications.get(accountId) ?? [];
  }

  /** Deletes the account's notifications that `matches` accepts, for good. */
  deleteNotifications(accountId: string, matches: (notification: NotificationJson) => boolean): void {
    const kept = this.notificationsOf(accountId).filter((notification) => !matches(notification));
    this.notifications.set(accountId, kept);
  }

  /** Deletes every account's notifications that `matches` accepts, for good. */
  deleteNotificationsOfAll(matches: (notification: NotificationJson) => boolean): void {
    for (const accountId of this.notifications.keys()) this.deleteNotifications(accountId, matches);
  }

  /**
   * An edit of `edited`: Mastodon renders a status from its row wherever it shows, so a notification's `status`, a
   * boost's `reblog`, a quote's `quoted_status` and a conversation's `last_status` show the edit at once; the fake holds copies, which this replaces.
   * `renderFor` gives the status as a notification's recipient sees it (viewer fields, filters).
   */
  replaceCopiesOf(edited: StatusJson, renderFor: (accountId: string) => StatusJson): void {
    for (const [accountId, list] of this.notifications) {
      list.forEach((notification, index) => {
        const status = notification['status'] as StatusJson | null | undefined;
        if (status == null) return;
        const replaced = status.id === edited.id ? renderFor(accountId) : withEditInside(status, edited);
        if (replaced !== status) list[index] = { ...notification, status: replaced };
      });
    }
    for (const stored of this.statuses.values()) stored.status = withEditInside(stored.status, edited);
    for (const [accountId, byId] of this.conversations) {
      for (const stored of byId.values()) {
        if (stored.conversation.last_status?.id === edited.id) stored.conversation = { ...stored.conversation, last_status: renderFor(accountId) };
      }
    }
  }

  /** Stores or replaces (by conversation id) one conversation of the account. */
  putConversation(accountId: string, stored: StoredConversation): void {
    const byId = this.conversations.get(accountId) ?? new Map<string, StoredConversation>();
    byId.set(stored.conversation.id, stored);
    this.conversations.set(accountId, byId);
  }

  conversationsOf(accountId: string): StoredConversation[] {
    return [...(this.conversations.get(accountId)?.values() ?? [])];
  }

  /** Deletes the account's conversations that `matches` accepts, for good. */
  deleteConversations(accountId: string, matches: (stored: StoredConversation) => boolean): void {
    const byId = this.conversations.get(accountId);
    for (const [id, stored] of byId ?? []) if (matches(stored)) byId?.delete(id);
  }
}

/**
 * A conversation plus its paging cursor: the id of its newest status, which is how Mastodon
 * pages conversations (not by the conversation id, so clients must follow the Link header).
 */
export interface StoredConversation {
  /** Named `id` so the generic paginator can page by it. */
  id: string;
  conversation: ConversationJson;
}

/** `status` with `edited` in place of the copy its boost or its quote holds (the same object when it holds none). */
function withEditInside(status: StatusJson, edited: StatusJson): StatusJson {
  if (status.reblog?.id === edited.id) return { ...status, reblog: edited };
  const quoted = status.quote?.['quoted_status'];
  if (quoted !== null && typeof quoted === 'object' && (quoted as { id?: unknown }).id === edited.id) return { ...status, quote: { ...status.quote, quoted_status: edited } };
  return status;
}
