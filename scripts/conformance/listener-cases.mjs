// Conformance cases of @tootstream/listener, the Mastodon.py-style API:
// a StreamListener subclass and a CallbackStreamListener on async handles.
// Runtime-neutral: only the built package (passed in) and web APIs.
import { assert } from './harness.mjs';
import { TOKEN } from './stream-cases.mjs';

/** Resolves once `check()` is true; polls because listener callbacks cannot be awaited from outside. */
async function until(check, what, signal) {
  for (let waited = 0; !check(); waited += 20) {
    if (signal.aborted) throw signal.reason;
    if (waited > 15_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * @param listener the namespace of the built `@tootstream/listener`, or undefined
 * @param loadError why it could not be imported
 */
export function listenerCases(listener, loadError) {
  if (listener === undefined) {
    return [
      {
        name: 'listener: the built package loads',
        run() {
          throw new Error(`@tootstream/listener could not be imported: ${loadError instanceof Error ? loadError.message : String(loadError)}`);
        },
      },
    ];
  }
  const { Mastodon, StreamListener, CallbackStreamListener } = listener;

  return [
    {
      name: 'listener: a StreamListener subclass receives onUpdate and onDelete; close() ends the async handle',
      async run({ server, caseSignal }) {
        const received = { updates: [], deletes: [], heartbeats: 0, aborts: [] };
        class RecordingListener extends StreamListener {
          onUpdate(status) {
            received.updates.push(status);
          }
          onDelete(statusId) {
            received.deletes.push(statusId);
          }
          handleHeartbeat() {
            received.heartbeats++;
          }
          onAbort(error) {
            received.aborts.push(error);
          }
        }
        const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
        const handle = await mastodon.streamPublic(new RecordingListener(), { runAsync: true });
        caseSignal.addEventListener('abort', () => void handle.close(), { once: true });
        try {
          const connection = await server.waitForConnection({ stream: 'public' });
          const { id } = await server.postStatus({ content: '<p>for the listener</p>' });
          await server.deleteStatus(id);
          await until(() => received.deletes.length > 0, 'onDelete', caseSignal);

          assert.equal(received.updates.length, 1, 'onUpdate calls');
          assert.equal(received.updates[0].id, id, 'onUpdate status id');
          assert.type(received.updates[0].account?.acct, 'string', 'onUpdate status author');
          assert.deepEqual(received.deletes, [id], 'onDelete ids (strings)');
          assert.ok(received.heartbeats >= 1, 'handleHeartbeat saw the opening comment');
          assert.equal(handle.isAlive(), true, 'isAlive() while streaming');

          await handle.close();
          assert.equal(handle.isAlive(), false, 'isAlive() after close()');
          assert.equal(handle.isReceiving(), false, 'isReceiving() after close()');
          await server.waitForClosed(connection.id);
          assert.equal(received.aborts.length, 0, 'close() never calls onAbort');
        } finally {
          await handle.close();
        }
      },
    },
    {
      // Mastodon.py loses what was posted while a stream was down; `catchUp: true` fetches it over REST (core's catch-up).
      name: 'listener: with reconnectAsync and catchUp, the statuses posted while the stream was down reach onUpdate once, in order',
      async run({ server, caseSignal }) {
        const updates = [];
        class RecordingListener extends StreamListener {
          onUpdate(status) {
            updates.push(status.id);
          }
        }
        const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
        const handle = await mastodon.streamPublic(new RecordingListener(), { runAsync: true, reconnectAsync: true, reconnectAsyncWaitSec: 0.05, catchUp: true });
        caseSignal.addEventListener('abort', () => void handle.close(), { once: true });
        try {
          const first = await server.waitForConnection({ stream: 'public' });
          const before = await server.postStatus({ content: '<p>before the drop</p>' });
          await until(() => updates.includes(before.id), 'the status posted before the drop', caseSignal);
          const { posted } = await server.drop({ postWhileDown: 2 });
          await server.waitForConnection({ stream: 'public', afterId: first.id });
          await until(() => posted.every((id) => updates.includes(id)), 'the statuses posted while down', caseSignal);
          const after = await server.postStatus({ content: '<p>after the reconnect</p>' });
          await until(() => updates.includes(after.id), 'the status posted after the reconnect', caseSignal);
          assert.deepEqual(updates, [before.id, ...posted, after.id], 'onUpdate ids: each once, in order');
          assert.equal(handle.isAlive(), true, 'isAlive() after the reconnect');
        } finally {
          await handle.close();
        }
      },
    },
    {
      name: 'listener: CallbackStreamListener routes updates and local updates on a hashtag stream',
      async run({ server, caseSignal }) {
        const updates = [];
        const localUpdates = [];
        const callbacks = new CallbackStreamListener({
          updateHandler: (status) => updates.push(status.id),
          localUpdateHandler: (status) => localUpdates.push(status.id),
        });
        const mastodon = new Mastodon({ apiBaseUrl: server.url, accessToken: TOKEN });
        const handle = await mastodon.streamHashtag('conformance', callbacks, { runAsync: true });
        caseSignal.addEventListener('abort', () => void handle.close(), { once: true });
        try {
          await server.waitForConnection({ stream: 'hashtag' });
          const { id } = await server.postStatus({ content: '<p>#conformance</p>', tags: ['conformance'] });
          await until(() => localUpdates.length > 0, 'localUpdateHandler', caseSignal);
          assert.deepEqual(updates, [id], 'updateHandler ids');
          assert.deepEqual(localUpdates, [id], 'localUpdateHandler ids (alice is local)');
        } finally {
          await handle.close();
        }
      },
    },
  ];
}
