import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { mentionedLocalIds } from './mention-drops.js';
import type { NotifyOptions } from './notify-options.js';

/** What the local steps of an edit's fan-out need from the publisher. */
export interface EditFanOutParts {
  readonly store: ContentStore;
  /** The fake's local accounts: those that own a token. */
  readonly localAccountIds: ReadonlySet<string>;
  /** notify_mentioned_accounts!'s LocalNotificationWorker jobs, as posting runs them (one mention notification per mention). */
  readonly notifyMentioned: (status: StatusJson) => void;
  /** PushUpdateWorker: `status.update` on `timeline:<accountId>:notifications`, rendered for that account. */
  readonly pushToNotifications: (accountId: string, status: StatusJson) => void;
  /** LocalNotificationWorker → NotifyService for one notification (its drops apply). */
  readonly notify: (accountId: string, options: NotifyOptions) => void;
}

/**
 * FanOutOnWriteService#fan_out_to_local_recipients! with `update: true` (Mastodon 4.5), the steps
 * beyond the feeds and streams a new status reaches too:
 * - notify_mentioned_accounts!: a `mention` notification for each local account mentioned, which
 *   LocalNotificationWorker skips for an account that already has one for that mention, so only
 *   mentions the edit added notify; then `status.update` to each mentioned local account's
 *   notifications channel ("may result in duplicate update payloads", the source says, for a
 *   reader whose home has the status too), so an edit of a status seen only through its mention
 *   reaches the client;
 * - notify_about_update!: an `update` notification to each local account that boosted the status
 *   (a stored boost by a token owner, or the `reblog` notification of one), replacing its older `update` of that status, and a
 *   `quoted_update` to the author of each accepted quote of it (a stored status whose `quote` is
 *   accepted and names it), replacing the older one likewise.
 * deliver_to_conversation! does not run on an update, so the existing participants' conversations are not
 * streamed; a mention the edit adds to a `direct` status gives that account its conversation (NotifyService).
 *
 * @example
 * fanOutEditLocally(stored.status, parts) // bob's new mention notified; alice, who boosted it, gets `update`
 */
export function fanOutEditLocally(status: StatusJson, parts: EditFanOutParts): void {
  parts.notifyMentioned(status);
  for (const accountId of mentionedLocalIds(status, parts.localAccountIds)) parts.pushToNotifications(accountId, status);
  for (const boosterId of localBoosterIds(status, parts)) {
    replaceOlder(parts.store, boosterId, 'update', status.id);
    parts.notify(boosterId, { type: 'update', status, fromAccount: status.account });
  }
  for (const quote of acceptedQuotesOf(status.id, parts)) {
    replaceOlder(parts.store, quote.account.id, 'quoted_update', quote.id);
    // Notification#set_from_account: a quoted_update comes from the quoted (edited) status's author, about the quote.
    parts.notify(quote.account.id, { type: 'quoted_update', status: quote, fromAccount: status.account });
  }
}

/**
 * `reblogged_by_accounts.merge(Account.local)`: the local accounts that boosted the status, once each (Mastodon
 * allows one boost of a status per account, `validates :reblog, uniqueness: { scope: :account }`; the fake stores a
 * second one if a test posts it). A boost is a Status row however the fake learned of it: a stored boost, or the
 * `reblog` notification its author got (ReblogService queues one per boost, app/services/reblog_service.rb:46,
 * about the boosted status and from the booster; it goes when the boost does, app/models/status.rb:98), as
 * `reblogged_by_accounts` goes through `reblogs` (status.rb:77-78).
 */
function localBoosterIds(status: StatusJson, parts: EditFanOutParts): Set<string> {
  const boosters = new Set<string>();
  for (const { status: stored } of parts.store.allStatuses()) if (stored.reblog?.id === status.id) boosters.add(stored.account.id);
  for (const notification of parts.store.notificationsOf(status.account.id)) {
    if (notification.type === 'reblog' && notification.status?.id === status.id) boosters.add(notification.account.id);
  }
  return new Set([...boosters].filter((accountId) => parts.localAccountIds.has(accountId)));
}

/**
 * `quotes.accepted`: stored statuses quoting it, their `quote` accepted (a Quote with its
 * `quoted_status`, or a ShallowQuote's `quoted_status_id`). NotifyService makes nothing for a
 * remote quoter (it has no user), so only local ones are kept.
 */
function acceptedQuotesOf(statusId: string, parts: EditFanOutParts): StatusJson[] {
  return parts.store
    .allStatuses()
    .map((stored) => stored.status)
    .filter((candidate) => quotedIdOf(candidate.quote) === statusId && parts.localAccountIds.has(candidate.account.id));
}

function quotedIdOf(quote: Record<string, unknown> | null): string | undefined {
  if (quote === null || quote['state'] !== 'accepted') return undefined;
  const quoted = quote['quoted_status'];
  const id = quoted !== null && typeof quoted === 'object' ? (quoted as Record<string, unknown>)['id'] : quote['quoted_status_id'];
  return typeof id === 'string' ? id : undefined;
}

/** LocalNotificationWorker: "for updates … the new notification should replace the previous ones". */
function replaceOlder(store: ContentStore, accountId: string, type: 'update' | 'quoted_update', statusId: string): void {
  store.deleteNotifications(accountId, (notification) => notification.type === type && notification.status?.id === statusId);
}
