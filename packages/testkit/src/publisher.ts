import type { ChannelSubscriber } from './channel-subscriber.js';
import type { ContentStore } from './content-store.js';
import { DirectConversations } from './direct-conversations.js';
import { editChangesStatus } from './edit-changes.js';
import { fanOutEditLocally } from './edit-fan-out.js';
import { storeEditMentions } from './edit-mentions.js';
import { dropBlockedMentions, mentionedLocalIds } from './mention-drops.js';
import type { NotifyOptions } from './notify-options.js';
import { buildStatus, withoutUndefined } from './entities.js';
import type { ConversationJson, ConversationOverrides, NotificationJson, StatusJson } from './entity-json.js';
import { isLocalStatus, statusReachesChannel, type StoredStatus } from './fanout.js';
import { feedRecipients } from './feed-relationships.js';
import { renderForReader } from './reader-rendering.js';
import { railsTagName } from './hashtag.js';
import { isLocalAcct, resolveAccount, type AccountJson } from './identities.js';
import { NotificationMaker, mentionFields } from './notification-maker.js';
import { NOT_DELIVERED, isFilteredStream, payloadText, wireData, type FiltersChangedMode, type StreamingEventName } from './payload.js';
import { SnowflakeGenerator } from './snowflake.js';
import { removeStatusWithBoosts } from './status-removal.js';
import { checkMentions, type StatusOverrides } from './status-overrides.js';
import { editedFields, postedFields } from './status-service-fields.js';
import { canReadNotifications } from './streaming-route.js';
import type { DeleteStatusOptions, PostStatusOptions } from './status-options.js';
import type { FakeToken, PublishTarget, StreamName } from './types.js';
import { internalChannel, type StreamingMetrics } from './streaming-metrics.js';
import type { UpdateDelay } from './update-delay.js';
import type { ViewerDirectory } from './viewers.js';

/**
 * Turns test intents (post, edit, delete, notify) into stored content and live events, with
 * the fan-out rules of protocol.md §2 and the per-stream payload rules of §7–§8.
 */
export class Publisher {
  private readonly statusIds = new SnowflakeGenerator();
  private readonly notifications: NotificationMaker;
  private readonly conversations: DirectConversations;

  /**
   * `subscribers` lists every live SSE stream and WebSocket subscription, in delivery order;
   * `updateDelay` holds public/hashtag updates in reorder mode.
   */
  constructor(
    private readonly subscribers: () => Iterable<ChannelSubscriber>,
    private readonly store: ContentStore,
    private readonly tokens: ReadonlyMap<string, FakeToken>,
    private readonly filtersChanged: FiltersChangedMode,
    private readonly updateDelay: UpdateDelay,
    private readonly metrics: StreamingMetrics,
    private readonly viewers: ViewerDirectory,
    /** List id → owner, whose blocks and mutes decide what the list takes. */
    private readonly lists: Readonly<Record<string, string>>,
  ) {
    const push = (accountId: string, conversation: ConversationJson): void => void this.publish({ stream: 'direct', accountId }, 'conversation', conversation);
    this.conversations = new DirectConversations({ store, viewers, statusIds: this.statusIds, push });
    this.notifications = new NotificationMaker({ store, viewers, statusIds: this.statusIds, postMention: (from, mentionedId) => this.postMention(from, mentionedId) });
  }

  /** Raw delivery to connections on exactly one channel; returns how many got the event. */
  publish(target: StreamName | PublishTarget, event: StreamingEventName | (string & {}), payload?: unknown): number {
    const key: PublishTarget = typeof target === 'string' ? { stream: target } : target;
    // Rails publishes: the tag names the channel as Rails does, which a stream keyed by the
    // streaming server's normalisation may not match (see railsTagName).
    const tag = key.tag === undefined ? undefined : railsTagName(key.tag);
    return this.deliver(event, payloadText(payload), (connection) => {
      if (connection.stream !== key.stream) return false;
      if (tag !== undefined && connection.tag !== tag) return false;
      if (key.list !== undefined && connection.list !== key.list) return false;
      return key.accountId === undefined || connection.accountId === key.accountId;
    });
  }

  postStatus(partial: StatusOverrides = {}, options: PostStatusOptions = {}, sensitiveAsGiven?: boolean): StatusJson {
    return this.post(partial, options, { skipNotifications: false, sensitiveAsGiven });
  }

