import type { ChannelSubscriber } from './channel-subscriber.js';
import { canReadNotifications } from './streaming-route.js';

/** The transports as the server's metrics label them. */
export type MetricsTransport = 'websocket' | 'eventsource';

/** What the metrics read about one connection: its transport, identity and channels. */
export interface MetricsConnection {
  transport: MetricsTransport;
  token: string;
  accountId: string;
  channels: readonly ChannelSubscriber[];
}

/**
 * The server's internal (Redis) channel a subscriber listens on for `event`, named like
 * Mastodon's `timeline:…` channels so that distinct subscriptions count once.
 *
 * @example
 * internalChannel({ stream: 'hashtag:local', tag: 'rust', … }, 'update') // 'timeline:hashtag:rust:local'
 */
export function internalChannel(subscriber: ChannelSubscriber, event: string): string {
  const { stream, accountId } = subscriber;
  if (stream === 'user') return event === 'notification' ? `timeline:${accountId}:notifications` : `timeline:${accountId}`;
  if (stream === 'user:notification') return `timeline:${accountId}:notifications`;
  if (stream === 'hashtag') return `timeline:hashtag:${subscriber.tag ?? ''}`;
  if (stream === 'hashtag:local') return `timeline:hashtag:${subscriber.tag ?? ''}:local`;
  if (stream === 'list') return `timeline:list:${subscriber.list ?? ''}`;
  if (stream === 'direct') return `timeline:direct:${accountId}`;
  return `timeline:${stream}`;
}

/** Every internal channel a subscriber keeps open (a `user` stream with notification scope has two). */
function channelsOf(subscriber: ChannelSubscriber): string[] {
  const main = internalChannel(subscriber, 'update');
  if (subscriber.stream !== 'user' || !canReadNotifications(subscriber.scopes)) return [main];
  return [main, `timeline:${subscriber.accountId}:notifications`];
}

/**
 * The counters behind `GET /metrics`, in the lines of the 4.5.7 sample (`metrics-sample.txt`):
 * connected clients and channels per transport (every connection also holds two `system`
 * channels: its token's and its account's), distinct internal subscriptions, messages the
 * server received on those channels, and events sent per transport.
 *
 * @example
 * const metrics = new StreamingMetrics();
 * metrics.countSent('websocket');
 * metrics.render(connections); // 'connected_clients{type="websocket"} 1\n…'
 */
export class StreamingMetrics {
  private readonly sent: Record<MetricsTransport, number> = { websocket: 0, eventsource: 0 };
  private received = 0;

  countSent(transport: MetricsTransport): void {
    this.sent[transport] += 1;
  }

  /** One message per internal channel that had a listener, however many listened. */
  countReceived(channels: number): void {
    this.received += channels;
  }

  render(connections: readonly MetricsConnection[]): string {
    const lines: string[] = [];
    const subscriptions = new Set<string>();
    for (const transport of ['websocket', 'eventsource'] as const) {
      const mine = connections.filter((connection) => connection.transport === transport);
      lines.push(`connected_clients{type="${transport}"} ${mine.length}`);
      const perChannel = new Map<string, number>([['system', 2 * mine.length]]);
      for (const connection of mine) {
        subscriptions.add(`timeline:access_token:${connection.token}`);
        subscriptions.add(`timeline:system:${connection.accountId}`);
        for (const channel of connection.channels) {
          perChannel.set(channel.stream, (perChannel.get(channel.stream) ?? 0) + 1);
          for (const name of channelsOf(channel)) subscriptions.add(name);
        }
      }
      if (mine.length === 0) perChannel.clear();
      for (const [channel, count] of perChannel) lines.push(`connected_channels{type="${transport}",channel="${channel}"} ${count}`);
    }
    lines.push(`redis_subscriptions ${subscriptions.size}`);
    lines.push(`redis_messages_received_total ${this.received}`);
    lines.push(`messages_sent_total{type="websocket"} ${this.sent.websocket}`);
    lines.push(`messages_sent_total{type="eventsource"} ${this.sent.eventsource}`);
    return `${lines.join('\n')}\n`;
  }
}
