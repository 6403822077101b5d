import type { ChannelSubscriber } from './channel-subscriber.js';
import { boostedIdOf } from './status-parties.js';
import type { ContentStore } from './content-store.js';
import type { StatusJson } from './entity-json.js';
import { deleteDeliveries, type StoredStatus } from './fanout.js';
import { internalChannel, type StreamingMetrics } from './streaming-metrics.js';
import { lowerCount } from './interaction-counts.js';
import { compareIds } from './snowflake.js';
import type { ViewerDirectory } from './viewers.js';

/** What {@link removeStatusWithBoosts} needs from the publisher. */
export interface StatusRemovalParts {
  store: ContentStore;
  /** For the copies of a boosted status whose count a removed boost lowers. */
  viewers: ViewerDirectory;
  /** Every live SSE stream and WebSocket subscription, in delivery order. */
  subscribers: () => Iterable<ChannelSubscriber>;
  metrics: StreamingMetrics;
  /** Sends `delete` with the id to one subscriber, through the publisher's payload rules. */
  sendDelete: (connection: ChannelSubscriber, id: string) => void;
}

/**
 * Removes a status as 4.5's RemoveStatusService does (app/services/remove_status_service.rb:16-55),
 * and returns what was removed (homes and lists narrowed to the feeds that gave up an entry), or
 * undefined for an unknown id. The status's own `delete` goes out first; then, unless it is a
 * boost itself, every stored boost of it is removed by its own run (`remove_reblogs`, :41-43,
 * :109-117, which the service calls after the original's home, list and mention deletes), each
 * boost's `delete` reaching the homes and lists that held that boost (a boost reaches no public or
 * hashtag stream, and mentions no one). `staleInHomeOf` applies to the status asked for only.
 *
 * The status's `mention`, `favourite`, `poll` and `reblog` notifications go with it
 * ({@link DESTROYED_WITH_STATUS}). Each boost removed takes its `reblog` notification with it:
 * that notification's activity is the boost (`has_one :notification, as: :activity, dependent:
 * :destroy`, app/models/status.rb:98, destroyed by the run's `destroy!`,
 * app/services/remove_status_service.rb:53). Notification's only destroy callback streams
 * nothing (app/models/notification.rb:201, :225-228).
 *
 * @example
 * removeStatusWithBoosts(status.id, [], parts) // the status, its boosts gone with their deletes
 */
export function removeStatusWithBoosts(id: string, staleInHomeOf: readonly string[], parts: StatusRemovalParts): StoredStatus | undefined {
  const removed = removeOne(id, staleInHomeOf, parts);
  if (removed === undefined) return undefined;
  if (boostedIdOf(removed.status) === undefined) {
    // find_each walks the reblogs in id order.
    const boosts = parts.store.allStatuses().filter((stored) => boostedIdOf(stored.status) === id).map((stored) => stored.status.id).sort(compareIds);
    for (const boostId of boosts) removeOne(boostId, [], parts);
    parts.store.deleteNotificationsOfAll((notification) => DESTROYED_WITH_STATUS.has(notification.type) && notification.status?.id === id);
  }
  return removed;
}

/**
 * The notifications a status's `destroy!` takes with it, unstreamed, whoever holds them: each
 * one's activity is a row destroyed with the status (app/models/status.rb:75-98: `mentions`,
 * `favourites`, `poll`, and the `reblogs` whose runs destroy theirs), and each of those rows
 * destroys its notifications (app/models/mention.rb:19, app/models/favourite.rb:23,
 * app/models/poll.rb:38). A scripted `reblog` notification goes too: in 4.5 a boost made it.
 */
const DESTROYED_WITH_STATUS: ReadonlySet<string> = new Set(['mention', 'favourite', 'poll', 'reblog']);

function removeOne(id: string, staleInHomeOf: readonly string[], parts: StatusRemovalParts): StoredStatus | undefined {
  const stored = parts.store.removeStatus(id, staleInHomeOf);
  if (!stored) return undefined;
  // One Redis message per publish: a channel published twice (home + mention) counts twice.
  const published = new Map<string, number>();
  for (const connection of [...parts.subscribers()]) {
    const times = deleteDeliveries(stored, connection);
    if (times > 0) published.set(internalChannel(connection, 'delete'), times);
    for (let time = 0; time < times; time += 1) parts.sendDelete(connection, id);
  }
  parts.metrics.countReceived([...published.values()].reduce((sum, times) => sum + times, 0));
  const boosted = boostedIdOf(stored.status);
  if (boosted !== undefined) {
    dropReblogNotification(stored.status, boosted, parts.store);
    // A boost destroyed lowers the boosted status's counter cache (`after_destroy_commit :decrement_counter_caches`,
    // app/models/status.rb:144, :482-488), however it went: unboosted, deleted by its author, or with its status.
    lowerCount(parts.store, parts.viewers, boosted, 'reblogs_count');
  }
  return stored;
}

/**
 * The boosted author's `reblog` notification from the booster about that status. The fake does
 * not link a notification to the boost that made it, so it goes only when the booster has no
 * other stored boost of the status left (only a scripted second boost could be one).
 */
function dropReblogNotification(boost: StatusJson, boostedStatusId: string, store: ContentStore): void {
  const boosterId = boost.account.id;
  if (store.statusesBy(boosterId).some((stored) => boostedIdOf(stored.status) === boostedStatusId)) return;
  const authorId = (boost.reblog as StatusJson).account.id;
  store.deleteNotifications(authorId, (notification) => notification.type === 'reblog' && notification.account.id === boosterId && notification.status?.id === boostedStatusId);
}
