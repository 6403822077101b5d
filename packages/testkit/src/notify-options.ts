// notify()'s options and their run-time check. Kept apart from the Publisher: like every other
// options object of the testkit, a name the type does not have is refused at the call, and the
// Notification JSON keys a test adds or replaces go in `fields`, where they cannot hide a typo.
import type { FakeNotificationType, StatusJson, StatusNotificationType } from './entity-json.js';
import type { AccountJson, KnownAccountName } from './identities.js';
import { shown } from './durations.js';
import { checkOptionNames, nearestName, type OptionNames } from './option-names.js';

/**
 * Keys a test adds to or replaces in the Notification JSON {@link FakeMastodon.notify} builds, e.g.
 * `created_at` for a notification from the past or `report` for an `admin.report` (replacing the fake's). The keys an
 * option sets (`type`, `account` = `fromAccount`, `status`) are refused here, at compile time and
 * at run time: the fake acts on the options (who is muted, which status is counted), so a key that
 * only changed the JSON would make the notification say one thing and the fake do another.
 * A key set to `undefined` is left out.
 *
 * @example
 * server.notify('1001', { type: 'mention', fields: { created_at: new Date(Date.now() - 60_000).toISOString() } });
 */
export interface NotificationFields {
  /** Replaces the sequential id (REST pages notifications by it). */
  id?: string | undefined;
  created_at?: string | undefined;
  /** Replaces the fake's group key (`ungrouped-<id>`, or the group of a `favourite`, `reblog`, `follow` or `admin.sign_up`). */
  group_key?: string | undefined;
  /**
   * `true` makes the notification one a notification policy filtered: stored, never streamed (NotifyService pushes
   * none), ungrouped, and served by GET /api/v1/notifications only with `include_filtered` or `account_id`.
   */
  filtered?: boolean | undefined;
  /** Set with the `type` option. */
  type?: never;
  /** Set with the `fromAccount` option. */
  account?: never;
  /** Set with the `status` option. */
  status?: never;
  [key: string]: unknown;
}

// A brand, not a plain string: with `string` in the union, a misspelt type would compile again.
declare const unlisted: unique symbol;

/** A notification type Mastodon 4.5 does not list, marked as meant by {@link unlistedNotificationType}. */
export type UnlistedNotificationType = string & { readonly [unlisted]: true };

/**
 * Marks `type` as a notification type the test means although Mastodon 4.5 does not list it (a fork's
 * `emoji_reaction`, a later version's `added_to_collection`), or one known only at run time: the escape
 * hatch of {@link NotifyOptions.type}, which otherwise refuses a misspelt type at compile time. The
 * string is returned unchanged; the fake sends whatever type it is given.
 *
 * @example
 * server.notify('1001', { type: unlistedNotificationType('emoji_reaction') });
 */
export function unlistedNotificationType(type: string): UnlistedNotificationType {
  return type as UnlistedNotificationType;
}

/** Options of {@link FakeMastodon.notify}. */
export interface NotifyOptions {
  /**
   * Default `'mention'`. One of Mastodon 4.5's Notification::TYPES (app/models/notification.rb), so a
   * misspelt type (`'mentoin'`) does not compile; `annual_report` is one of them, though 4.5 never
   * creates it. A type 4.5 does not list (a fork's, a later version's) goes through
   * {@link unlistedNotificationType}, and makes a notification of that type without a status, as a
   * client must take undocumented types.
   */
  type?: FakeNotificationType | 'annual_report' | UnlistedNotificationType | undefined;
  /**
   * Status for status-bearing types, attached as given (not stored or streamed), rendered for the
   * recipient (viewer fields added where missing); for a `mention` of a status whose posting already
   * notified the recipient, that notification is returned and nothing new is made. Default for `mention`: a new public status by
   * the sender, posted as `postStatus` would with only the sender's own home (see
   * {@link FakeMastodon.notify}); for `favourite` and `reblog` the recipient's own newest public or
   * unlisted status, else one made up by the recipient; for other types one made up by the
   * sender (for `poll`, with a poll that has just ended). Made-up statuses are only part of the notification. A `favourite` or `reblog` of a
   * stored status (given or default) raises its count in the store; a given status that is not
   * stored is attached with its counts as they are.
   */
  status?: StatusJson | undefined;
  /**
   * The sender: a fixture name or an Account object; default `'bob'`, or the recipient for
   * `severed_relationships`, `moderation_warning` and `annual_report`, which Mastodon sends "from" the recipient.
   */
  fromAccount?: KnownAccountName | AccountJson | undefined;
  /** Extra or replacement keys of the Notification JSON (see {@link NotificationFields}). */
  fields?: NotificationFields | undefined;
}

/** {@link NotifyOptions} of a type that always gets a status; the type left out is the default `mention`. */
export interface StatusNotifyOptions extends NotifyOptions {
  type?: StatusNotificationType | undefined;
}

const NOTIFY_OPTIONS = { type: 'optional', status: 'optional', fromAccount: 'optional', fields: 'optional' } as const satisfies OptionNames<NotifyOptions>;

/** The keys of `fields` an option sets, and that option. */
const SET_BY_OPTION: Readonly<Record<string, keyof NotifyOptions>> = { type: 'type', account: 'fromAccount', status: 'status' };

const CALL = 'FakeMastodon.notify';

/**
 * Throws a TypeError for a name `notify`'s options do not have (naming the option meant when one
 * is close, else pointing at `fields`: before `fields` existed, a Notification JSON key went next
 * to the options), for `fields` that are not an object, and for a key of `fields` an option sets.
 *
 * @example
 * checkNotifyOptions({ type: 'mention', fromAcount: 'carol' });
 * // FakeMastodon.notify: unknown option 'fromAcount' (did you mean 'fromAccount'?)
 */
export function checkNotifyOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) {
    const known = Object.keys(NOTIFY_OPTIONS);
    for (const name of Object.keys(options)) {
      if (Object.hasOwn(NOTIFY_OPTIONS, name) || nearestName(name, known) !== undefined) continue;
      throw new TypeError(`${CALL}: unknown option '${name}' (known options: ${known.join(', ')}; a key of the Notification JSON goes in fields: { fields: { ${name}: … } })`);
    }
  }
  checkOptionNames(CALL, options, NOTIFY_OPTIONS);
  const { fields } = options as NotifyOptions;
  if (fields === undefined) return;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new TypeError(`${CALL}: fields must be an object of Notification JSON keys, got ${Array.isArray(fields) ? 'an array' : shown(fields)}`);
  }
  for (const [key, option] of Object.entries(SET_BY_OPTION)) {
    if (Object.hasOwn(fields, key) && (fields as Record<string, unknown>)[key] !== undefined) {
      throw new TypeError(`${CALL}: fields.${key} is set by the option '${option}', which the fake also acts on; pass { ${option}: … } instead`);
    }
  }
}
