import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { emptyChaosLedger, type ChaosConnectionRecord, type ChaosEventKind, type ChaosLedger, type ChaosLedgerRecord } from './chaos-ledger.js';
import { nextRealCheckPhase } from './durations.js';
import { buildNotification, buildStatus } from './entities.js';
import { KNOWN_ACCOUNTS } from './identities.js';
import { railsQueryValue } from './rails-params.js';
import { CHAOS_FINAL_MARKER } from './chaos-tags.js';
import { CHAOS_SERVER_OPTIONS, type ChaosServerOptions } from './chaos-server-options.js';
import { checkOptionNames } from './option-names.js';

export type { ChaosServerOptions } from './chaos-server-options.js';

/** A running chaos server; see {@link createChaosServer}. */
export interface ChaosServer {
  readonly url: string;
  /** The ledger the server keeps writing as it runs; read-only, as the oracle's checks rely on it. */
  readonly ledger: ChaosLedger;
  /** Streaming responses neither ended by the server nor closed by the client (idle keep-alive sockets are not counted: the client's pool owns those). */
  openStreams(): number;
  close(): Promise<void>;
}

/** A seeded pseudo-random source (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A streaming server that answers each connection with a random mix of valid,
 * malformed, unknown and oversized events, in random line endings and write
 * splits, ended cleanly, cut mid-event, stalled or refused; and answers the
 * catch-up REST calls from its timeline, or with pages that ignore `min_id`,
 * garbage, rate limits and errors. Its ledger says what a correct client must
 * deliver. Not a faithful Mastodon (that is `createFakeMastodon`): a fuzzer for
 * a client's error handling, whose ledger tells a test what must have arrived.
 *
 * @example
 * ```ts
 * import { createClient } from '@tootstream/core';
 * const chaos = await createChaosServer({ seed: 7 });
 * const client = createClient({ url: chaos.url, streamingUrl: chaos.url, accessToken: 'any' });
 * const stream = client.public({}, { maxEventBytes: 4096, stallTimeoutMs: 150, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } });
 * try {
 *   for await (const event of stream) {
 *     if (event.event === 'update' && event.payload.id === chaos.ledger.finalStatusId) break;
 *   }
 * } catch (error) {
 *   // A script may end with the server's final 401 instead of a final status.
 *   if (chaos.ledger.finalStatusId !== undefined) throw error;
 * } finally {
 *   // compare what arrived with chaos.ledger, then:
 *   await chaos.close();
 * }
 * ```
 */
