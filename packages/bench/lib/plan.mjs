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
  catchUpRepetitions: 5,
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
  catchUpRepetitions: 1,
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
