// What a run measures and how much: the full run sized to finish in well under
// ten minutes on 2 cores, the smoke run in seconds (it only proves every row
// still produces numbers).

export const ROWS = [
  { row: 'a', client: 'raw: fetch + minimal line splitter + JSON.parse', target: undefined },
  { row: 'b', client: "core, `validate: 'off'`, reconnect/dedupe/catch-up off", target: 0.97 },
  { row: 'c', client: 'core, default validation, reconnect/dedupe off', target: 0.9 },
  { row: 'd', client: "core, `validate: 'full'`, reconnect/dedupe off", target: undefined },
  { row: 'e', client: 'core, all defaults (reconnect + dedupe + catch-up tracking)', target: 0.9 },
  { row: 'f', client: 'listener: `streamPublic(listener, { runAsync: true })`', target: 0.85 },
];

/**
 * The peers, measured in the same run as ratios to the same raw twins. Each
 * row's `twins` read the same slices next to it: (a) always, so every row is
 * on one scale, and (w), the raw WebSocket client, for rows that stream over
 * WebSocket, so the cost of the transport and of the library show apart.
 * Twins run under the row's Node (`node24`: the Node 24 the suite installs
 * into .tools/). Mastodon.py reads 1/20 of a slice: it is two orders of
 * magnitude slower, and a full slice would take it ten seconds.
 */
export const PEER_ROWS = [
  { row: 'w', client: 'raw WebSocket: `ws` + `JSON.parse` twice', transport: 'WebSocket', runtime: 'node', twins: ['a'] },
  { row: 'g', client: '@microsoft/fetch-event-source 2.0.1: `getBytes` → `getLines` → `getMessages` + `JSON.parse`', transport: 'SSE', runtime: 'node', twins: ['a'] },
  { row: 'h', client: 'megalodon 10.3.0: `publicStreaming()`', transport: 'WebSocket', runtime: 'node24', twins: ['a', 'w'] },
  { row: 'i', client: 'masto.js 8.0.0: `for await` over `public.subscribe()`', transport: 'WebSocket', runtime: 'node24', twins: ['a', 'w'] },
  { row: 'j', client: 'Mastodon.py: `stream_public(listener)`', transport: 'SSE', runtime: 'python', twins: ['a'], sliceScale: 1 / 20 },
  { row: 'k', client: 'tootstream core, all defaults (as (e)), under Node 24', transport: 'SSE', runtime: 'node24', twins: ['a', 'w'] },
];

export const PEER_DEFINITIONS = [
  "(w) `new WebSocket(url + '/api/v1/streaming?stream=public')` from the `ws` package; every text frame through `JSON.parse`, and the `payload` string of an `update` through `JSON.parse` again (Mastodon's WebSocket payload is JSON text inside JSON). The WebSocket counterpart of (a): no validation, no reconnect.",
  "(g) fetch-event-source's exported parse pipeline, `getBytes(body, getLines(getMessages(…, onMessage)))` over a `fetch` body, with `JSON.parse(message.data)` per `update`: what a Node user can do with it, since its `fetchEventSource()` needs `document` and `window`. Imported from its CommonJS build (`lib/cjs/parse.js`): the ESM build's files import without extensions and cannot load in Node.",
  "(h) `generator('mastodon', url, token).publicStreaming()` (it reads `urls.streaming_api` from `GET /api/v1/instance`, then opens `ws://…/api/v1/streaming?stream=public&access_token=…` with `ws`), counting its `update` events (statuses after megalodon's `Converter.status`). **Under Node 24**, as megalodon 10.3.0 declares Node ≥ 22.21.1, with its (a) and (w) twins under the same Node 24.",
  "(i) `createStreamingAPIClient({ streamingApiUrl, accessToken, implementation: WebSocket from 'ws' })`, `for await (const event of client.public.subscribe())`: masto parses each frame and payload and camel-cases every key. **Under Node 24** (masto 8 needs Node ≥ 22: it calls `Promise.withResolvers`), with its (a) and (w) twins under the same Node 24. It is given `ws` (its documented `implementation` option) rather than Node's built-in WebSocket, whose reading cannot be paused between slices.",
  "(j) Mastodon.py (the version in the row, from Debian's `python3-mastodon`) under `/usr/bin/python3`: `Mastodon(access_token, api_base_url).stream_public(listener)` with a `StreamListener` whose `on_update` counts. It reads the stream one byte per `iter_content` call. A separate Python process driven over stdin/stdout; its twin is (a) under the bench's Node; it reads 1/20 of a slice per round (so do its twins).",
  "(k) our row (e), `client.public({})` with every default, **under Node 24** with its (a) and (w) twins under the same Node 24: the same runtime, twins and scale as (h) and (i), so core and the WebSocket peers compare on one Node.",
  "How a paused row stops reading: push-style peers ((w), (g), (h)) are paused at the end of a slice (`ws.pause()`, or a reader that holds its next `read()`); statuses already buffered still arrive, wait, and count in the next slice without being timed again, which favours the peer slightly (the “carried over” share). (i) keeps them in masto's own queue; (j) blocks in `on_update`.",
];

