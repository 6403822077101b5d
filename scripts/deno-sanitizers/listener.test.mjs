// The built @tootstream/listener under Deno's op and resource sanitizers: its
// async handle closed, its blocking mode ended by a fatal answer or the read
// timeout, handlers that throw, and close() or an abort during the waits behind
// a stream (the feed-availability check, a reconnect wait, the version check).
// Each ends through the listener's own API, leaving no timer, pending request
// or open body behind. Every public stream also runs the feed-availability
// check (an instance request) in the background.
import * as listener from '../../packages/listener/dist/index.js';
import { TOKEN, assert, expectClosed, rejection, sanitizedTest, until } from './support.mjs';

const { Mastodon, StreamListener } = listener;

/** A StreamListener that records what it is given; `throwOnUpdate` makes onUpdate throw that value. */
function recordingListener({ throwOnUpdate } = {}) {
  const calls = { updates: [], errors: [], aborts: [] };
  class Recording extends StreamListener {
    onUpdate(status) {
      calls.updates.push(status.id);
      if (throwOnUpdate !== undefined) throw throwOnUpdate;
    }
    onError(error) {
      calls.errors.push(error);
    }
    onAbort(error) {
      calls.aborts.push(error);
    }
  }
  return { calls, listener: new Recording() };
}

const mastodonFor = (server, accessToken = TOKEN) => new Mastodon({ apiBaseUrl: server.url, accessToken });

sanitizedTest('listener: streamPublic with runAsync, then handle.close()', async ({ server }) => {
  const { calls, listener: recording } = recordingListener();
  const handle = await mastodonFor(server).streamPublic(recording, { runAsync: true });
  const connection = await server.waitForConnection({ stream: 'public' });
  const { id } = await server.postStatus();
  await until(() => calls.updates.length > 0, 'onUpdate');

  await handle.close();
  assert.deepEqual(calls.updates, [id], 'onUpdate ids');
  assert.equal(handle.isAlive(), false, 'isAlive() after close()');
  assert.equal(calls.aborts.length, 0, 'close() calls no onAbort');
  await expectClosed(server, connection.id);
});

sanitizedTest('listener: blocking mode ended by an HTTP 401: onAbort, then the promise rejects', async ({ server }) => {
  const { calls, listener: recording } = recordingListener();
  const error = await rejection(mastodonFor(server, 'not-a-token-this-server-knows').streamPublic(recording), 'the blocking stream');

  assert.ok(error instanceof listener.MastodonUnauthorizedError, `a MastodonUnauthorizedError, got ${error}`);
  assert.equal(calls.aborts.length, 1, 'onAbort calls');
  assert.equal(calls.aborts[0], error, 'onAbort gets the error the promise rejects with');
  assert.equal((await server.connections()).total, 0, 'no stream was opened');
});

sanitizedTest('listener: a handler that throws under the default settings (blocking): the promise rejects with it', async ({ server }) => {
  const thrown = new Error('a bug in onUpdate');
  const { calls, listener: recording } = recordingListener({ throwOnUpdate: thrown });
  const running = rejection(mastodonFor(server).streamPublic(recording), 'the blocking stream');
  const connection = await server.waitForConnection({ stream: 'public' });
  await server.postStatus();

  assert.equal(await running, thrown, 'the promise rejects with what the handler threw');
  assert.equal(calls.aborts.length, 0, 'a handler error calls no onAbort');
  await expectClosed(server, connection.id);
});

sanitizedTest('listener: a handler that throws in async mode goes to onError, streaming goes on until close()', async ({ server }) => {
  const thrown = new Error('a bug in onUpdate');
  const { calls, listener: recording } = recordingListener({ throwOnUpdate: thrown });
  const handle = await mastodonFor(server).streamPublic(recording, { runAsync: true });
  const connection = await server.waitForConnection({ stream: 'public' });
  await server.postStatus();
  await server.postStatus();
  await until(() => calls.updates.length === 2, 'both updates');

  assert.deepEqual(calls.errors, [thrown, thrown], 'onError gets each throw');
  assert.equal(handle.isAlive(), true, 'the handle is still alive');
  await handle.close();
  assert.equal(calls.aborts.length, 0, 'no onAbort');
  await expectClosed(server, connection.id);
});

// Public and hashtag streams check the instance's feed settings in the background: close() must cancel that request.
sanitizedTest('listener: close() while the feed-availability check waits for the instance document', async ({ server }) => {
  await server.failNext({ paths: 'rest', status: 200, body: {}, delayMs: 30_000 });
  const { calls, listener: recording } = recordingListener();
  const handle = await mastodonFor(server).streamPublic(recording, { runAsync: true });
  await server.waitForRequest({ path: '/api/v2/instance' });

  await handle.close();
  assert.equal(handle.isAlive(), false, 'isAlive() after close()');
  assert.equal(calls.aborts.length, 0, 'close() calls no onAbort');
});

sanitizedTest('listener: reconnectAsync after a 503: close() during the reconnect wait', async ({ server }) => {
  await server.failNext({ status: 503, times: 1_000 });
  const { calls, listener: recording } = recordingListener();
  // Waits of 30–60 s: a timer that close() does not clear is seen by the op sanitizer.
  const handle = await mastodonFor(server).streamPublic(recording, { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 30 });
  await until(() => calls.aborts.length > 0, 'onAbort for the 503');

  await handle.close();
  assert.ok(calls.aborts[0] instanceof listener.MastodonServiceUnavailableError, `onAbort got ${calls.aborts[0]}`);
  assert.equal(calls.aborts.length, 1, 'one onAbort: the wait was cut short');
  assert.equal(handle.isAlive(), false, 'isAlive() after close()');
});

// No heartbeats from this server, so the listener's `timeout` (0.3 s of silence) is what ends the read.
sanitizedTest('listener: blocking mode ended by the read timeout on a stalled connection', async ({ server }) => {
  const { calls, listener: recording } = recordingListener();
  const running = rejection(mastodonFor(server).streamPublic(recording, { timeout: 0.3 }), 'the blocking stream');
  const connection = await server.waitForConnection({ stream: 'public' });
  await server.stall();

  const error = await running;
  assert.ok(error instanceof listener.MastodonReadTimeout, `a MastodonReadTimeout, got ${error}`);
  assert.deepEqual(calls.aborts, [error], 'onAbort gets it first');
  await expectClosed(server, connection.id);
}, { server: { heartbeatIntervalMs: 0 } });

sanitizedTest("listener: the call's signal aborted while versionCheckMode's check waits for the instance", async ({ server }) => {
  await server.failNext({ paths: 'rest', status: 200, body: {}, delayMs: 30_000 });
  const stop = new AbortController();
  const checked = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN, versionCheckMode: 'created' });
  const call = rejection(checked.streamUser(recordingListener().listener, { runAsync: true, signal: stop.signal }), 'the call');
  await server.waitForRequest({ path: '/api/v2/instance' });

  stop.abort();
  assert.equal((await call)?.name, 'AbortError', 'the call rejects with the signal reason');
  assert.equal((await server.connections()).total, 0, 'no stream was opened');
});