  /**
   * `skipNotifications` is FanOutOnWriteService's option of that name: notify()'s own mention posts its
   * status with it, as notify() makes that one notification itself.
   */
  private post(partial: StatusOverrides, options: PostStatusOptions, { skipNotifications, sensitiveAsGiven }: { skipNotifications: boolean; sensitiveAsGiven?: boolean | undefined }): StatusJson {
    // From plain JavaScript (ids read from a JSON fixture as numbers): a number id was stored half-way, and every later
    // postStatus on the server threw. Mastodon's ids are strings, and its tag names carry no '#'.
    if (partial.id !== undefined && typeof partial.id !== 'string') throw new TypeError(`FakeMastodon.postStatus: id must be a string, as Mastodon's ids are (got ${typeof partial.id} ${String(partial.id)})`);
    checkMentions('postStatus', partial.mentions);
    const hashed = options.tags?.find((tag) => typeof tag !== 'string' || tag.startsWith('#'));
    if (hashed !== undefined) throw new TypeError(`FakeMastodon.postStatus: tags are names without '#', as Mastodon's Tag entity has them (got ${JSON.stringify(hashed)})`);
    const createdMs = Date.now();
    const id = typeof partial.id === 'string' ? partial.id : this.statusIds.next(createdMs);
    this.statusIds.taken(id);
    const account = resolveAccount(options.account, 'alice');
    const built = buildStatus(
      {
        id,
        createdAt: new Date(Math.floor(createdMs / 1000) * 1000).toISOString(),
        account,
        visibility: options.visibility ?? 'public',
        tags: options.tags ?? [],
        mediaCount: options.media ?? 0,
        // Only PostStatusService gives a status a language: a remote one (ActivityPub) or a boost (ReblogService) given none has none.
        language: partial.reblog == null && (options.local ?? isLocalAcct(account.acct)) ? 'en' : null,
      },
      partial,
    );
    // A local author's status as PostStatusService makes it, never mentioning an account it blocks (notify()'s own mention is the test's to make).
    const status = skipNotifications || !(options.local ?? isLocalAcct(built.account.acct)) ? built : dropBlockedMentions(postedFields(built, sensitiveAsGiven), built.account.id, this.viewers);
    // FeedManager filters each feed as the status is pushed; what it keeps out never gets in.
    const requested = { homeOf: options.homeOf ?? this.defaultHomes(status), listIds: options.inListIds ?? [] };
    const stored: StoredStatus = {
      status,
      ...this.store.feedsTaking(status, feedRecipients(status, requested, this.lists, this.viewers)),
      ...(options.local === undefined ? {} : { local: options.local }),
    };
    this.store.putStatus(stored);
    this.conversations.placeInThread(status);
    this.fanOutStatus(stored, 'update');
    if (!skipNotifications) this.notifyMentioned(status);
    // deliver_to_conversation!: the author's own conversation, read (after the mentions, as FanOutOnWriteService runs them).
    if (status.visibility === 'direct') this.conversations.addStatus(status.account.id, status);
    return status;
  }

  /**
   * FanOutOnWriteService#notify_mentioned_accounts!: a `mention` notification for each local account the
   * status mentions (the fake's local accounts are those that own a token), made as notify() makes one, so
   * NotifyService's drops apply (the author mentioning itself, a sender the recipient blocks or mutes, …).
   */
  private notifyMentioned(status: StatusJson): void {
    for (const recipientId of mentionedLocalIds(status, this.localAccountIds())) {
      const { pushed } = this.makeNotification(recipientId, { type: 'mention', status, fromAccount: status.account });
      // NotifyService#push_to_conversation!, only for a notification it pushed (not dropped, not filtered).
      if (pushed && status.visibility === 'direct') this.conversations.addStatus(recipientId, status);
    }
  }

  /**
   * The homes a status reaches when the test names none. Every account that owns a token stands in for
   * the author's local followers; a `direct` status goes, as FanOutOnWriteService's
   * deliver_to_self and deliver_to_mentioned_followers send it, only to its author and the accounts it
   * mentions, never to a bystander's home.
   */
  private defaultHomes(status: StatusJson): string[] {
    const local = [...this.localAccountIds()];
    if (status.visibility !== 'direct') return local;
    const addressed = new Set([status.account.id, ...status.mentions.map((mention) => mention.id)]);
    return local.filter((accountId) => addressed.has(accountId));
  }