export const ROW_DEFINITIONS = [
  "(a) `fetch` + `getReader()`; each chunk is decoded up to its last LF with one `TextDecoder.decode`, split with `indexOf('\\n')`, and every `data:` line of a JSON event goes through `JSON.parse`. No validation, no reconnect.",
  "(b) `client.public({}, { validate: 'off', reconnect: false, dedupe: false, catchUp: false })`.",
  "(c) `client.public({}, { reconnect: false, dedupe: false })`: default `'essentials'` validation, catch-up option left at its default (it never runs without reconnect), default 45 s stall watchdog.",
  "(d) `client.public({}, { validate: 'full', reconnect: false, dedupe: false })`.",
  '(e) `client.public({})`: every default: essentials validation, reconnect, dedupe (4,096 keys + delete tombstones), catch-up cursor tracking, stall watchdog.',
  "(f) `new Mastodon({ apiBaseUrl, accessToken, streamingUrl }).streamPublic(listener, { runAsync: true })` with the listener's defaults (as Mastodon.py: `validate: 'off'`, no reconnect, no catch-up or dedupe), counting in `onUpdate` (synchronous except at the end of a slice, where it returns a promise to pause).",
];

// Throughput: every row's clients stay connected and take turns in slices of
// `sliceEvents`, each next to a slice of its own raw twin; a round is one
// slice per client and twin, and each row has `pairsPerRow` client/twin
// pairs. On a shared 2-core machine speed swings within seconds, and many
// short paired slices resist that far better than long runs one after
// another. `timedEvents` is the length of a `--profile` run.
const FULL = {
  repetitions: 40,
  pairsPerRow: 2,
  warmupEvents: 8_000,
  sliceEvents: 2_000,
  timedEvents: 60_000,
  firstEventSamples: 20,
  reconnectSamples: 8,
  catchUpBacklog: 10_000,
  catchUpRounds: 10,
  idleMs: 3_000,
  slowEvents: 50_000,
  slowFactor: 10,
  soakEvents: 1_000_000,
  soakReconnects: 1_000,
  soakDropEvery: 1_000,
  soakSampleEvery: 25_000,
};

const SMOKE = {
  repetitions: 3,
  pairsPerRow: 1,
  warmupEvents: 300,
  sliceEvents: 500,
  timedEvents: 1_500,
  firstEventSamples: 2,
  reconnectSamples: 1,
  catchUpBacklog: 400,
  catchUpRounds: 1,
  idleMs: 500,
  slowEvents: 1_000,
  slowFactor: 10,
  soakEvents: 10_000,
  soakReconnects: 10,
  soakDropEvery: 1_000,
  soakSampleEvery: 1_000,
};

export function planFor({ smoke }) {
  return smoke ? { ...SMOKE, smoke: true } : { ...FULL, smoke: false };
}

/** Statuses published while the client is away, per forced drop (recovered by catch-up). */
export const GAP_PER_DROP = 5;

/** Reconnect policy of the soak: the default policy, but fast, so 1,000 drops fit in the budget. */
export const SOAK_RECONNECT_POLICY = { initialDelayMs: 10, minDelayMs: 1, resetAfterMs: 0 };
