// The built @tootstream/core under Deno's op and resource sanitizers: every way
// a loop can end (break, abort, close, return, a fatal answer) must leave no
// timer, no pending fetch or body read and no open HTTP resource behind. Each
// case ends its streams through core's own API; the test never cleans up after it.
import * as core from '../../packages/core/dist/index.js';
import {
  PUBLIC_STREAM_PATH,
  PUBLIC_TIMELINE_PATH,
  QUICK_RETRIES,
  assert,
  clientFor,
  expectClosed,
  isUpdate,
  pause,
  recordingCloses,
  rejection,
  sanitizedTest,
  startReading,
  until,
} from './support.mjs';

sanitizedTest('core: for await over a public stream, break after the first update', async ({ server }) => {
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { onClose: closes.onClose });
  const reading = startReading(stream, { stopWhen: isUpdate });
  const connection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the connection');
  await server.postStatus();
  await reading.done;

  assert.equal(reading.values.filter(isUpdate).length, 1, 'updates received');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, connection.id);
});

// No heartbeats: after the `:)` opener nothing comes, so next() waits on a read of the body.
sanitizedTest('core: abort while next() waits for an event that never comes', async ({ server }) => {
  const stop = new AbortController();
  const closes = recordingCloses();
  const opener = Promise.withResolvers();
  const stream = clientFor(server).public({}, { signal: stop.signal, onClose: closes.onClose, onHeartbeat: opener.resolve });
  const pending = stream[Symbol.asyncIterator]().next();
  const connection = await server.waitForConnection({ stream: 'public' });
  // onHeartbeat(')') runs inside the pull: once it has, the pull is back to reading the body.
  await opener.promise;

  stop.abort();
  const result = await pending;
  assert.equal(result.done, true, 'the pending next() ends quietly');
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
  await expectClosed(server, connection.id);
}, { server: { heartbeatIntervalMs: 0 } });

sanitizedTest('core: abort while the reconnect backoff timer waits (the server dropped the connection)', async ({ server }) => {
  const stop = new AbortController();
  const closes = recordingCloses();
  const backoff = Promise.withResolvers();
  const stream = clientFor(server).public({}, {
    signal: stop.signal,
    // A 30–60 s wait: if the abort does not clear its timer, the op sanitizer sees it.
    reconnect: { initialDelayMs: 60_000, minDelayMs: 30_000 },
    onReconnecting: backoff.resolve,
    onClose: closes.onClose,
  });
  const reading = startReading(stream);
  await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the connection');
  await server.drop();
  const { delayMs } = await reading.whileRunning(backoff.promise, 'the backoff');
  assert.ok(delayMs >= 30_000, `a long backoff was scheduled (${delayMs} ms)`);

  stop.abort();
  await reading.done;
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
  assert.equal((await server.connections()).total, 1, 'no reconnection was made');
});

/**
 * Opens a stream from a resume cursor, so that it opens and then catches up over REST, and resolves once
 * the catch-up's first page request has reached the server. `answer` is the scripted answer to that request.
 */
async function resumeIntoCatchUp(server, answer) {
  // streamingUrl: no discovery, so the scripted answer goes to the catch-up request.
  const client = clientFor(server, { streamingUrl: server.url });
  const first = client.public();
  const reading = startReading(first, { stopWhen: isUpdate });
  const firstConnection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
  await server.postStatus();
  await reading.done;
  await expectClosed(server, firstConnection.id);
  const cursor = first.cursor();

  await server.failNext({ paths: 'rest', ...answer });
  const closes = recordingCloses();
  const stream = client.public({}, { cursor, onClose: closes.onClose });
  const iterator = stream[Symbol.asyncIterator]();
  const pending = iterator.next();
  await server.waitForRequest({ path: PUBLIC_TIMELINE_PATH });
  assert.equal(stream.stats.state, 'catching-up', 'state while the catch-up request is out');
  const { open } = await server.connections();
  assert.equal(open.length, 1, 'the resumed stream is open behind its catch-up');
  return { stream, iterator, pending, closes, connection: open[0] };
}

sanitizedTest('core: stream.close() while a resumed stream waits for its catch-up page (no response headers yet)', async ({ server }) => {
  // Headers only after 30 s: the page fetch and core's REST timeout timer are both pending.
  const { stream, pending, closes, connection } = await resumeIntoCatchUp(server, { status: 200, body: [], delayMs: 30_000 });

  await stream.close();
  assert.equal((await pending).done, true, 'the pending next() ends quietly');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, connection.id);
});