  editStatus(id: string, changes: StatusOverrides = {}, sensitiveAsGiven?: boolean): StatusJson {
    const stored = this.requireStatus(id);
    checkMentions('editStatus', changes.mentions);
    const given = isLocalStatus(stored) ? editedFields(stored.status, withoutUndefined(changes), sensitiveAsGiven) : withoutUndefined(changes);
    // UpdateStatusService sets its fields (editedFields) and then raises NoChangesSubmittedError: nothing stored, dated or sent (see editChangesStatus).
    if (!editChangesStatus(stored.status, given)) return stored.status;
    // Two edits of one status never share an edited_at on a real server; scripted edits can land in one millisecond.
    const previous = stored.status.edited_at === null ? 0 : Date.parse(stored.status.edited_at);
    const editedAt = new Date(Math.max(Date.now(), previous + 1)).toISOString();
    // A scripted edited_at dates the edit; the one a copy of the status carries back (`{ ...status, content }`) does not.
    const edited: StatusJson = { ...stored.status, ...given, id, edited_at: changes.edited_at != null && changes.edited_at !== stored.status.edited_at ? changes.edited_at : editedAt };
    storeEditMentions(stored, edited, this.viewers); // only after a real change are mentions processed again
    // A boost is saved as edited, but no feed takes it again (FeedManager#add_to_feed with aggregate_reblogs, app/lib/feed_manager.rb:540-561)
    // and no public stream takes one (app/services/fan_out_on_write_service.rb:184-186): nothing is pushed.
    if (edited.reblog != null) return stored.status;
    // FeedInsertWorker pushes an edited status again (then trims): one trimmed away can come back while others left.
    this.store.pushToFeeds(stored);
    this.fanOutStatus(stored, 'status.update');
    this.conversations.editStatus(stored.status);
    this.store.replaceCopiesOf(stored.status, (reader) => renderForReader(stored.status, reader, this.viewers, 'single'));
    fanOutEditLocally(stored.status, {
      store: this.store,
      localAccountIds: this.localAccountIds(),
      notifyMentioned: (status) => this.notifyMentioned(status),
      pushToNotifications: (accountId, status) => void this.deliverToNotifications(accountId, 'status.update', JSON.stringify(renderForReader(status, accountId, this.viewers, 'single'))),
      notify: (accountId, options) => void this.makeNotification(accountId, options),
    });
    return stored.status;
  }

  /** The fake's local accounts, as Account.local: those that own a token. */
  private localAccountIds(): Set<string> {
    return new Set([...this.tokens.values()].map((token) => token.accountId));
  }

  deleteStatus(id: string, options: DeleteStatusOptions = {}): boolean {
    // Homes and lists are narrowed to the feeds that gave up an entry: a home that keeps it, or a feed that trimmed it
    // away, gets no unpush and so no `delete` on its stream (mentions still get theirs). Its boosts go with it.
    const removal = { store: this.store, viewers: this.viewers, subscribers: this.subscribers, metrics: this.metrics, sendDelete: (connection: ChannelSubscriber, deletedId: string) => void this.sendTo(connection, 'delete', deletedId) };
    const stored = removeStatusWithBoosts(id, options.staleInHomeOf ?? [], removal);
    if (!stored) return false;
    // Last, as Mastodon's destroy! unlinks it from its conversations after the deletes are out: `direct` gets no
    // delete, but each conversation it ended is streamed at its previous message, or, with none left, is gone.
    if (stored.status.visibility === 'direct') this.conversations.removeStatus(stored.status, stored.silentMentionIds);
    return true;
  }

  notify(accountId: string, options: NotifyOptions = {}): NotificationJson {
    return this.makeNotification(accountId, options).notification;
  }

  /** The notification, and whether NotifyService would have pushed it: made now, neither dropped nor filtered. */
  private makeNotification(accountId: string, options: NotifyOptions): { notification: NotificationJson; pushed: boolean } {
    // LocalNotificationWorker makes one mention notification per mention: a test's notify() for a status whose
    // posting already notified the account gets that notification back, and nothing is stored or streamed again.
    const existing = options.status && (options.type ?? 'mention') === 'mention' ? this.mentionOf(accountId, options.status.id) : undefined;
    if (existing !== undefined) return { notification: existing, pushed: false };
    const { notification, dismissed } = this.notifications.make(accountId, options);
    if (dismissed) return { notification, pushed: false };
    this.store.addNotification(accountId, notification);
    // NotifyService pushes nothing for a filtered notification (it only updates the sender's notification request).
    if (notification['filtered'] === true) return { notification, pushed: false };
    this.deliverToNotifications(accountId, 'notification', JSON.stringify(notification));
    return { notification, pushed: true };
  }

