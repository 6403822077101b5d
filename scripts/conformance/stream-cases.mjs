// Conformance cases of @tootstream/core: the for-await API, its hooks and its
// reconnect with catch-up, against a fake Mastodon driven over the control API.
// Runtime-neutral: only the built package (passed in) and web APIs.
import { assert, startReading } from './harness.mjs';

/** The fixture token of alice, known to every testkit server. */
export const TOKEN = 'peer-test-token';

const isUpdateOf = (statusId) => (event) => event.event === 'update' && event.payload.id === statusId;
const countOf = (events, predicate) => events.filter(predicate).length;

/** @param core the namespace of the built `@tootstream/core` */
export function streamCases(core) {
  const clientFor = (server) => core.createClient({ url: server.url, accessToken: TOKEN });

  return [
    {
      name: 'core: connects and receives typed update and delete events',
      async run({ server, caseSignal }) {
        const stream = clientFor(server).public({}, { signal: caseSignal });
        const reading = startReading(stream, { stopWhen: (event) => event.event === 'delete' });
        await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the server saw the connection');
        const { id } = await server.postStatus({ content: '<p>hello from the conformance suite</p>' });
        await server.deleteStatus(id);
        await reading.done;

        const [update, deletion] = reading.values;
        assert.equal(reading.values.length, 2, 'events received');
        assert.equal(update.event, 'update', 'first event');
        assert.type(update.payload, 'object', 'update payload');
        assert.type(update.payload.id, 'string', 'update payload id');
        assert.equal(update.payload.id, id, 'update payload id');
        assert.ok(update.payload.content.includes('hello from the conformance suite'), 'update content');
        assert.type(update.payload.account?.acct, 'string', 'update author acct');
        assert.equal(update.source, 'live', 'update source');
        assert.deepEqual(update.stream, ['public'], 'update stream label');
        assert.equal(deletion.event, 'delete', 'second event');
        assert.type(deletion.payload, 'string', 'delete payload');
        assert.equal(deletion.payload, id, 'delete payload');
      },
    },
    {
      name: 'core: user stream delivers a typed notification',
      async run({ server, caseSignal }) {
        const stream = clientFor(server).user({ signal: caseSignal });
        const reading = startReading(stream, { stopWhen: (event) => event.event === 'notification' });
        await reading.whileRunning(server.waitForConnection({ stream: 'user' }), 'the server saw the connection');
        const { id } = await server.notify();
        await reading.done;

        const notification = reading.values.find((event) => event.event === 'notification');
        assert.ok(notification, 'a notification event arrived');
        assert.equal(notification.payload.id, id, 'notification id');
        assert.equal(notification.payload.type, 'mention', 'notification type');
        assert.type(notification.payload.status?.id, 'string', 'mentioning status id');
        assert.deepEqual(notification.stream, ['user'], 'notification stream label');
      },
    },
    {
      name: 'core: heartbeats reach onHeartbeat',
      server: { heartbeatIntervalMs: 50 },
      async run({ server, caseSignal }) {
        const stop = new AbortController();
        const comments = [];
        const onHeartbeat = (comment) => {
          comments.push(comment);
          if (comments.filter((text) => text === 'thump').length >= 2) stop.abort();
        };
        const stream = clientFor(server).public({}, { signal: AbortSignal.any([stop.signal, caseSignal]), onHeartbeat });
        const reading = startReading(stream);
        await reading.done;

        assert.ok(stop.signal.aborted, 'the loop ended because two heartbeats arrived');
        assert.equal(comments[0], ')', 'the opening comment comes first');
        assert.includes(comments, 'thump', 'heartbeat comments');
        assert.type(stream.stats.lastHeartbeatAt, 'number', 'stats.lastHeartbeatAt');
        assert.equal(reading.values.length, 0, 'heartbeats are not events');
      },
    },
    {
      name: 'core: aborting the signal ends the loop quietly and closes the connection',
      async run({ server, caseSignal }) {
        const stop = new AbortController();
        const closeReasons = [];
        const stream = clientFor(server).public({}, {
          signal: AbortSignal.any([stop.signal, caseSignal]),
          onClose: ({ reason }) => closeReasons.push(reason),
        });
        const reading = startReading(stream);
        const connection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the server saw the connection');
        const { id } = await server.postStatus();
        await reading.waitFor(isUpdateOf(id), 'the status arrived');

        stop.abort();
        await reading.done; // rejects if the abort surfaced as an error
        assert.deepEqual(closeReasons, ['aborted'], 'onClose reasons');
        assert.equal(stream.stats.state, 'closed', 'stats.state');
        await server.waitForClosed(connection.id);
      },
    },
    {
      name: 'core: break closes the connection server-side',
      async run({ server, caseSignal }) {
        const closeReasons = [];
        const stream = clientFor(server).public({}, { signal: caseSignal, onClose: ({ reason }) => closeReasons.push(reason) });
        const reading = startReading(stream, { stopWhen: (event) => event.event === 'update' });
        const connection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the server saw the connection');
        await server.postStatus();
        await reading.done;

        await server.waitForClosed(connection.id);
        const { open } = await server.connections();
        assert.equal(open.length, 0, 'connections still open on the server');
        assert.deepEqual(closeReasons, ['returned'], 'onClose reasons');
      },
    },
    {
      // Under the browser sanitizer (75-browser-conformance) this also proves the backoff's timer goes with the stream.
      name: 'core: aborting during the reconnect backoff ends the loop quietly at once',
      async run({ server, caseSignal }) {
        const stop = new AbortController();
        const closeReasons = [];
        const reconnecting = [];
        const stream = clientFor(server).public({}, {
          signal: AbortSignal.any([stop.signal, caseSignal]),
          // A backoff far longer than the case may take: only the abort can end the wait.
          reconnect: { initialDelayMs: 60_000, minDelayMs: 40_000, maxDelayMs: 60_000 },
          onReconnecting: (info) => {
            reconnecting.push(info);
            // Once the wait has begun: an abort before it starts means no timer is ever set.
            setTimeout(() => stop.abort(), 20);
          },
          onClose: ({ reason }) => closeReasons.push(reason),
        });
        const reading = startReading(stream);
        const first = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
        await server.drop();
        await reading.done; // rejects if the abort surfaced as an error

        assert.equal(reconnecting.length, 1, 'onReconnecting calls');
        assert.ok(reconnecting[0].delayMs >= 40_000, `the drawn backoff was long (${reconnecting[0].delayMs} ms)`);
        assert.deepEqual(closeReasons, ['aborted'], 'onClose reasons');
        assert.equal(stream.stats.state, 'closed', 'stats.state');
        await server.waitForClosed(first.id);
        const { open } = await server.connections();
        assert.equal(open.length, 0, 'connections open on the server (no reconnect may have started)');
      },
    },
    {
      name: 'core: reconnects after a mid-frame drop and catches up exactly once',
      async run({ server, caseSignal }) {
        const reconnecting = [];
        const errors = [];
        const stream = clientFor(server).public({}, {
          signal: caseSignal,
          reconnect: { initialDelayMs: 200, minDelayMs: 50 },
          onReconnecting: (info) => reconnecting.push(info),
          onError: (error) => errors.push(error),
        });
        const reading = startReading(stream);
        const first = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
        const before = await server.postStatus({ content: '<p>before the drop</p>' });
        await reading.waitFor(isUpdateOf(before.id), 'the status posted before the drop');

        const { posted } = await server.drop({ midFrame: true, postWhileDown: 2 });
        await reading.whileRunning(server.waitForConnection({ stream: 'public', afterId: first.id }), 'the reconnection');
        const after = await server.postStatus({ content: '<p>after the reconnect</p>' });
        await reading.waitFor(isUpdateOf(after.id), 'the status posted after the reconnect');
        await stream.close();
        await reading.done;

        const events = reading.values;
        assert.equal(posted.length, 2, 'statuses posted while down');
        for (const missedId of posted) {
          assert.equal(countOf(events, isUpdateOf(missedId)), 1, `deliveries of status ${missedId} posted while down`);
          assert.equal(events.find(isUpdateOf(missedId)).source, 'catchup', `source of status ${missedId} posted while down`);
        }
        assert.equal(countOf(events, isUpdateOf(before.id)), 1, 'deliveries of the status posted before the drop');
        assert.equal(events.find(isUpdateOf(before.id)).source, 'live', 'source of the status posted before the drop');
        assert.equal(countOf(events, isUpdateOf(after.id)), 1, 'deliveries of the status posted after the reconnect');
        assert.ok(reconnecting.length >= 1, 'onReconnecting was called');
        assert.ok(stream.stats.reconnects >= 1, 'stats.reconnects counts the reconnection');
        const malformed = errors.filter((error) => core.isMastodonMalformedEventError(error));
        assert.equal(malformed.length, 0, 'the half-written event must vanish with its connection, not be reported malformed');
        const cursor = stream.cursor();
        assert.equal(cursor.lastStatusId, after.id, 'cursor().lastStatusId');
      },
    },
    {
      // Mastodon sends no Retry-After on a 429, only X-RateLimit-Reset, which a page can read only because Mastodon's
      // CORS rule exposes it: unread, the catch-up would ask again after its default 1 s and meet the limit again.
      name: "core: a catch-up that meets Mastodon's 429 waits for its X-RateLimit-Reset, then backfills",
      async run({ server, caseSignal }) {
        const stream = clientFor(server).public({}, { signal: caseSignal, reconnect: { initialDelayMs: 100, minDelayMs: 50 } });
        const reading = startReading(stream);
        await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
        const before = await server.postStatus({ content: '<p>before the drop</p>' });
        await reading.waitFor(isUpdateOf(before.id), 'the status posted before the drop');
        const waitMs = 3_000;
        await server.failNext({
          status: 429,
          paths: 'rest',
          headers: { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': new Date(Date.now() + waitMs).toISOString() },
        });
        const { posted } = await server.drop({ postWhileDown: 1 });
        const limited = await reading.whileRunning(server.waitForRequest({ path: '/api/v1/timelines/public', method: 'GET', timeoutMs: 10_000 }), 'the catch-up request');
        const limitedAt = Date.now();
        await reading.whileRunning(server.waitForRequest({ path: '/api/v1/timelines/public', method: 'GET', afterIndex: limited.index, timeoutMs: 10_000 }), 'the catch-up retry');
        const waitedMs = Date.now() - limitedAt;
        await reading.waitFor(isUpdateOf(posted[0]), 'the status posted while down');
        await stream.close();
        await reading.done;
        // The header's wait, less the time the answer took to reach us and a clock tick; the default would be 1 s.
        assert.ok(waitedMs >= waitMs - 1_000, `the retry waited for the reset (${waitedMs} ms of ${waitMs})`);
        assert.equal(reading.values.find(isUpdateOf(posted[0])).source, 'catchup', 'source of the status posted while down');
      },
    },
  ];
}