export async function createChaosServer(options: ChaosServerOptions): Promise<ChaosServer> {
  checkOptionNames('createChaosServer', options, CHAOS_SERVER_OPTIONS);
  const { seed, connections = 8, stream = 'public', maxEventBytes = 4096 } = options;
  const isUser = stream === 'user';
  // Separate sources, so the streams a seed scripts do not depend on how many REST calls came in between.
  const random = seededRandom(seed);
  const restRandom = seededRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ledger: ChaosLedgerRecord = emptyChaosLedger();
  // Ids as Mastodon makes them (milliseconds << 16, then a sequence), so the time cursor a client derives
  // when it has seen no status yet (protocol.md §12.2) finds what was posted after it connected.
  let lastId = 0n;
  const newId = () => {
    const fromClock = (BigInt(Date.now()) << 16n) + BigInt(Math.floor(random() * 1000));
    lastId = fromClock > lastId ? fromClock : lastId + 1n;
    return String(lastId);
  };
  const post = () => {
    const id = newId();
    ledger.posted.push(id);
    return id;
  };
  // Notification ids are sequential, not time-based (protocol.md §12.2).
  let lastNotificationId = 1000;
  const notificationCreatedAt = new Map<string, string>();
  const postNotification = () => {
    const id = String(++lastNotificationId);
    ledger.postedNotifications.push(id);
    notificationCreatedAt.set(id, new Date().toISOString());
    return id;
  };
  /** What is posted while no connection streams: on `user`, a status or a notification. */
  const postUnseen = () => (isUser && random() < 0.5 ? postNotification() : post());
  const sockets = new Set<Socket>();
  let streamCount = 0;
  let openStreams = 0;

  // created_at from the id, as Mastodon's ids carry their creation time: catch-up merges routes by it.
  const statusJson = (id: string, content = `<p>status ${id}</p>`) =>
    JSON.stringify(
      buildStatus({ id, createdAt: new Date(Number(BigInt(id) >> 16n)).toISOString(), account: KNOWN_ACCOUNTS.bob, visibility: 'public', tags: [], mediaCount: 0 }, { content }),
    );
  const notificationJson = (id: string, mark?: string) =>
    JSON.stringify(buildNotification(id, 'mention', notificationCreatedAt.get(id) ?? '', KNOWN_ACCOUNTS.bob, undefined, mark === undefined ? {} : { mark }));

  /** One connection's events: their bytes, each with its tag. */
  const streamEvents = (connection: number, newline: string, last: boolean): { bytes: Buffer; tag: string }[] => {
    const events: { bytes: Buffer; tag: string }[] = [];
    const event = (kind: ChaosEventKind, name: string, data: (tag: string) => string | Buffer, id?: string, extraFields = '') => {
      const tag = `c${connection}e${events.length}`;
      ledger.kinds.set(tag, kind);
      if (id !== undefined) ledger.idOfTag.set(tag, id);
      const head = Buffer.from(`${extraFields}event: ${name}${newline}data: `);
      events.push({ bytes: Buffer.concat([head, Buffer.from(data(tag)), Buffer.from(`${newline}${newline}`)]), tag });
    };
    for (let count = Math.floor(random() * 10); count > 0; count--) {
      if (isUser && random() < 0.3) {
        const id = postNotification();
        event('notification', 'notification', (tag) => notificationJson(id, `tag:${tag}`), id);
        continue;
      }
      const roll = random();
      if (roll < 0.45) {
        const id = post();
        event('status', 'update', (tag) => statusJson(id, `<p>tag:${tag}</p>`), id);
      } else if (roll < 0.5) {
        const id = post();
        event('badUtf8Status', 'update', (tag) => {
          const [before, after] = statusJson(id, `<p>tag:${tag} MARK</p>`).split('MARK') as [string, string];
          return Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xc3]), Buffer.from(after)]);
        }, id);
      } else if (roll < 0.6) {
        const id = newId();
        event('delete', 'delete', () => id, id);
      } else if (roll < 0.68) {
        event('malformed', 'update', (tag) => `{"mark":"tag:${tag}", "content": <not json`);
      } else if (roll < 0.74) {
        // Fails core's default validation (a numeric id); with validation off (the listener's default) it is delivered.
        event('invalid', 'notification', (tag) => `{"id":42,"type":"mention","mark":"tag:${tag}"}`);
      } else if (roll < 0.82) {
        event('unknown', `chaos.${Math.floor(random() * 5)}`, (tag) => `{"mark":"tag:${tag}"}`);
      } else if (roll < 0.92) {
        events.push({ bytes: Buffer.from(`:thump${newline}`), tag: '' });
      } else {
        // Fields Mastodon never sends: a client must ignore them and still deliver the event.
        const id = post();
        event('status', 'update', (tag) => statusJson(id, `<p>tag:${tag}</p>`), id, `id: 7${newline}retry: 10${newline}x-unknown: field${newline}`);
      }
    }
    if (last) {
      // Not in the timeline: the run ends when it streams, never early through a catch-up page.
      const id = newId();
      ledger.finalStatusId = id;
      // The marker lets a client that cannot read the ledger while it runs (another process) know where to stop.
      event('status', 'update', (tag) => statusJson(id, `<p>tag:${tag} ${CHAOS_FINAL_MARKER}</p>`), id);
    }
    return events;
  };

  /**
   * Writes `bytes` in random pieces; `onWritten` runs as the piece that completes the event is handed to the socket (a
   * client may react at once). An event that ends in CRLF is complete at its last CR, which ends the blank line (a CR
   * is a line end, sse-transport.md §1.1): a client may dispatch it before the LF comes, or if it never does.
   */
  const writeSplit = async (response: ServerResponse, bytes: Buffer, onWritten?: () => void) => {
    const completeAt = bytes.length - (bytes.subarray(-2).toString() === '\r\n' ? 1 : 0);
    let offset = 0;
    while (offset < bytes.length) {
      const size = random() < 0.3 ? 1 + Math.floor(random() * 3) : 1 + Math.floor(random() * bytes.length);
      const before = offset;
      response.write(bytes.subarray(offset, offset + size));
      offset += size;
      if (before < completeAt && offset >= completeAt) onWritten?.();
      if (offset < bytes.length && random() < 0.3) await nextRealCheckPhase();
    }
  };

  const answerStream = async (response: ServerResponse) => {
    streamCount++;
    openStreams++;
    response.on('close', () => openStreams--);
    const last = streamCount >= connections;
    if (last && random() < 0.25) {
      ledger.script.push('final 401');
      return send(response, 401, '{"error":"Invalid access token"}');
    }
    if (!last && random() < 0.2) {
      const status = pick([429, 500, 502, 503]);
      ledger.script.push(`refused ${status}`);
      // A stream's history begins when it first connects: nothing is posted for it before that.
      for (let count = Math.floor(random() * 3); count > 0; count--) if (ledger.connections.length > 0) postUnseen();
      return send(response, status, JSON.stringify({ error: 'chaos' }), status === 429 ? { 'Retry-After': '0' } : {});
    }
    const newline = pick(['\n', '\n', '\n', '\r\n', '\r']);
    const connection: ChaosConnectionRecord = { ending: last ? 'final' : pick(['end', 'drop', 'stall', 'oversize'] as const), newline, written: [] };
    const index = ledger.connections.push(connection) - 1;
    ledger.script.push(`c${index} ${JSON.stringify(newline)} ${connection.ending}`);
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'private, no-store' });
    await writeSplit(response, Buffer.from(`:)${newline}`));
    for (const { bytes, tag } of streamEvents(index, newline, last)) {
      await writeSplit(response, bytes, () => tag && connection.written.push(tag));
    }
    // Not after the final one's events: a catch-up may have paged past this point already, so no client could get it.
    if (!last) for (let count = Math.floor(random() * 3); count > 0; count--) postUnseen();
    if (connection.ending === 'end') response.end();
    else if (connection.ending === 'drop') {
      await writeSplit(response, Buffer.from(`event: update${newline}data: {"id":"${newId()}","cut":`));
      // A FIN with the chunked body unterminated: the half-written event must never be delivered.
      response.socket?.end();
    } else if (connection.ending === 'oversize') {
      await writeSplit(response, Buffer.from(`event: update${newline}data: ${'x'.repeat(maxEventBytes + 100)}`));
    }
    // 'stall', 'oversize' and 'final' stay open: the client's watchdog, size limit or break ends them.
  };

  /** A REST timeline of `posted` ids (oldest first), paged by `min_id`; what a page hands out goes into `served`. */
  const answerTimeline = (request: IncomingMessage, response: ServerResponse, posted: string[], served: Set<string>, toJson: (id: string) => string) => {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    // A repeated parameter counts by its last value, as Rails reads it (like the fake instance's REST).
    const param = (name: string) => railsQueryValue(query, name);
    const minId = param('min_id') === null ? undefined : BigInt(param('min_id') ?? '0');
    const maxId = param('max_id') === null ? undefined : BigInt(param('max_id') ?? '0');
    const limit = Number(param('limit') ?? '20');
    const roll = restRandom();
    const refuse = (status: number, body: string, headers: Record<string, string> = {}) => {
      ledger.script.push(`rest ${status} ${body.slice(0, 12)}`);
      send(response, status, body, headers);
    };
    if (roll < 0.1) return refuse(500, '{"error":"chaos"}');
    if (roll < 0.17) return refuse(200, 'not json at all');
    if (roll < 0.22) return refuse(200, '{"error":"not an array"}');
    if (roll < 0.3) return refuse(429, '{"error":"Too many requests"}', { 'Retry-After': '0' });
    // Most pages follow min_id (the oldest `limit` above it); some ignore it and give the newest `limit`, as a server without min_id support would.
    const ignoresMinId = roll < 0.4;
    // Without min_id, Mastodon serves the newest `limit` (below max_id when given), as a client searching back asks.
    const page = ignoresMinId
      ? posted.slice(-limit)
      : minId === undefined
        ? posted.filter((id) => maxId === undefined || BigInt(id) < maxId).slice(-limit)
        : posted.filter((id) => BigInt(id) > minId).slice(0, limit);
    for (const id of page) served.add(id);
    ledger.script.push(`rest ${minId === undefined ? `max_id=${maxId ?? '-'}` : `min_id=${minId}`}${ignoresMinId ? ' (ignored)' : ''}: ${page.length}`);
    const link: Record<string, string> = restRandom() < 0.3 ? { Link: '<::not a url::>; rel="prev"' } : {};
    return send(response, 200, `[${[...page].reverse().map(toJson).join(',')}]`, link);
  };

  const timelines: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = isUser
    ? {
        '/api/v1/timelines/home': (request, response) => answerTimeline(request, response, ledger.posted, ledger.served, (id) => statusJson(id)),
        '/api/v1/notifications': (request, response) =>
          answerTimeline(request, response, ledger.postedNotifications, ledger.servedNotifications, (id) => notificationJson(id)),
      }
    : { '/api/v1/timelines/public': (request, response) => answerTimeline(request, response, ledger.posted, ledger.served, (id) => statusJson(id)) };

  const server = createServer((request, response) => {
    // Open to every origin, as Mastodon is, so a page in a browser can be put through the chaos too.
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? '', 'Access-Control-Allow-Methods': 'GET' });
      return response.end();
    }
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const timeline = Object.hasOwn(timelines, path) ? timelines[path] : undefined;
    if (path.startsWith('/api/v1/streaming/')) void answerStream(response);
    else if (timeline !== undefined) timeline(request, response);
    else send(response, 404, '{"error":"Record not found"}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    ledger,
    openStreams: () => openStreams,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  // Connection: close, so an idle keep-alive socket in the client's pool is never mistaken for a leak.
  response.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close', ...headers });
  response.end(body);
}
