// The built @tootstream/core under Deno's op and resource sanitizers, ended in
// each of the other waits a stream can be in: discovery of the streaming host,
// the response headers of a connect (and their timeout), a catch-up waiting out
// a Retry-After, a catch-up fetching its next page, and a retry budget that runs
// out. Each wait holds a request, a body read or a timer that must go with the stream.
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
} from './support.mjs';

// Long enough never to be answered while the case runs: what waits on it must be cancelled by the stream.
const NEVER_WITHIN_THE_CASE_MS = 30_000;

// Discovery is shared by a client's streams and must be cancelled once its last waiter has left.
sanitizedTest('core: abort while discovery waits for the instance document', async ({ server }) => {
  await server.failNext({ paths: 'rest', status: 200, body: {}, delayMs: NEVER_WITHIN_THE_CASE_MS });
  const stop = new AbortController();
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { signal: stop.signal, onClose: closes.onClose });
  const pending = stream[Symbol.asyncIterator]().next();
  await server.waitForRequest({ path: '/api/v2/instance' });

  stop.abort();
  assert.equal((await pending).done, true, 'the pending next() ends quietly');
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
  assert.equal((await server.connections()).total, 0, 'no stream was opened');
});

sanitizedTest('core: abort while a connect waits for its response headers', async ({ server }) => {
  await server.failNext({ status: 503, delayMs: NEVER_WITHIN_THE_CASE_MS });
  const stop = new AbortController();
  const closes = recordingCloses();
  const stream = clientFor(server, { streamingUrl: server.url }).public({}, { signal: stop.signal, onClose: closes.onClose });
  const pending = stream[Symbol.asyncIterator]().next();
  await server.waitForRequest({ path: PUBLIC_STREAM_PATH });

  stop.abort();
  assert.equal((await pending).done, true, 'the pending next() ends quietly');
  assert.deepEqual(closes.reasons, ['aborted'], 'onClose reasons');
});

sanitizedTest('core: a connect without response headers times out and is retried; break on the retry', async ({ server }) => {
  await server.failNext({ status: 503, delayMs: NEVER_WITHIN_THE_CASE_MS });
  const retries = [];
  const closes = recordingCloses();
  const stream = clientFor(server, { streamingUrl: server.url }).public({}, {
    connectTimeoutMs: 200,
    reconnect: QUICK_RETRIES,
    onReconnecting: (info) => retries.push(info),
    onClose: closes.onClose,
  });
  const reading = startReading(stream, { stopWhen: isUpdate });
  const connection = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the retried connection');
  await server.postStatus();
  await reading.done;

  assert.equal(retries.length, 1, 'onReconnecting calls');
  assert.equal(retries[0].error.code, 'NETWORK', 'the timed-out connect is a network error');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, connection.id);
});

sanitizedTest('core: close() while a catch-up waits out a 503 with Retry-After: 30', async ({ server }) => {
  const closes = recordingCloses();
  const stream = clientFor(server, { streamingUrl: server.url }).public({}, { reconnect: QUICK_RETRIES, onClose: closes.onClose });
  const reading = startReading(stream);
  const first = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
  await server.failNext({ paths: 'rest', status: 503, headers: { 'Retry-After': '30' } });
  await server.drop({ postWhileDown: 2 });
  const second = await reading.whileRunning(server.waitForConnection({ stream: 'public', afterId: first.id }), 'the reconnection');
  await reading.whileRunning(server.waitForRequest({ path: PUBLIC_TIMELINE_PATH }), 'the catch-up request');
  // The 503 is answered at once; 300 ms later core has read it and sleeps before asking again.
  await pause(300);
  assert.equal(stream.stats.state, 'catching-up', 'state while the catch-up waits');

  await stream.close();
  await reading.done;
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, second.id);
});

// With one status per page, the next page is being fetched (or has just been) when the first caught-up status arrives.
sanitizedTest('core: break on the first caught-up status while the next catch-up page is fetched', async ({ server }) => {
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { reconnect: QUICK_RETRIES, catchUp: { pageSize: 1 }, onClose: closes.onClose });
  const reading = startReading(stream, { stopWhen: (event) => event.source === 'catchup' });
  const first = await reading.whileRunning(server.waitForConnection({ stream: 'public' }), 'the first connection');
  await server.drop({ postWhileDown: 5 });
  const second = await reading.whileRunning(server.waitForConnection({ stream: 'public', afterId: first.id }), 'the reconnection');
  await reading.done;

  assert.equal(reading.values.filter((event) => event.source === 'catchup').length, 1, 'caught-up events taken');
  assert.deepEqual(closes.reasons, ['returned'], 'onClose reasons');
  await expectClosed(server, second.id);
});

sanitizedTest('core: 503s until the retry budget runs out: the loop throws MastodonReconnectExhaustedError', async ({ server }) => {
  await server.failNext({ status: 503, times: 1_000 });
  const closes = recordingCloses();
  const stream = clientFor(server).public({}, { reconnect: { ...QUICK_RETRIES, maxAttempts: 2 }, onClose: closes.onClose });
  const error = await rejection(startReading(stream).done, 'the loop');

  assert.equal(error.code, 'RECONNECT_EXHAUSTED', `the error's code (${error})`);
  assert.equal(error.cause?.status, 503, 'its cause is the last 503');
  assert.deepEqual(closes.reasons, ['error'], 'onClose reasons');
});
