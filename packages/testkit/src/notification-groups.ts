// Notification::Groups#set_group_key! of Mastodon 4.5, with a per-server map in place of Redis.
// NotifyService calls it for each notification it keeps (not for one it drops) before saving it;
// the streamed notification carries the key it set, or `ungrouped-<id>` for the others.

const GROUPABLE_TYPES = new Set(['favourite', 'reblog', 'follow', 'admin.sign_up']);
const MAXIMUM_GROUP_SPAN_HOURS = 12;
const HOUR_MS = 3_600_000;
// The Redis key's `ex:` is the same 12 hours, counted from each write, on the server's clock.
const KEY_LIFETIME_MS = MAXIMUM_GROUP_SPAN_HOURS * HOUR_MS;

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