  /**
   * A publish to `timeline:<accountId>:notifications`, which the streaming server routes to the account's
   * `user:notification` streams and to its `user` streams whose token may read notifications.
   */
  private deliverToNotifications(accountId: string, event: string, text: string): number {
    const channel = () => `timeline:${accountId}:notifications`;
    return this.deliver(event, text, (connection) => {
      if (connection.accountId !== accountId) return false;
      if (connection.stream === 'user:notification') return true;
      return connection.stream === 'user' && canReadNotifications(connection.scopes);
    }, channel);
  }

  private mentionOf(accountId: string, statusId: string): NotificationJson | undefined {
    return this.store.notificationsOf(accountId).find((notification) => notification.type === 'mention' && notification.status?.id === statusId);
  }

  conversation(accountId: string, partial: ConversationOverrides = {}): ConversationJson {
    return this.conversations.script(accountId, partial);
  }

  /**
   * A mention is a new status, so it goes where FanOutOnWriteService sends any status: public
   * and hashtag streams and timelines, and the author's own home (`deliver_to_self`, local
   * authors only). Followers' homes would get it too; the fake's sender has none, so the
   * mentioned account gets the notification but no `update`, as from someone it does not follow.
   */
  private postMention(from: AccountJson, mentionedId: string): StatusJson {
    return this.post(mentionFields(mentionedId), { account: from, homeOf: isLocalAcct(from.acct) ? [from.id] : [] }, { skipNotifications: true });
  }

  private requireStatus(id: string): StoredStatus {
    const stored = this.store.getStatus(id);
    if (!stored) throw new Error(`FakeMastodon: no stored status with id ${id}`);
    return stored;
  }

  // Personal streams get the viewer rendering; public and hashtag streams the anonymous one.
  private fanOutStatus(stored: StoredStatus, event: 'update' | 'status.update'): void {
    const anonymous = JSON.stringify(stored.status);
    const local = isLocalStatus(stored);
    const channels = new Set<string>();
    for (const connection of [...this.subscribers()]) {
      if (!statusReachesChannel(stored, connection)) continue;
      channels.add(internalChannel(connection, event));
      const text = isFilteredStream(connection.stream)
        ? anonymous
        : JSON.stringify(renderForReader(stored.status, connection.accountId, this.viewers, 'single'));
      this.sendTo(connection, event, text, local);
    }
    this.metrics.countReceived(channels.size);
  }

  /** `channelOf` names the Redis channel a subscriber got the event on, for the metrics (by default the stream's own). */
  private deliver(event: string, text: string | undefined, accepts: (connection: ChannelSubscriber) => boolean, channelOf = internalChannel): number {
    let delivered = 0;
    const channels = new Set<string>();
    for (const connection of [...this.subscribers()]) {
      if (!accepts(connection)) continue;
      channels.add(channelOf(connection, event));
      if (this.sendTo(connection, event, text)) delivered += 1;
    }
    this.metrics.countReceived(channels.size);
    return delivered;
  }

  /**
   * Applies the stream's payload rules and the viewer's §8 rules, then sends now or, for a held
   * update in reorder mode, later (counted as delivered when scheduled). `isLocal` is the
   * stored status's origin when known; raw payloads are judged by `account.acct`.
   */
  private sendTo(connection: ChannelSubscriber, event: string, text: string | undefined, isLocal?: boolean): boolean {
    const { stream } = connection;
    const data = wireData(stream, event, text, this.filtersChanged, (status) =>
      connection.viewerSession.screen(status, stream, isLocal, connection.feedGate),
    );
    if (data === NOT_DELIVERED) return false;
    const isHeld = this.updateDelay.isActive && isFilteredStream(stream) && (event === 'update' || event === 'status.update');
    if (!isHeld) return connection.sendEvent(event, data);
    this.updateDelay.run(() => void connection.sendEvent(event, data));
    return true;
  }
}
