// The bench's loopback Mastodon: a separate process that streams the public
// timeline with Mastodon's exact SSE framing, as fast as the client reads and
// no faster (it honours `drain`), and serves the REST timeline for catch-up.
// WebSocket upgrades (the peers that stream over WebSocket) are handled by
// server-websocket.mjs on the same port, with the same runs and payloads.
//
// Every URL starts with `/run/<key>/`, where `<key>` names a scenario and
// carries its options (`name;drop=1000;gap=5;backlog=10000;idle=1;hb=200`).
// State (the timeline head, the drop log) lives per key, so concurrent or
// successive client processes never share a timeline by accident.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createUpgradeHandler } from './server-websocket.mjs';
import { generateStatusTemplates, PAYLOAD_SEED, PAYLOAD_TEMPLATE_COUNT as TEMPLATE_COUNT, stampDataLine, statusIdOf, sequenceOf, statusJson } from './status-generator.mjs';

// The only token accepted; consumers.mjs sends it.
const BENCH_TOKEN = 'bench-token';
const templates = generateStatusTemplates(PAYLOAD_SEED, TEMPLATE_COUNT);
const EVENT_LINE = Buffer.from('event: update\n');
const runs = new Map();

// A small socket buffer: the stream is written in bursts of at most this much
// before waiting for `drain`, so a slow reader holds the server back within a
// few events (plus what the kernel buffers).
const SOCKET_HIGH_WATER_MARK = 64 * 1024;

function runFor(key) {
  let run = runs.get(key);
  if (run === undefined) {
    const options = Object.fromEntries(key.split(';').slice(1).map((pair) => pair.split('=')));
    run = {
      dropAfter: Number(options.drop ?? 0),
      gapPerDrop: Number(options.gap ?? 0),
      // Wait this long after the last event before dropping, so the client has
      // read everything and the drop → reconnect time is not queueing time.
      dropDelayMs: Number(options.dropdelay ?? 0),
      idle: options.idle === '1',
      heartbeatMs: Number(options.hb ?? 15_000),
      head: Number(options.backlog ?? 0),
      // The REST timeline as of the latest stream connect. At real publish
      // rates nothing is published between a reconnect and its catch-up
      // call; at firehose speed this server would stream hundreds of
      // statuses meanwhile, so REST stops where the live stream resumed.
      restHead: Number(options.backlog ?? 0),
      streamingApiHttp: options.sa === 'http',
      drops: [],
      connections: 0,
      restRequests: 0,
    };
    runs.set(key, run);
  }
  return run;
}

function sseHeaders() {
  // Mastodon 4.5.7's header set and order (protocol.md §5.1); node adds Date, Connection, Keep-Alive.
  return [
    ['X-Powered-By', 'Express'],
    ['X-Request-Id', randomUUID()],
    ['Access-Control-Allow-Origin', '*'],
    ['Content-Type', 'text/event-stream'],
    ['Cache-Control', 'private, no-store'],
    ['Transfer-Encoding', 'chunked'],
  ];
}

function streamTimeline(run, request, response) {
  run.connections++;
  run.restHead = run.head;
  response.writeHead(200, sseHeaders().flat());
  response.write(':)\n');
  const socket = response.socket;
  let sentOnConnection = 0;
  let closed = false;
  const heartbeat = setInterval(() => response.write(':thump\n'), run.heartbeatMs);
  response.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
  });
  if (run.idle) return;

  const dropNow = () => {
    if (closed) return;
    // Statuses published while the client is away: only REST can return them.
    run.head += run.gapPerDrop;
    run.drops.push(performance.timeOrigin + performance.now());
    closed = true;
    clearInterval(heartbeat);
    // An abrupt drop as on a server restart: the socket ends with no chunked
    // terminator, after what was already written has been flushed.
    socket.end();
  };

  const pump = () => {
    if (closed) return;
    response.cork();
    let writable = true;
    while (writable) {
      if (run.dropAfter > 0 && sentOnConnection >= run.dropAfter) {
        response.uncork();
        if (run.dropDelayMs > 0) setTimeout(dropNow, run.dropDelayMs);
        else dropNow();
        return;
      }
      const sequence = ++run.head;
      sentOnConnection++;
      // Two writes per event, as Mastodon does (protocol.md §5.2): two HTTP chunks.
      response.write(EVENT_LINE);
      writable = response.write(stampDataLine(templates[sequence % TEMPLATE_COUNT], statusIdOf(sequence)));
    }
    response.uncork();
    response.once('drain', pump);
  };
  pump();
}

