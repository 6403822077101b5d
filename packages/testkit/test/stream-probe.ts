import type { FakeMastodon, PublishTarget } from '@tootstream/testkit';
import { StreamReader } from './sse-client.js';
import { connectWebSocket, type RawWebSocket } from './ws-client.js';

export type Transport = 'sse' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['sse', 'ws'];

/** One event as a client sees it; `data` is the SSE data line or the WebSocket `payload`. */
export interface ProbeEvent {
  event: string;
  data: string | undefined;
}

/** A stream to open: its SSE path and the same stream as WebSocket URL parameters. */
export interface ProbeStream {
  ssePath: string;
  wsQuery: string;
  /** Where the end marker is published. */
  target: PublishTarget;
}

export const PUBLIC: ProbeStream = { ssePath: '/api/v1/streaming/public', wsQuery: 'stream=public', target: { stream: 'public' } };

/** One subscribed stream over SSE or WebSocket, read the same way. */
export interface StreamProbe {
  events(): ProbeEvent[];
  waitForEvents(predicate: (events: ProbeEvent[]) => boolean): Promise<ProbeEvent[]>;
  close(): void;
}

const MARKER = 'tootstream_probe_marker';

/** Opens `stream` as the token's owner and resolves once the server delivers to it. */
export async function openProbe(server: FakeMastodon, transport: Transport, stream: ProbeStream, token = 'peer-test-token'): Promise<StreamProbe> {
  if (transport === 'sse') {
    const before = server.totalConnections;
    const reader = await StreamReader.open(`${server.url}${stream.ssePath}`, token);
    await server.waitForConnection((connection) => connection.id > before && connection.token === token);
    return {
      events: () => reader.events,
      waitForEvents: async (predicate) => {
        await reader.until((r) => predicate(r.events));
        return reader.events;
      },
      close: () => reader.close(),
    };
  }
  const { ws } = await connectWebSocket(server, `/api/v1/streaming?${stream.wsQuery}`, { Authorization: `Bearer ${token}` });
  const events = (): ProbeEvent[] => frameEvents(ws);
  return {
    events,
    waitForEvents: async (predicate) => {
      await ws.waitForFrames(() => predicate(events()));
      return events();
    },
    close: () => ws.close(),
  };
}

function frameEvents(ws: RawWebSocket): ProbeEvent[] {
  return ws.texts.flatMap((text) => {
    const frame = JSON.parse(text) as { event?: string; payload?: string };
    return frame.event === undefined ? [] : [{ event: frame.event, data: frame.payload }];
  });
}

/**
 * Publishes an unknown event (forwarded verbatim, never filtered) and returns everything the
 * probe received before it, so "nothing was delivered" is observable without waiting out a timer.
 */
export async function eventsBeforeMarker(server: FakeMastodon, probe: StreamProbe, target: PublishTarget): Promise<ProbeEvent[]> {
  server.publish(target, MARKER, 'end');
  const events = await probe.waitForEvents((received) => received.some((event) => event.event === MARKER));
  return events.slice(0, events.findIndex((event) => event.event === MARKER));
}
