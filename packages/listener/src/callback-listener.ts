import type { Announcement, AnnouncementReaction, Conversation, Notification, Status } from '@tootstream/core';
import { MastodonIllegalArgumentError, MastodonMalformedEventError } from './errors.js';
import { StreamListener, type Awaitable } from './stream-listener.js';
import { refuseOtherOptions, shown } from './stream-options.js';

/** The callbacks of {@link CallbackStreamListener}; all optional, an unset one skips its event silently. */
export interface CallbackHandlers {
  /** `update`. */
  updateHandler?: ((status: Status) => Awaitable<unknown>) | undefined;
  /** `update` of a local status (author `acct` without `@`), called after `updateHandler`. */
  localUpdateHandler?: ((status: Status) => Awaitable<unknown>) | undefined;
  /** `delete`, with the status id as a string. */
  deleteHandler?: ((statusId: string) => Awaitable<unknown>) | undefined;
  /** `notification`. */
  notificationHandler?: ((notification: Notification) => Awaitable<unknown>) | undefined;
  /** `conversation`. */
  conversationHandler?: ((conversation: Conversation) => Awaitable<unknown>) | undefined;
  /** Every other event (including `notifications_merged`), with its parsed JSON or raw text. */
  unknownEventHandler?: ((name: string, payload: unknown) => Awaitable<unknown>) | undefined;
  /** `status.update`. */
  statusUpdateHandler?: ((status: Status) => Awaitable<unknown>) | undefined;
  /** `filters_changed`, without arguments. */
  filtersChangedHandler?: (() => Awaitable<unknown>) | undefined;
  /** `announcement`. */
  announcementHandler?: ((announcement: Announcement) => Awaitable<unknown>) | undefined;
  /** `announcement.reaction`. */
  announcementReactionHandler?: ((reaction: AnnouncementReaction) => Awaitable<unknown>) | undefined;
  /** `announcement.delete`, with the id as a string. */
  announcementDeleteHandler?: ((announcementId: string) => Awaitable<unknown>) | undefined;
  /** `encrypted_message`. */
  encryptedMessageHandler?: ((payload: unknown) => Awaitable<unknown>) | undefined;
  /**
   * Mastodon.py's misspelt parameter name (`encryted_message_handler`), accepted so ported code keeps working.
   * @deprecated Use `encryptedMessageHandler`.
   */
  encrytedMessageHandler?: ((payload: unknown) => Awaitable<unknown>) | undefined;
}

/**
 * A listener made of callbacks instead of a subclass (Mastodon.py's
 * `CallbackStreamListener`, with camelCase parameter names).
 *
 * `localUpdateHandler` runs after `updateHandler`, only for statuses whose
 * top-level `account.acct` has no `@` (for a boost: the booster). If the
 * status has no `account.acct`, a `MastodonMalformedEventError('received bad
 * update')` is thrown after `updateHandler` ran.
 *
 * @example
 * ```ts
 * const listener = new CallbackStreamListener({
 *   updateHandler: (status) => console.log('update', status.id),
 *   localUpdateHandler: (status) => console.log('local update', status.id),
 *   deleteHandler: (id) => console.log('delete', id),
 * });
 * const handle = await mastodon.streamUser(listener, { runAsync: true, reconnectAsync: true });
 * ```
 */
export class CallbackStreamListener extends StreamListener {
  readonly #handlers: Readonly<CallbackHandlers>;

  constructor(handlers: CallbackHandlers = {}) {
    super();
    // Python also takes the handlers positionally and by snake_case name; from JavaScript, a function or a Python name
    // made a listener that called nothing, without a word, and so did a misspelt name (`updatehandler`, `udpateHandler`,
    // StreamListener's `onUpdate`), which Python refuses as an unexpected keyword. Only names that look like a handler's:
    // an object's other fields (`_seen`, a spread config's) were never handlers and stay accepted.
    if (typeof handlers != 'object' || !handlers) throw new MastodonIllegalArgumentError(`handlers must be an object such as { updateHandler } (got ${shown(handlers)})`);
    for (const key of Object.keys(handlers)) {
      if (/[Hh]andler$|^on[A-Z]/.test(key) && !/^(update|localUpdate|delete|notification|conversation|unknownEvent|statusUpdate|filtersChanged|announcement(Reaction|Delete)?|encryp?tedMessage)Handler$/.test(key)) {
        refuseOtherOptions({ [key]: 0 }, [], 'CallbackStreamListener');
      }
    }
    this.#handlers = { ...handlers, encryptedMessageHandler: handlers.encryptedMessageHandler ?? handlers.encrytedMessageHandler };
  }

  override async onUpdate(status: Status): Promise<void> {
    await this.#handlers.updateHandler?.(status);
    const local = this.#handlers.localUpdateHandler;
    if (local === undefined) return;
    // Only the locality check is guarded: an error thrown by the handler itself must reach the caller as it is.
    const acct = (status as { account?: { acct?: unknown } } | null)?.account?.acct;
    if (typeof acct !== 'string') throw new MastodonMalformedEventError('received bad update', [status]);
    if (!acct.includes('@')) await local(status);
  }

  override async onDelete(statusId: string): Promise<void> {
    await this.#handlers.deleteHandler?.(statusId);
  }

  override async onNotification(notification: Notification): Promise<void> {
    await this.#handlers.notificationHandler?.(notification);
  }

  override async onConversation(conversation: Conversation): Promise<void> {
    await this.#handlers.conversationHandler?.(conversation);
  }

  override async onStatusUpdate(status: Status): Promise<void> {
    await this.#handlers.statusUpdateHandler?.(status);
  }

  override async onFiltersChanged(): Promise<void> {
    await this.#handlers.filtersChangedHandler?.();
  }

  override async onAnnouncement(announcement: Announcement): Promise<void> {
    await this.#handlers.announcementHandler?.(announcement);
  }

  override async onAnnouncementReaction(reaction: AnnouncementReaction): Promise<void> {
    await this.#handlers.announcementReactionHandler?.(reaction);
  }

  override async onAnnouncementDelete(announcementId: string): Promise<void> {
    await this.#handlers.announcementDeleteHandler?.(announcementId);
  }

  override async onEncryptedMessage(payload: unknown): Promise<void> {
    await this.#handlers.encryptedMessageHandler?.(payload);
  }

  /** Mastodon.py's CallbackStreamListener has no parameter for it, so it goes where Python sends it: the unknown-event callback, with its wire payload `1`. */
  override async onNotificationsMerged(): Promise<void> {
    await this.#handlers.unknownEventHandler?.('notifications_merged', 1);
  }

  override async onUnknownEvent(name: string, payload: unknown): Promise<void> {
    await this.#handlers.unknownEventHandler?.(name, payload);
  }
}