/** `GET /api/v1/timelines/public` with Mastodon's `min_id`/`max_id`/`since_id`/`limit` semantics (protocol.md §12.2). */
function serveTimeline(run, url, response) {
  run.restRequests++;
  const limit = Math.min(40, Math.max(1, Number(url.searchParams.get('limit') ?? 20)));
  const minId = url.searchParams.get('min_id');
  const maxId = url.searchParams.get('max_id');
  const sinceId = url.searchParams.get('since_id');
  const upper = maxId ? Math.min(run.restHead, sequenceOf(maxId) - 1) : run.restHead;
  let sequences = [];
  if (minId) {
    for (let sequence = sequenceOf(minId) + 1; sequence <= upper && sequences.length < limit; sequence++) sequences.push(sequence);
    sequences.reverse();
  } else {
    const lower = sinceId ? sequenceOf(sinceId) : 0;
    for (let sequence = upper; sequence > lower && sequences.length < limit; sequence--) sequences.push(sequence);
  }
  const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-store', 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '299' };
  if (sequences.length > 0) {
    const page = (param, sequence) => {
      const link = new URL(url);
      for (const name of ['min_id', 'max_id', 'since_id']) link.searchParams.delete(name);
      link.searchParams.set(param, statusIdOf(sequence));
      return link.href;
    };
    headers.Link = `<${page('max_id', sequences.at(-1))}>; rel="next", <${page('min_id', sequences[0])}>; rel="prev"`;
  }
  const parts = [Buffer.from('[')];
  sequences.forEach((sequence, index) => {
    if (index > 0) parts.push(Buffer.from(','));
    parts.push(statusJson(templates[sequence % TEMPLATE_COUNT], statusIdOf(sequence)));
  });
  parts.push(Buffer.from(']'));
  response.writeHead(200, headers);
  response.end(Buffer.concat(parts));
}

/** Just what clients read from `GET /api/v2/instance`: the streaming URL and feed access (4.5). */
function serveInstance(url, rawKey, response) {
  const everyone = { local: 'public', remote: 'public' };
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(
    JSON.stringify({
      domain: url.host,
      title: 'tootstream bench',
      version: '4.5.7',
      configuration: {
        urls: { streaming: `ws://${url.host}/run/${rawKey}` },
        timelines_access: { live_feeds: everyone, hashtag_feeds: everyone, trending_link_feeds: everyone },
      },
    }),
  );
}

/**
 * `GET /api/v1/instance`, what megalodon and Mastodon.py read to find the
 * streaming server. Mastodon.py keeps only the host of a `ws://` URL there
 * (and the scenario is in the path), so scenarios made with `;sa=http` answer
 * with the HTTP base itself, which Mastodon.py then uses as it is.
 */
function serveInstanceV1(url, rawKey, run, response) {
  const base = `${url.host}/run/${rawKey}`;
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ uri: url.host, title: 'tootstream bench', version: '4.5.7', urls: { streaming_api: run.streamingApiHttp ? `http://${base}` : `ws://${base}` }, stats: {}, languages: ['en'], rules: [] }));
}

function handle(request, response) {
  const url = new URL(request.url, `http://${request.headers.host}`);
  const match = /^\/run\/([^/]+)(\/.*)$/.exec(url.pathname);
  if (match === null) {
    response.writeHead(404).end();
    return;
  }
  const run = runFor(decodeURIComponent(match[1]));
  const path = match[2];
  if (path === '/bench/stats') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ drops: run.drops, connections: run.connections, restRequests: run.restRequests, head: run.head }));
    return;
  }
  if (path === '/api/v2/instance') {
    serveInstance(url, match[1], response);
    return;
  }
  if (path === '/api/v1/instance' || path === '/api/v1/instance/') {
    serveInstanceV1(url, match[1], run, response);
    return;
  }
  if (request.headers.authorization !== `Bearer ${BENCH_TOKEN}`) {
    response.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"Invalid access token"}');
    return;
  }
  if (path === '/api/v1/streaming/public') streamTimeline(run, request, response);
  else if (path === '/api/v1/timelines/public') serveTimeline(run, url, response);
  else response.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"Unknown channel requested"}');
}

const server = http.createServer({ highWaterMark: SOCKET_HIGH_WATER_MARK, keepAliveTimeout: 5_000 }, handle);
server.on('upgrade', createUpgradeHandler({ runFor, templates, token: BENCH_TOKEN }));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(JSON.stringify({ port }));
});
process.on('disconnect', () => process.exit(0));
