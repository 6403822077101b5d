// The built @tootstream/listener under Deno's op and resource sanitizers: its
// async handle, its blocking mode ended by a fatal answer, and a handler that
// throws, each ending with the listener's own close, leaving no timer, pending
// request or open body behind. A public stream also runs the listener's
// feed-availability check (an instance request) in the background.
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
