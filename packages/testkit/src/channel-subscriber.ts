import type { ChannelKey } from './fanout.js';
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
  /**
   * Sends one event; `data` undefined means the event has no payload at all (pre-4.2
   * `filters_changed`). Returns false when the subscriber is not (or no longer) receiving.
   */
  sendEvent(event: string, data: string | undefined): boolean;
}
