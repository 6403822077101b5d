import type { Notification } from './entities.js';

/**
 * The object each known notification type attaches (entities.md, "Notification types"); `''` for the types that
 * attach none the types name (the 4.6 collection types carry a `collection`, which no schema describes yet).
 */
const ATTACHED_OBJECT = {
  mention: 'status',
  reblog: 'status',
  favourite: 'status',
  poll: 'status',
  status: 'status',
  update: 'status',
  quote: 'status',
  quoted_update: 'status',
  'admin.report': 'report',
  severed_relationships: 'event',
  moderation_warning: 'moderation_warning',
  follow: '',
  follow_request: '',
  'admin.sign_up': '',
  added_to_collection: '',
  collection_update: '',
} as const;

type AttachedObject = typeof ATTACHED_OBJECT;

/** A notification type Mastodon documents (up to 4.6); a {@link KnownNotification} has one of these. */
export type KnownNotificationType = keyof AttachedObject;

/**
 * A notification of the known type `T`, with the object that type attaches there and not null: the `status` of a
 * `mention`, the `report` of an `admin.report`, the `event` of `severed_relationships`.
 */
export type NotificationOf<T extends KnownNotificationType> = Omit<Notification, 'type'> & { type: T } & {
  [Field in AttachedObject[T] & keyof Notification]-?: NonNullable<Notification[Field]>;
};

/**
 * A notification whose type is known and whose attached object is there, as a union discriminated by `type`: after
 * {@link isKnownNotification}, `n.type === 'mention'` makes `n.status` a `Status`, a misspelt type does not compile,
 * and a `switch` over `n.type` can be exhaustive.
 */
export type KnownNotification = { [T in KnownNotificationType]: NotificationOf<T> }[KnownNotificationType];

/**
 * True when the notification's type is one Mastodon documents and the object that type attaches is there (not null).
 * A type Mastodon added later, an undocumented one, or a `mention` whose status is missing (a fork's, or one the
 * validation did not check: `validate: 'off'`) is not: handle those as plain {@link Notification}s.
 *
 * @example
 * ```ts
 * import { isKnownNotification } from '@tootstream/core/schemas';
 *
 * for await (const event of client.userNotification()) {
 *   if (event.event !== 'notification' || !isKnownNotification(event.payload)) continue;
 *   const n = event.payload;
 *   if (n.type === 'mention') console.log(n.account.acct, n.status.content); // no `!`: a mention's status is there
 *   else if (n.type === 'admin.report') console.log('report', n.report.id);
 * }
 * ```
 */
export function isKnownNotification(notification: Notification): notification is KnownNotification {
  // Own keys only: `constructor` is no notification type.
  if (!Object.hasOwn(ATTACHED_OBJECT, notification.type)) return false;
  const attached = ATTACHED_OBJECT[notification.type as KnownNotificationType];
  return attached === '' || (notification as Record<string, unknown>)[attached] != null;
}
