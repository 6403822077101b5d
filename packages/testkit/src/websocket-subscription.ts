import type { ChannelSubscriber } from './channel-subscriber.js';
import { parseJsonObject } from './payload.js';
import type { FeedGate, ViewerSession } from './status-screening.js';
import type { FakeWebSocketSubscription, StreamName } from './types.js';
import type { ChannelRequest, ResolvedChannel } from './websocket-channels.js';

/** What a subscription needs from the socket it belongs to. */
export interface SubscriptionOwner {
  readonly accountId: string;
  readonly scopes: readonly string[];
  readonly viewerSession: ViewerSession;
  sendText(text: string): boolean;
  /** Counts an event frame that went out (the `/metrics` counter). */
  countEventSent(): void;
}

/**
 * The fields of a client message, or undefined for non-JSON and JSON that is not an object:
 * both are ignored and the socket stays open, as captured. Unknown `type`s come back as they are.
 *
 * @example
 * parseClientMessage('{"type":"subscribe","stream":"user"}') // { type: 'subscribe', stream: 'user', … }
 */
export function parseClientMessage(text: string): (ChannelRequest & { type: unknown }) | undefined {
  const fields = parseJsonObject(text) as Record<string, unknown> | undefined;
  if (fields === undefined) return undefined;
  return { type: fields['type'], stream: fields['stream'], tag: fields['tag'], list: fields['list'] };
}

/**
 * One channel of a WebSocket; the publisher delivers to it like to an SSE stream.
 *
 * @example
 * session.channels.add(new WebSocketSubscription(channel, session));
 */
export class WebSocketSubscription implements ChannelSubscriber, FakeWebSocketSubscription {
  readonly stream: StreamName;
  readonly tag?: string;
  readonly list?: string;
  readonly label: ReadonlyArray<string | number>;
  readonly key: string;
  readonly feedGate: FeedGate;

  constructor(
    channel: ResolvedChannel,
    private readonly owner: SubscriptionOwner,
  ) {
    this.stream = channel.stream;
    if (channel.tag !== undefined) this.tag = channel.tag;
    if (channel.list !== undefined) this.list = channel.list;
    this.label = channel.label;
    this.key = channel.key;
    this.feedGate = owner.viewerSession.feedGate(channel.stream);
  }

  get accountId(): string {
    return this.owner.accountId;
  }

  get scopes(): readonly string[] {
    return this.owner.scopes;
  }

  // One per socket: 4.5.7 keeps languages and cached filters on the upgrade request.
  get viewerSession(): ViewerSession {
    return this.owner.viewerSession;
  }

  sendEvent(event: string, data: string | undefined): boolean {
    // Key order as Mastodon builds the object; an absent payload drops the key, as JSON.stringify does there.
    const sent = this.owner.sendText(JSON.stringify({ stream: this.label, event, payload: data }));
    if (sent) this.owner.countEventSent();
    return sent;
  }
}