sanitizedTest('core: return() while a resumed stream reads a catch-up page whose body never ends', async ({ server }) => {
  // A 200 whose JSON body is sent but never finished: core's bounded body read is pending.
  const { iterator, pending, closes, connection } = await resumeIntoCatchUp(server, { status: 200, body: [], holdOpen: true });
  // The headers and the start of the body go out at once; 200 ms later core is waiting for the rest (for up to 10 s).
  await pause(200);

  await iterator.return();
  assert.equal((await pending).done, true, 'the pending next() ends quietly');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, connection.id);
});

sanitizedTest('core: HTTP 401 on connect is fatal: the loop throws it and leaves nothing behind', async ({ server }) => {
  const closes = recordingCloses();
  const stream = clientFor(server, { accessToken: 'not-a-token-this-server-knows' }).public({}, { onClose: closes.onClose });
  const error = await rejection(startReading(stream).done, 'the loop');

  assert.ok(core.isMastodonApiError(error) && error.status === 401, `a MastodonApiError 401, got ${error}`);
  assert.deepEqual(closes.reasons, ['error'], 'onClose reasons');
  assert.equal((await server.connections()).total, 0, 'no stream was opened');
});

sanitizedTest('core: HTTP 503 on every connect is retried with backoff until aborted', async ({ server }) => {
  await server.failNext({ status: 503, times: 1_000 });
  const stop = new AbortController();
  const closes = recordingCloses();
  const retries = [];
  const stream = clientFor(server).public({}, { signal: stop.signal, reconnect: QUICK_RETRIES, onReconnecting: (info) => retries.push(info), onClose: closes.onClose });
  const reading = startReading(stream);
  await reading.whileRunning(until(() => retries.length >= 3, 'three retries'), 'three retries');

  stop.abort();
  await reading.done;
  assert.ok(retries.every(({ error }) => error.status === 503), 'every retry follows a 503');
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
});

sanitizedTest('core: abort while core reads an HTTP 503 error body that never ends', async ({ server }) => {
  await server.failNext({ status: 503, holdOpen: true });
  const stop = new AbortController();
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { signal: stop.signal, reconnect: QUICK_RETRIES, onClose: closes.onClose });
  const reading = startReading(stream);
  await reading.whileRunning(server.waitForRequest({ path: PUBLIC_STREAM_PATH }), 'the refused connect');
  // Core gives an error body up to 5 s; 200 ms after the request it is reading it (the headers go out at once).
  await pause(200);

  stop.abort();
  await reading.done;
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
});

// Heartbeats every 100 ms keep a connection alive under a 500 ms watchdog until the server stalls it (heartbeats too).
sanitizedTest('core: a stalled connection is replaced by the stall watchdog; break on the next one', async ({ server }) => {
  const stalls = [];
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { stallTimeoutMs: 500, reconnect: QUICK_RETRIES, onStalled: (info) => stalls.push(info), onClose: closes.onClose });
  const reading = startReading(stream, { stopWhen: isUpdate });
  const first = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
  await server.stall();
  const second = await reading.whileRunning(server.waitForConnection({ stream: 'public', afterId: first.id }), 'the reconnection');
  await expectClosed(server, first.id); // core closed the stalled one: the server never would
  await server.postStatus();
  await reading.done;

  assert.equal(stalls.length, 1, 'onStalled calls');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, second.id);
}, { server: { heartbeatIntervalMs: 100 } });

sanitizedTest('core: a malformed and an unknown event with reconnect on, then break after an update', async ({ server }) => {
  const errors = [];
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { onError: (error) => errors.push(error), onClose: closes.onClose });
  const reading = startReading(stream, { stopWhen: isUpdate });
  const connection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the connection');
  await server.pushRaw('event: update\ndata: {"id": not json\n\n');
  await server.pushRaw('event: tootstream.fork_event\ndata: {"from":"a fork"}\n\n');
  await server.postStatus();
  await reading.done;

  assert.deepEqual(reading.values.map((event) => event.event), ['unknown', 'update'], 'events delivered');
  assert.equal(reading.values[0].name, 'tootstream.fork_event', 'the unknown event keeps its wire name');
  assert.equal(errors.length, 1, 'onError calls');
  assert.ok(core.isMastodonMalformedEventError(errors[0]), `the malformed event is reported, got ${errors[0]}`);
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, connection.id);
});
