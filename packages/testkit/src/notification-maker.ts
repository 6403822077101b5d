import type { ContentStore } from './content-store.js';
import { buildNotification, buildStatus, notificationHasStatus, withoutUndefined } from './entities.js';
import type { NotificationJson, StatusJson } from './entity-json.js';
import { dismissesNotification } from './feed-relationships.js';
import { accountForId, resolveAccount, type AccountJson } from './identities.js';
import { recordInteraction } from './interaction-counts.js';
import { NotificationGroups, activityTime } from './notification-groups.js';
import { attachedObject, endedPoll, sentByRecipient } from './notification-objects.js';
import { carriesRecipientStatus, newestInteractableStatus } from './notification-status.js';
import type { NotifyOptions } from './notify-options.js';
import { renderForReader } from './reader-rendering.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { StatusOverrides } from './status-overrides.js';
import type { ViewerDirectory } from './viewers.js';

/** What making a notification needs from its server. */
export interface NotificationMakerParts {
  readonly store: ContentStore;
  readonly viewers: ViewerDirectory;
  /** The server's status ids, shared with postStatus, so a made-up status never takes a posted one's id. */
  readonly statusIds: SnowflakeGenerator;
  /** Posts a new status by `from` that mentions `mentionedId`, fanned out as any new status. */
  readonly postMention: (from: AccountJson, mentionedId: string) => StatusJson;
}

/** A notification as NotifyService would create it, and whether NotifyService drops it instead. */
export interface MadeNotification {
  readonly notification: NotificationJson;
  /** Nothing is stored or streamed (the recipient blocks or mutes the sender, …). */
  readonly dismissed: boolean;
}

/** The text and `mentions` of a status that mentions the account. */
export function mentionFields(mentionedId: string): StatusOverrides {
  const mentioned = accountForId(mentionedId);
  return {
    content: `<p>@${mentioned.username} hi</p>`,
    mentions: [{ id: mentioned.id, username: mentioned.username, url: String(mentioned['url']), acct: mentioned.acct }],
  };
}

// NotifyService::DropCondition drops what an account does to itself (a favourite of its own status, a
// mention of itself, …), except the types Mastodon sends "from" the recipient or about its own poll.
const KEPT_FROM_SELF = new Set(['poll', 'severed_relationships', 'moderation_warning', 'annual_report']);

/** True when NotifyService drops the notification because its sender is its recipient. */
function dropsFromSelf(type: string, senderId: string, recipientId: string): boolean {
  return senderId === recipientId && !KEPT_FROM_SELF.has(type);
}

// PollExpirationNotifyWorker is scheduled at the poll's expires_at; Sidekiq's scheduled-set poller
// picks a due job up within seconds (5 s is its default average interval), so the notification
// comes a few seconds after the poll ended.
const POLL_NOTIFIED_AFTER_MS = 5_000;
// The web composer's default poll duration (expires_in: 24 * 3600).
const POLL_DURATION_MS = 24 * 3_600_000;

/**
 * Makes the notifications of one server (ids count from 1 per server): the sender, the status a
 * status-bearing type carries, the counts a favourite or boost raises, the recipient's rendering,
 * and whether NotifyService would drop it. Storing and streaming stay with the Publisher.
 */
export class NotificationMaker {
  private seq = 0;
  private readonly groups = new NotificationGroups();

  constructor(private readonly parts: NotificationMakerParts) {}

  make(accountId: string, options: NotifyOptions): MadeNotification {
    const { type = 'mention', status, fromAccount, fields = {} } = options;
    const { store, viewers } = this.parts;
    const from = fromAccount === undefined && sentByRecipient(type) ? accountForId(accountId) : resolveAccount(fromAccount, 'bob');
    const id = String(++this.seq);
    const createdAt = new Date().toISOString();
    const chosen = notificationHasStatus(type) ? (status ?? this.defaultStatus(type, from, accountId)) : status;
    const attached = chosen && recordInteraction(store, viewers, { type, from, recipientId: accountId }, chosen, { madeUp: status === undefined });
    const given = withoutUndefined(fields);
    // A report, severance event or warning after the status, as the serializer's associations come.
    const objects = attachedObject({ type, createdAt, sender: from, recipientId: accountId }, given, this.parts.store.objectIds);
    // InlineRenderer renders the notification for its recipient, so its status has the viewer fields.
    const notification = buildNotification(id, type, createdAt, from, attached && renderForReader(attached, accountId, viewers, 'single'), { ...objects, ...given });
    // NotifyService creates nothing for a sender the recipient blocks or mutes: nothing to stream,
    // and no group key (it drops the notification before set_group_key!), so none is recorded.
    const dismissed = dropsFromSelf(type, from.id, accountId) || dismissesNotification(notification, accountId, viewers);
    if (!dismissed) this.setGroupKey(notification, accountId, given);
    return { notification, dismissed };
  }

  /**
   * Groups the notification as set_group_key! does, unless the test gave `group_key` (the group is
   * recorded all the same, as Mastodon set it before the test's key replaced it in the JSON), at
   * the time of its activity ({@link activityTime}).
   */
  private setGroupKey(notification: NotificationJson, recipientId: string, given: Readonly<Record<string, unknown>>): void {
    const groupKey = this.groups.groupKey({
      recipientId,
      type: notification.type,
      targetStatusId: notification.status?.id,
      activityMs: activityTime(notification),
      // The fake has no notification policy: only a test's `filtered: true` makes one filtered.
      filtered: given['filtered'] === true,
    });
    if (groupKey !== undefined && given['group_key'] === undefined) notification.group_key = groupKey;
  }

  /**
   * The status a notification of a status-bearing type carries when the test gives none: a new
   * mention (posted); for `favourite` and `reblog` the recipient's newest public or unlisted
   * status, or one made up by the recipient; for `poll` the sender's status with a poll that has just
   * ended; for the other types one made up by the sender. Made-up statuses are only attached, as if
   * posted before the fake started.
   */
  private defaultStatus(type: string, from: AccountJson, recipientId: string): StatusJson {
    if (type === 'mention') return this.parts.postMention(from, recipientId);
    if (type === 'poll') return this.endedPollStatus(from, recipientId);
    if (!carriesRecipientStatus(type)) return this.madeUpStatus(from, mentionFields(recipientId));
    return newestInteractableStatus(this.parts.store, recipientId) ?? this.madeUpStatus(accountForId(recipientId), {});
  }

  /**
   * Mastodon's poll notification is about an ended poll (Notification#target_status is the poll's
   * status), so the status carries its Poll, expired, with its results. The status was posted a poll's
   * duration before the poll ended, and does not mention the recipient, who voted on it (or wrote it).
   */
  private endedPollStatus(author: AccountJson, recipientId: string): StatusJson {
    const expiresMs = Date.now() - POLL_NOTIFIED_AFTER_MS;
    const status = this.madeUpStatus(author, {}, expiresMs - POLL_DURATION_MS);
    return { ...status, poll: endedPoll(this.parts.store.objectIds.next('polls'), new Date(expiresMs).toISOString(), author.id, recipientId) };
  }

  // A status for a notification of another type (favourite, status, poll, …) is not a new post: built, not stored.
  // One posted in the past takes the next id all the same when the server's ids are already past its time.
  private madeUpStatus(author: AccountJson, overrides: StatusOverrides, createdMs = Date.now()): StatusJson {
    return buildStatus(
      {
        id: this.parts.statusIds.next(createdMs),
        createdAt: new Date(Math.floor(createdMs / 1000) * 1000).toISOString(),
        account: author,
        visibility: 'public',
        tags: [],
        mediaCount: 0,
      },
      overrides,
    );
  }
}
