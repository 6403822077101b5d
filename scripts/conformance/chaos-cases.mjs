// Seeded chaos in every runtime: the testkit's chaos server (driven over the
// control API) cuts, stalls, overflows and refuses connections and sends
// malformed, unknown and split events in LF/CRLF/CR; the built core must
// deliver what was fully sent, in order and once, and close every connection;
// the listener must hand it to the right handlers and report each interruption once.
// Runtime-neutral: only the built packages and web APIs. The checks are the
// testkit's chaos oracle, as in packages/core/test/chaos.test.ts (more seeds)
// and packages/listener/test/chaos.test.ts; here they hold each runtime's own
// fetch and streams.
import { assert } from './harness.mjs';
// The built, node-free `@tootstream/testkit/ledger`, by path as run.mjs loads core (Node and Deno);
// the browser page's import map sends this path to the same file (75-browser-conformance.mjs).
import {
  CHAOS_FINAL_MARKER,
  assertNoChaosViolations,
  chaosLedgerFromJson,
  checkChaosConnectionOrder,
  checkChaosStatuses,
  checkChaosStreamsClosed,
  countChaosInterruptions,
  findChaosTag,
  findChaosTagOfId,
} from '../../packages/testkit/dist/ledger.js';

const SEEDS = { public: [11, 12, 13, 14, 15, 16], user: [21, 22, 23] };
const LISTENER_SEEDS = [31, 32, 33];
const MAX_EVENT_BYTES = 4096;
// How long the client may take to close its last connection, as the server sees it. In Chromium under load
// (CI, or busy loops beside the suite) an aborted streaming response's socket was measured closing 4.8 s after
// the client was done, once in about 45 runs (seed 16); it is the browser's network service, not the page,
// that closes it, and it may drain a cancelled body for up to 5 s first. A connection never closed still fails.
const STREAMS_CLOSED_WITHIN_MS = globalThis.document === undefined ? 2_000 : 6_000;

/**
 * The tag of something delivered: found in its text, or, for a delete (whose
 * payload is a bare id), looked up in the ledger, which is read only after the run.
 */
const tagOf = (ledger, { text, deletedId }) => (deletedId === undefined ? findChaosTag(text) : findChaosTagOfId(ledger, deletedId));

/** Runs one seed and checks it; throws an AssertionError or a ChaosViolationError naming the seed and the server's script. */
async function checkSeed(core, control, seed, streamName, caseSignal) {
  const chaos = await control.createChaosServer({ seed, connections: 6, stream: streamName, maxEventBytes: MAX_EVENT_BYTES });
  try {
    const events = [];
    /** What came off the stream, in order, for tagOf: live events and malformed-event reports. */
    const live = [];
    const reported = [];
    const gaps = [];
    let thrown;
    const client = core.createClient({ url: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token' });
    const stream = client.stream(streamName, {}, {
      signal: caseSignal,
      maxEventBytes: MAX_EVENT_BYTES,
      stallTimeoutMs: 150,
      reconnect: { initialDelayMs: 5, minDelayMs: 1, maxDelayMs: 20 },
      onError: (error) => {
        reported.push(error);
        if (error.code === 'MALFORMED_EVENT') live.push({ text: error.data });
      },
      onGap: (gap) => gaps.push(gap),
    });
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.source === 'live') live.push(event.event === 'delete' ? { deletedId: event.payload } : { text: event.event === 'unknown' ? event.data : JSON.stringify(event.payload) });
        if (event.event === 'update' && event.payload.content.includes(CHAOS_FINAL_MARKER)) break;
      }
    } catch (error) {
      thrown = error;
    }
    const ledger = chaosLedgerFromJson(await chaos.ledger());
    const context = `seed ${seed} (${streamName}): ${ledger.script.join(' | ')}`;

    if (ledger.finalStatusId === undefined) assert.equal(thrown?.status, 401, `${context}: the final refusal`);
    else assert.equal(thrown, undefined, `${context}: the run ended by the final status`);
    for (const error of reported) assert.ok(core.isTootstreamError(error), `${context}: a typed report, got ${String(error)}`);

    // Each connection's events in order and whole; a cut one may lose its tail (fetch drops what it queued).
    // A status a catch-up delivered first is rightly dropped as a duplicate when it streams.
    const caughtUpIds = events.filter((event) => event.source === 'catchup').map((event) => event.payload.id);
    const liveTags = live.map((item) => tagOf(ledger, item));
    assertNoChaosViolations(checkChaosConnectionOrder(ledger, liveTags, { caughtUpIds }), context);

    // Statuses never twice or invented; none missing when every catch-up succeeded.
    const statusIds = events.filter((event) => event.event === 'update').map((event) => event.payload.id);
    const everyCatchUpSucceeded = !gaps.some((gap) => gap.reason !== 'not-recoverable');
    assertNoChaosViolations(checkChaosStatuses(ledger, statusIds, { everyCatchUpSucceeded }), context);

    assertNoChaosViolations(await checkChaosStreamsClosed(chaos, { withinMs: STREAMS_CLOSED_WITHIN_MS }), context);
  } finally {
    await chaos.close();
  }
}

