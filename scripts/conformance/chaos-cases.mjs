// Seeded chaos in every runtime: the testkit's chaos server (driven over the
// control API) cuts, stalls, overflows and refuses connections and sends
// malformed, unknown and split events in LF/CRLF/CR; the built core must
// deliver what was fully sent, in order and once, and close every connection;
// the listener must hand it to the right handlers and report each interruption once.
// Runtime-neutral: only the built package (passed in) and web APIs. The full
// oracle, with more seeds, is packages/core/test/chaos.test.ts; this is the
// same check in each runtime's own fetch and streams.
import { assert } from './harness.mjs';

const SEEDS = { public: [11, 12, 13, 14, 15, 16], user: [21, 22, 23] };
const LISTENER_SEEDS = [31, 32, 33];
const MAX_EVENT_BYTES = 4096;
/** The testkit's CHAOS_FINAL_MARKER: the status that ends a run says so in its content. */
const FINAL_MARKER = 'chaos:final';

const TAG = /\btag:(c\d+e\d+)/;
const tagIn = (text) => TAG.exec(text)?.[1];

/** Delete payloads carry only an id: maps `id:<id>` to the tag of the event that carried it. */
const tagsOfIds = (ledger) => new Map(Object.entries(ledger.idOfTag).map(([tag, id]) => [`id:${id}`, tag]));

/**
 * Each connection's tags as seen must be its fully written events in order:
 * all of them, or a prefix for a connection cut mid-event (fetch drops what it
 * had queued). `expectedOf` narrows what a connection wrote (default: all).
 */
function assertEachConnection(ledger, seenTags, context, expectedOf = (connection) => connection.written) {
  ledger.connections.forEach((connection, index) => {
    const expected = expectedOf(connection);
    const seen = seenTags.filter((tag) => tag?.startsWith(`c${index}e`));
    const label = `${context}: connection c${index} (${connection.ending})`;
    assert.deepEqual(seen, connection.ending === 'drop' ? expected.slice(0, seen.length) : expected, label);
  });
}

/** Waits (2 s at most) until the client has closed every streaming connection of `chaos`. */
async function assertAllClosed(chaos, what) {
  for (let waited = 0; (await chaos.openStreams()) > 0; waited += 20) {
    assert.ok(waited < 2_000, what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs one seed and checks it; throws an AssertionError naming the seed and the server's script. */
async function checkSeed(core, control, seed, streamName, caseSignal) {
  const chaos = await control.createChaosServer({ seed, connections: 6, stream: streamName, maxEventBytes: MAX_EVENT_BYTES });
  try {
    const events = [];
    const liveTags = [];
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
        if (error.code === 'MALFORMED_EVENT') liveTags.push(tagIn(error.data));
      },
      onGap: (gap) => gaps.push(gap),
    });
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.source === 'live') liveTags.push(event.event === 'unknown' ? tagIn(event.data) : tagIn(JSON.stringify(event.payload)) ?? `id:${event.payload}`);
        if (event.event === 'update' && event.payload.content.includes(FINAL_MARKER)) break;
      }
    } catch (error) {
      thrown = error;
    }
    const ledger = await chaos.ledger();
    const context = `seed ${seed} (${streamName}): ${ledger.script.join(' | ')}`;

    if (ledger.finalStatusId === undefined) assert.equal(thrown?.status, 401, `${context}: the final refusal`);
    else assert.equal(thrown, undefined, `${context}: the run ended by the final status`);
    for (const error of reported) assert.ok(core.isTootstreamError(error), `${context}: a typed report, got ${String(error)}`);

    // Each connection's events in order and whole; a cut one may lose its tail (fetch drops what it queued).
    // A status a catch-up delivered first is rightly dropped as a duplicate when it streams.
    const tagOfId = tagsOfIds(ledger);
    const caughtUp = new Set(events.filter((event) => event.source === 'catchup').map((event) => event.payload.id));
    const seenTags = liveTags.map((tag) => tagOfId.get(tag) ?? tag);
    assertEachConnection(ledger, seenTags, context, (connection) => connection.written.filter((tag) => !caughtUp.has(ledger.idOfTag[tag])));

    // Statuses never twice or invented; none missing when every catch-up succeeded.
    const statusIds = events.filter((event) => event.event === 'update').map((event) => event.payload.id);
    assert.equal(new Set(statusIds).size, statusIds.length, `${context}: statuses delivered once`);
    const timeline = new Set([...ledger.posted, ledger.finalStatusId]);
    assert.deepEqual(statusIds.filter((id) => !timeline.has(id)), [], `${context}: statuses the server never posted`);
    if (ledger.finalStatusId !== undefined && !gaps.some((gap) => gap.reason !== 'not-recoverable')) {
      const final = BigInt(ledger.finalStatusId);
      const expected = new Set([...ledger.posted.filter((id) => BigInt(id) < final), ...ledger.served, ledger.finalStatusId]);
      assert.deepEqual([...new Set(statusIds)].sort(), [...expected].sort(), `${context}: every status`);
    }

    await assertAllClosed(chaos, `${context}: the client closes every connection`);
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
      calls.push(['onUpdate', tagIn(status.content)]);
      if (status.content.includes(FINAL_MARKER)) finalSeen = true;
    }
    onNotification(notification) {
      calls.push(['onNotification', tagIn(JSON.stringify(notification))]);
    }
    onDelete(statusId) {
      calls.push(['onDelete', `id:${statusId}`]);
    }
    onUnknownEvent(_name, payload) {
      calls.push(['onUnknownEvent', tagIn(JSON.stringify(payload))]);
    }
    onError(error) {
      calls.push(['onError', error instanceof listener.MastodonMalformedEventError ? tagIn(JSON.stringify(error.details)) : `not malformed: ${error}`]);
    }
    onAbort(error) {
      calls.push(['onAbort', error]);
    }
  }
  const mastodon = new listener.Mastodon({ apiBaseUrl: chaos.url, streamingUrl: chaos.url, accessToken: 'chaos-token', streamDefaults: { maxEventBytes: MAX_EVENT_BYTES } });
  const handle = mastodon.streamPublic(new Recording(), { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.005, timeout: 0.15 });
  try {
    for (let waited = 0; !finalSeen && handle.isAlive(); waited += 20) {
      if (caseSignal.aborted) throw caseSignal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await handle.close();
    const ledger = await chaos.ledger();
    const context = `listener seed ${seed}: ${ledger.script.join(' | ')}`;
    assert.equal(finalSeen, ledger.finalStatusId !== undefined, `${context}: the run ended as the server scripted`);

    const tagOfId = tagsOfIds(ledger);
    const tagged = calls.filter(([name]) => name !== 'onAbort').map(([name, tag]) => [name, tagOfId.get(tag) ?? tag]);
    for (const [name, tag] of tagged) assert.equal(name, HANDLER_OF_KIND[ledger.kinds[tag]], `${context}: the handler of ${tag}`);
    assertEachConnection(ledger, tagged.map(([, tag]) => tag), context);
    const interruptions = ledger.connections.filter((connection) => ['drop', 'stall', 'oversize'].includes(connection.ending)).length;
    const refusals = ledger.script.filter((line) => line.startsWith('refused') || line === 'final 401').length;
    assert.equal(calls.filter(([name]) => name === 'onAbort').length, interruptions + refusals, `${context}: one onAbort per interruption`);
    await assertAllClosed(chaos, `${context}: close() closes every connection`);
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
