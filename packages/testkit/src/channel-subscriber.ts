import type { ChannelKey } from './fanout.js';
import type { FeedGate, ViewerSession } from './status-screening.js';
import type { StreamName } from './types.js';

/**
 * Whatever listens to one channel and gets its events: an SSE stream, or one subscription of
 * a WebSocket. The publisher fans out to both through this, so a status published once reaches
 * SSE and WebSocket clients with the same payload text.
 */
export interface ChannelSubscriber extends ChannelKey {
  readonly stream: StreamName;
  readonly tag?: string;
  readonly list?: string;
  readonly accountId: string;
  /** Scopes of the token, which decide whether `user` carries notifications. */
  readonly scopes: readonly string[];
  /** The connection's view of its account, for the public/hashtag rules of protocol.md §8. */
  readonly viewerSession: ViewerSession;
  /** Feed access as read when this channel was subscribed; it does not follow later changes. */
  readonly feedGate: FeedGate;
  /**
   * Sends one event; `data` undefined means the event has no payload at all (pre-4.2
   * `filters_changed`). Returns false when the subscriber is not (or no longer) receiving.
   */
  sendEvent(event: string, data: string | undefined): boolean;
}