/** The handler Mastodon.py's API calls for each kind of chaos event (validation off, as in Mastodon.py; strict UTF-8). */
const HANDLER_OF_KIND = { status: 'onUpdate', badUtf8Status: 'onError', notification: 'onNotification', delete: 'onDelete', unknown: 'onUnknownEvent', malformed: 'onError', invalid: 'onNotification' };

/** One seed through the listener's async handle: handlers in order, one onAbort per interruption, the handle closed. */
async function checkListenerSeed(listener, control, seed, caseSignal) {
  const chaos = await control.createChaosServer({ seed, connections: 5, stream: 'public', maxEventBytes: MAX_EVENT_BYTES });
  const calls = [];
  let finalSeen = false;
  class Recording extends listener.StreamListener {
    onUpdate(status) {
      calls.push(['onUpdate', { text: status.content }]);
      if (status.content.includes(CHAOS_FINAL_MARKER)) finalSeen = true;
    }
    onNotification(notification) {
      calls.push(['onNotification', { text: JSON.stringify(notification) }]);
    }
    onDelete(statusId) {
      calls.push(['onDelete', { deletedId: statusId }]);
    }
    onUnknownEvent(_name, payload) {
      calls.push(['onUnknownEvent', { text: JSON.stringify(payload) }]);
    }
    onError(error) {
      // Only a malformed-event report carries a chaos tag: any other error fails the handler check below.
      calls.push(['onError', error instanceof listener.MastodonMalformedEventError ? { text: JSON.stringify(error.details) } : { text: `not malformed: ${error}` }]);
    }
    onAbort(error) {
      calls.push(['onAbort', error]);
    }
  }
  const mastodon = new listener.Mastodon({ apiBaseUrl: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token', streamDefaults: { maxEventBytes: MAX_EVENT_BYTES } });
  const handle = await mastodon.streamPublic(new Recording(), { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.005, timeout: 0.15 });
  try {
    for (let waited = 0; !finalSeen && handle.isAlive(); waited += 20) {
      if (caseSignal.aborted) throw caseSignal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await handle.close();
    const ledger = chaosLedgerFromJson(await chaos.ledger());
    const context = `listener seed ${seed}: ${ledger.script.join(' | ')}`;
    assert.equal(finalSeen, ledger.finalStatusId !== undefined, `${context}: the run ended as the server scripted`);

    const tagged = calls.filter(([name]) => name !== 'onAbort').map(([name, delivered]) => [name, tagOf(ledger, delivered), delivered]);
    for (const [name, tag, delivered] of tagged) assert.equal(name, HANDLER_OF_KIND[ledger.kinds.get(tag)], `${context}: the handler of ${tag ?? JSON.stringify(delivered)}`);
    assertNoChaosViolations(checkChaosConnectionOrder(ledger, tagged.map(([, tag]) => tag)), context);
    assert.equal(calls.filter(([name]) => name === 'onAbort').length, countChaosInterruptions(ledger), `${context}: one onAbort per interruption`);
    assertNoChaosViolations(await checkChaosStreamsClosed(chaos, { withinMs: STREAMS_CLOSED_WITHIN_MS }), `${context}: after close()`);
  } finally {
    await handle.close();
    await chaos.close();
  }
}

/**
 * @param core the namespace of the built `@tootstream/core`
 * @param listener the namespace of the built `@tootstream/listener`, or undefined (its own cases report that)
 */
export function chaosCases(core, listener) {
  const coreCases = Object.entries(SEEDS).map(([streamName, seeds]) => ({
    name: `core: seeded chaos on ${streamName} (seeds ${seeds.join(', ')}): what was fully sent arrives in order, once; every connection closed`,
    async run({ control, caseSignal }) {
      for (const seed of seeds) await checkSeed(core, control, seed, streamName, caseSignal);
    },
  }));
  if (listener === undefined) return coreCases;
  return [
    ...coreCases,
    {
      name: `listener: seeded chaos (seeds ${LISTENER_SEEDS.join(', ')}): each handler gets what was fully sent, in order; one onAbort per interruption`,
      async run({ control, caseSignal }) {
        for (const seed of LISTENER_SEEDS) await checkListenerSeed(listener, control, seed, caseSignal);
      },
    },
  ];
}
