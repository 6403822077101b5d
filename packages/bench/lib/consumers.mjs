// The ways a client can consume the bench stream, one per table row. Each
// consumer calls `onStatus(id)` for every status it receives and stops as
// soon as that returns false; everything else it does is the cost measured.
// `onStatus` may instead return a promise of that answer (a paced consumer,
// or a row waiting for its next measured slice); reading waits for it.
import { importBuilt } from './snapshot.mjs';

const { createClient } = await importBuilt('core');

export const BENCH_TOKEN = 'bench-token';

/** Stream options per core row; printed under the table as the row definitions. */
export const CORE_ROW_OPTIONS = {
  b: { validate: 'off', reconnect: false, dedupe: false, catchUp: false },
  c: { reconnect: false, dedupe: false },
  d: { validate: 'full', reconnect: false, dedupe: false },
  e: {},
  // (k) is (e) under Node 24: our defaults on the Node that megalodon and masto.js need.
  k: {},
};

const JSON_EVENTS = new Set(['update', 'status.update', 'notification', 'conversation', 'announcement', 'announcement.reaction']);

/**
 * (a) The raw limit: fetch, a minimal line splitter, and JSON.parse of each
 * JSON data line. It decodes only up to the chunk's last LF (always a UTF-8
 * boundary) and carries the partial line's bytes over, which is correct, and
 * decodes whole, as core does (streaming mode is faster on Node 20 and 22 for
 * text with non-ASCII, slower for ASCII; see core's sse-text-lines.ts). Pulls
 * only when it wants more, like core.
 */
export async function consumeRaw(baseUrl, onStatus) {
  const response = await fetch(`${baseUrl}/api/v1/streaming/public`, {
    headers: { Accept: 'text/event-stream', Authorization: `Bearer ${BENCH_TOKEN}` },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let carried;
  let eventName = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const bytes = carried === undefined ? value : concatBytes(carried, value);
    const lastLineFeed = bytes.lastIndexOf(0x0a);
    carried = lastLineFeed === bytes.length - 1 ? undefined : bytes.subarray(lastLineFeed + 1);
    if (lastLineFeed === -1) continue;
    const text = decoder.decode(bytes.subarray(0, lastLineFeed + 1));
    let lineStart = 0;
    let lineEnd;
    while ((lineEnd = text.indexOf('\n', lineStart)) !== -1) {
      if (text.startsWith('data: ', lineStart)) {
        if (JSON_EVENTS.has(eventName)) {
          const payload = JSON.parse(text.slice(lineStart + 6, lineEnd));
          if (eventName === 'update') {
            let wantsMore = onStatus(payload.id);
            if (wantsMore !== true && wantsMore !== false) wantsMore = await wantsMore;
            if (!wantsMore) {
              await reader.cancel();
              return;
            }
          }
        }
      } else if (text.startsWith('event: ', lineStart)) {
        eventName = text.slice(lineStart + 7, lineEnd);
      }
      lineStart = lineEnd + 1;
    }
  }
}

function concatBytes(first, second) {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

/** Creates a core client for the bench server; `onError` counts what core reports. */
export function createBenchClient(baseUrl) {
  return createClient({ url: `${baseUrl}/`, streamingUrl: baseUrl, accessToken: BENCH_TOKEN });
}

/** (b)–(e): core's AsyncIterable with the given options. */
export async function consumeCore(baseUrl, streamOptions, onStatus) {
  const client = createBenchClient(baseUrl);
  for await (const event of client.public({}, streamOptions)) {
    if (event.event !== 'update') continue;
    let wantsMore = onStatus(event.payload.id);
    if (wantsMore !== true && wantsMore !== false) wantsMore = await wantsMore;
    if (!wantsMore) break;
  }
}

/** (f): the listener API (Mastodon.py style), `runAsync` handle closed from the handler. */
export async function consumeListener(baseUrl, onStatus) {
  const { Mastodon, StreamListener } = await importBuilt('listener');
  const mastodon = new Mastodon({ apiBaseUrl: baseUrl, accessToken: BENCH_TOKEN, streamingUrl: baseUrl });
  let handle;
  let stopped = false;
  const stop = () => {
    stopped = true;
    void handle?.close();
  };
  class CountingListener extends StreamListener {
    onUpdate(status) {
      if (stopped) return undefined;
      const wantsMore = onStatus(status.id);
      if (wantsMore === false) stop();
      // A pausing consumer returns a promise; the listener awaits async handlers.
      return wantsMore === true || wantsMore === false ? undefined : wantsMore.then((more) => more || stop());
    }
  }
  handle = await mastodon.streamPublic(new CountingListener(), { runAsync: true });
  if (stopped) await handle.close();
  await handle.closed;
}

/** The consumer of a row letter. */
export function consumerFor(row) {
  if (row === 'a') return (baseUrl, onStatus) => consumeRaw(baseUrl, onStatus);
  if (row === 'f') return (baseUrl, onStatus) => consumeListener(baseUrl, onStatus);
  const options = CORE_ROW_OPTIONS[row];
  if (options === undefined) throw new Error(`unknown row ${row}`);
  return (baseUrl, onStatus) => consumeCore(baseUrl, { ...options, onError: countCoreError }, onStatus);
}

/** Malformed events or hook failures would make a row look faster than it is; they are counted and fail the run. */
export const coreErrors = [];
function countCoreError(error) {
  coreErrors.push(`${error.name}: ${error.message}`);
}
