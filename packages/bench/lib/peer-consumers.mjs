// The peers' consumers, one per peer row, under the contract of
// consumers.mjs: `onStatus(id)` per status, stop on false, wait on a promise.
// Each uses the peer as its documentation shows a user would; the only thing
// the harness adds is a way to stop reading between slices, so that a paused
// row holds the server back by backpressure like every other row does:
// - push peers (megalodon, the raw WebSocket twin) get their `ws` socket
//   paused; statuses that were already in its buffers still arrive and wait in
//   a backlog (see `createPushGate`);
// - masto.js is given `ws` as its WebSocket implementation (its documented
//   `implementation` option) so its socket can be paused the same way; the
//   WHATWG WebSocket of Node ≥ 22 cannot stop reading, and would stream on
//   into masto's queue while other rows are measured;
// - fetch-event-source's `getBytes` gets the fetch body with a reader that
//   waits before its next `read()` while the row is paused.
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { BENCH_TOKEN } from './consumers.mjs';
import { scenarioToken } from './server-websocket.mjs';

const require = createRequire(import.meta.url);

/** Errors a peer reports (or a payload it fails on) would make its row look faster; they are counted and fail the run. */
export const peerErrors = [];
const countPeerError = (error) => peerErrors.push(String(error?.message ?? error));

/** Statuses a push peer had already parsed when its row paused: delivered first in the next slice, parsed outside any timed slice. */
export const carriedOver = { statuses: 0 };

/**
 * Adapts a push peer (an event per status) to `onStatus`: when a slice ends it
 * calls `pause()`, holds what still arrives, hands that over first when the
 * next slice starts, then `resume()`s. `done` resolves once `onStatus` says stop.
 */
function createPushGate(onStatus, { pause, resume }) {
  const backlog = [];
  let waiting = false;
  let stopped = false;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const deliver = (id) => {
    if (stopped) return;
    if (waiting) {
      backlog.push(id);
      carriedOver.statuses++;
      return;
    }
    const wantsMore = onStatus(id);
    if (wantsMore === true) return;
    if (wantsMore === false) {
      stopped = true;
      finish();
      return;
    }
    waiting = true;
    pause();
    wantsMore.then((more) => {
      waiting = false;
      if (!more) {
        stopped = true;
        finish();
        return;
      }
      while (backlog.length > 0 && !waiting && !stopped) deliver(backlog.shift());
      if (!waiting && !stopped) resume();
    });
  };
  return { deliver, done };
}

/** `ws://host/run/<key>` for an `http://host/run/<key>` scenario base. */
const webSocketBase = (baseUrl) => baseUrl.replace(/^http/, 'ws');

/** (w) The raw WebSocket limit: `ws`, one subscribe by query, JSON.parse of the frame and of its payload string. */
export async function consumeRawWebSocket(baseUrl, onStatus) {
  const socket = new WebSocket(`${webSocketBase(baseUrl)}/api/v1/streaming?stream=public`, { headers: { Authorization: `Bearer ${BENCH_TOKEN}` } });
  const gate = createPushGate(onStatus, { pause: () => socket.pause(), resume: () => socket.resume() });
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.event === 'update') gate.deliver(JSON.parse(message.payload).id);
  });
  socket.on('error', countPeerError);
  await gate.done;
  socket.close();
}

/** (g) fetch-event-source's exported parse pipeline over a fetch body (its `fetchEventSource()` needs `document`/`window`). */
export async function consumeFetchEventSource(baseUrl, onStatus) {
  // The CommonJS build: the package's ESM files have no "type": "module" and import without extensions.
  const { getBytes, getLines, getMessages } = require('@microsoft/fetch-event-source/lib/cjs/parse.js');
  const response = await fetch(`${baseUrl}/api/v1/streaming/public`, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${BENCH_TOKEN}` } });
  const reader = response.body.getReader();
  let paused;
  let release;
  const gatedBody = { getReader: () => ({ read: () => (paused === undefined ? reader.read() : paused.then(() => reader.read())) }) };
  const gate = createPushGate(onStatus, {
    pause: () => (paused = new Promise((resolve) => (release = resolve))),
    resume: () => {
      paused = undefined;
      release();
    },
  });
  const onMessage = (message) => {
    if (message.event === 'update') gate.deliver(JSON.parse(message.data).id);
  };
  const reading = getBytes(gatedBody, getLines(getMessages(() => {}, () => {}, onMessage))).catch(countPeerError);
  await gate.done;
  await reader.cancel();
  release?.();
  await reading;
}

/** (h) megalodon: `generator('mastodon', url, token).publicStreaming()`, counting its `update` events (converted statuses). */
export async function consumeMegalodon(baseUrl, onStatus) {
  const { default: generator } = await import('megalodon');
  const client = generator('mastodon', baseUrl, BENCH_TOKEN);
  const streaming = await client.publicStreaming();
  // megalodon pings once a minute and reconnects when the pong is not read
  // within 10 s; a row paused by the harness reads nothing for longer than
  // that, so the check would reconnect in the middle of the run (it did: a
  // fresh, unpaused socket then streamed into the backlog while the row was
  // paused). The harness turns that watchdog off (pings cost nothing
  // measurable) and fails the run if megalodon connects more than once.
  streaming._checkAlive = () => {};
  let connects = 0;
  streaming.on('connect', () => {
    if (++connects > 1) countPeerError(new Error('megalodon reconnected during the run'));
  });
  // `_client` is megalodon's `ws` socket (isomorphic-ws in Node); only the harness touches it, to pause between slices.
  const gate = createPushGate(onStatus, { pause: () => streaming._client.pause(), resume: () => streaming._client.resume() });
  streaming.on('update', (status) => gate.deliver(status.id));
  for (const name of ['error', 'parser-error']) streaming.on(name, countPeerError);
  await gate.done;
  streaming.stop();
}

/** (i) masto.js: `createStreamingAPIClient(…)` and `for await` over `public.subscribe()`. */
export async function consumeMasto(baseUrl, onStatus) {
  const { createStreamingAPIClient } = await import('masto');
  const url = new URL(baseUrl);
  const key = decodeURIComponent(url.pathname.split('/')[2]);
  const sockets = [];
  class PausableWebSocket extends WebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
    }
  }
  // masto sends the token as the WebSocket sub-protocol and resolves the
  // streaming path against the origin, so the scenario rides in the token.
  const masto = createStreamingAPIClient({ streamingApiUrl: `ws://${url.host}`, accessToken: scenarioToken(BENCH_TOKEN, key), implementation: PausableWebSocket, retry: false });
  try {
    for await (const event of masto.public.subscribe()) {
      if (event.event !== 'update') continue;
      let wantsMore = onStatus(event.payload.id);
      if (wantsMore !== true && wantsMore !== false) {
        for (const socket of sockets) socket.pause();
        wantsMore = await wantsMore;
        for (const socket of sockets) socket.resume();
      }
      if (!wantsMore) break;
    }
  } catch (error) {
    countPeerError(error);
  } finally {
    masto.close();
  }
  if (sockets.length !== 1) countPeerError(new Error(`masto.js opened ${sockets.length} WebSockets, expected 1`));
}

const PEER_CONSUMERS = { w: consumeRawWebSocket, g: consumeFetchEventSource, h: consumeMegalodon, i: consumeMasto };

/** The consumer of a peer row letter, or undefined for our own rows. */
export function peerConsumerFor(row) {
  return PEER_CONSUMERS[row];
}
