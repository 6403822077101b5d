// Notification::Groups#set_group_key! of Mastodon 4.5, with a per-server map in place of Redis.
// NotifyService calls it for each notification it keeps (not for one it drops) before saving it;
// the streamed notification carries the key it set, or `ungrouped-<id>` for the others.

import type { NotificationJson } from './entity-json.js';

const GROUPABLE_TYPES = new Set(['favourite', 'reblog', 'follow', 'admin.sign_up']);
const MAXIMUM_GROUP_SPAN_HOURS = 12;
const HOUR_MS = 3_600_000;
// The Redis key's `ex:` is the same 12 hours, counted from each write, on the server's clock.
const KEY_LIFETIME_MS = MAXIMUM_GROUP_SPAN_HOURS * HOUR_MS;

/**
 * When a notification's activity was created, which set_group_key! buckets by
 * (`activity.created_at`, app/models/concerns/notification/groups.rb:26). For `admin.sign_up` the
 * activity is the new account itself, which is also the sender (queued with the Account,
 * app/services/bootstrap_timeline_service.rb:21; Notification#set_from_account,
 * app/models/notification.rb:215-216), so its bucket is the account's `created_at`, however
 * long after the sign-up staff are notified (once the account is confirmed and approved). For
 * the other types the fake dates the activity (the favourite, boost or follow) as the
 * notification, `fields.created_at` included. A time that does not parse is taken as now.
 * Mastodon's Account JSON renders only the day of `created_at` (its midnight,
 * REST::AccountSerializer#created_at), while set_group_key! reads the exact time: a test that
 * cares gives the sender a `created_at` with the hour it wants.
 *
 * @example
 * activityTime({ ...notification, type: 'admin.sign_up', account: { ...bob, created_at: '2026-11-28T09:15:00.000Z' } })
 * // Date.parse('2026-11-28T09:15:00.000Z')
 */
export function activityTime(notification: NotificationJson): number {
  const created = notification.type === 'admin.sign_up' ? notification.account.created_at : notification.created_at;
  const ms = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}

/** What set_group_key! reads of a notification. */
export interface GroupedNotification {
  readonly recipientId: string;
  readonly type: string;
  /** Notification#target_status's id: the favourited status, or the original a boost points at. */
  readonly targetStatusId: string | undefined;
  /** When the activity (the favourite, boost, follow or new account) was created. */
  readonly activityMs: number;
  /** A notification the recipient's notification policy filtered is never grouped. */
  readonly filtered: boolean;
}

/**
 * One server's notification groups: the `notif-group/<account>/<type prefix>` Redis keys, each
 * holding the hour bucket its group started in.
 */
export class NotificationGroups {
  private readonly buckets = new Map<string, { bucket: number; expiresAtMs: number }>();

  /**
   * The `group_key` set_group_key! gives the notification, recording its bucket as the Redis key
   * would; undefined for a type that is not grouped (or a filtered notification), whose key the
   * serializer renders as `ungrouped-<id>`. `favourite` and `reblog` group per target status,
   * `follow` and `admin.sign_up` per type; the group's hour bucket is reused while the activity's
   * hour is less than 12 hours past it (an earlier activity, too, joins the newer group).
   *
   * @example
   * groups.groupKey({ recipientId: '1001', type: 'follow', targetStatusId: undefined, activityMs: Date.now(), filtered: false })
   * // 'follow-494915'
   */
  groupKey(notification: GroupedNotification): string | undefined {
    const { recipientId, type, targetStatusId, activityMs, filtered } = notification;
    if (filtered || !GROUPABLE_TYPES.has(type)) return undefined;
    // `[type, target_status&.id].join('-')`: a missing status leaves the dash.
    const prefix = type === 'favourite' || type === 'reblog' ? `${type}-${targetStatusId ?? ''}` : type;
    const redisKey = `${recipientId}/${prefix}`;
    const nowMs = Date.now();
    const stored = this.buckets.get(redisKey);
    // `redis.get(key).to_i`: an expired or missing key reads as 0.
    const previous = stored !== undefined && stored.expiresAtMs > nowMs ? stored.bucket : 0;
    const ownBucket = Math.floor(activityMs / HOUR_MS);
    const bucket = ownBucket < previous + MAXIMUM_GROUP_SPAN_HOURS ? previous : ownBucket;
    this.buckets.set(redisKey, { bucket, expiresAtMs: nowMs + KEY_LIFETIME_MS });
    return `${prefix}-${bucket}`;
  }
}
