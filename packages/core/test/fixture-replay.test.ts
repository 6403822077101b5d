import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/client.js';
import type { MastodonEvent } from '../src/events.js';
import type { StreamName } from '../src/stream-names.js';
import { loadSseFixture } from './support/fixtures.js';

// Replays the exact bytes a real Mastodon 4.5.7 server wrote (status line,
// headers, chunked framing) over a real socket, split in many ways, and
// checks what the client delivers. The parser-level test covers every byte
// boundary exhaustively; here the whole HTTP stack is in the loop.

type Plan = { fixture: string; stream: StreamName; params?: { tag?: string; list?: string }; expected: string[] };

const PLANS: Plan[] = [
  {
    fixture: 'sse-user.raw',
    stream: 'user',
    expected: ['update:201', 'status.update:201', 'notification:301', 'notifications_merged', 'filters_changed', 'announcement:5', 'announcement.reaction', 'announcement.delete:5', 'unknown:unknown_custom_event', 'delete:201'],
  },
  { fixture: 'sse-user-notification.raw', stream: 'user:notification', expected: ['notification:405'] },
  { fixture: 'sse-public.raw', stream: 'public', expected: ['update:111', 'delete:111', 'unknown:unknown_custom_event'] },
  { fixture: 'sse-public-local-qs.raw', stream: 'public:local', expected: ['update:404'] },
  { fixture: 'sse-hashtag.raw', stream: 'hashtag', params: { tag: 'Test' }, expected: ['update:401'] },
  { fixture: 'sse-hashtag-local.raw', stream: 'hashtag:local', params: { tag: 'test' }, expected: ['update:402'] },
  { fixture: 'sse-list.raw', stream: 'list', params: { list: '42' }, expected: ['update:403'] },
  { fixture: 'sse-direct.raw', stream: 'direct', expected: ['conversation:77'] },
  { fixture: 'sse-kill.raw', stream: 'user', expected: [] },
];

let server: Server;
let url: string;
let writePlan: (socket: Socket) => void = () => {};
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => writePlan(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function describeEvent(event: MastodonEvent): string {
  switch (event.event) {
    case 'unknown':
      return `unknown:${event.name}`;
    case 'delete':
    case 'announcement.delete':
      return `${event.event}:${event.payload}`;
    case 'update':
    case 'status.update':
    case 'notification':
    case 'conversation':
    case 'announcement':
      return `${event.event}:${event.payload.id}`;
    default:
      return event.event;
  }
}

async function replay(plan: Plan, chunks: Uint8Array[]): Promise<string[]> {
  writePlan = (socket) => {
    let index = 0;
    const next = () => {
      if (socket.destroyed) return;
      const chunk = chunks[index++];
      if (chunk === undefined) {
        // Captures without a terminator end where the client hung up: keep the socket open.
        if (plan.fixture === 'sse-kill.raw') socket.end();
        return;
      }
      socket.write(chunk, () => setImmediate(next));
    };
    next();
  };
  const client = createClient({ url, streamingUrl: url, accessToken: 'peer-test-token' });
  const seen: string[] = [];
  const heartbeats: string[] = [];
  const stream = client.stream(plan.stream, plan.params, { reconnect: false, onHeartbeat: (comment) => heartbeats.push(comment) });
  for await (const event of stream) {
    seen.push(describeEvent(event));
    if (seen.length === plan.expected.length) break;
  }
  if (plan.fixture !== 'sse-kill.raw') expect(heartbeats[0]).toBe(')');
  return seen;
}

describe.each(PLANS)('$fixture replayed over HTTP', (plan) => {
  const { raw } = loadSseFixture(plan.fixture);

  it('in one write', async () => {
    expect(await replay(plan, [raw])).toEqual(plan.expected);
  });

  it('one byte per write (every boundary, including inside multi-byte characters)', async () => {
    expect(await replay(plan, Array.from(raw, (byte) => Uint8Array.of(byte)))).toEqual(plan.expected);
  }, 60_000);

  it('split in two at 24 points spread over the response', async () => {
    for (let step = 1; step <= 24; step++) {
      const split = Math.floor((raw.length * step) / 25);
      expect(await replay(plan, [raw.subarray(0, split), raw.subarray(split)])).toEqual(plan.expected);
    }
  }, 60_000);
});

describe('a stream that switches to CRLF line endings halfway (the lazily loaded getLines path)', () => {
  const plan = PLANS[0] as Plan;
  const body = new TextDecoder().decode(loadSseFixture(plan.fixture).body);
  const half = body.indexOf('\n', body.length >> 1) + 1;
  const raw = new TextEncoder().encode(
    `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n${body.slice(0, half)}${body.slice(half).replaceAll('\n', '\r\n')}`,
  );

  it('in one write', async () => {
    expect(await replay(plan, [raw])).toEqual(plan.expected);
  });

  it('one byte per write', async () => {
    expect(await replay(plan, Array.from(raw, (byte) => Uint8Array.of(byte)))).toEqual(plan.expected);
  }, 60_000);
});
