import type { FakeWebSocketSubscription } from './types.js';
import type { WebSocketSubscription } from './websocket-subscription.js';

/** What a test sees of a subscription: exactly its typed fields, as a frozen plain object. */
function publicView(subscription: WebSocketSubscription): FakeWebSocketSubscription {
  return Object.freeze({
    stream: subscription.stream,
    ...(subscription.tag === undefined ? {} : { tag: subscription.tag }),
    ...(subscription.list === undefined ? {} : { list: subscription.list }),
    label: Object.freeze([...subscription.label]),
  });
}

/**
 * A socket's live subscriptions, kept twice in the same order: the internal ones the publisher
 * delivers to (they hold the socket, its feed gate and the channel key), and their public views
 * for `FakeWebSocket.subscriptions`. The views carry nothing else, so a test's `toEqual` and
 * `JSON.stringify` work on them (the internal ones are circular through the socket).
 *
 * @example
 * const list = new SubscriptionList();
 * list.add(new WebSocketSubscription(channel, session));
 * list.views; // [{ stream: 'hashtag', tag: 'rust', label: ['hashtag', 'Rust'] }]
 */
export class SubscriptionList {
  private readonly live: WebSocketSubscription[] = [];
  /** The same array all along, so a test holding it sees later changes, as before. */
  private readonly publicViews: FakeWebSocketSubscription[] = [];

  /** The internal subscriptions, for delivery and `/metrics`. */
  get subscribers(): ReadonlyArray<WebSocketSubscription> {
    return this.live;
  }

  /** What `FakeWebSocket.subscriptions` shows. */
  get views(): ReadonlyArray<FakeWebSocketSubscription> {
    return this.publicViews;
  }

  has(key: string): boolean {
    return this.live.some((existing) => existing.key === key);
  }

  add(subscription: WebSocketSubscription): void {
    this.live.push(subscription);
    this.publicViews.push(publicView(subscription));
  }

  remove(key: string): void {
    const index = this.live.findIndex((existing) => existing.key === key);
    if (index < 0) return;
    this.live.splice(index, 1);
    this.publicViews.splice(index, 1);
  }

  clear(): void {
    this.live.length = 0;
    this.publicViews.length = 0;
  }
}
