import { afterEach, describe, expect, it } from 'vitest';
import { CallbackStreamListener, type StreamListener } from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, sse } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

/**
 * Names core does not know (so it never decoded, validated or deduplicated
 * them) whose computed handler name is a built-in handler's: `.update` →
 * onUpdate, `_delete` → onDelete, `filters.changed` → onFiltersChanged, …
 */
const LOOKALIKES = ['.update', 'Update', 'update.', '_delete', 'Notification', 'status_update', 'filters.changed', 'Conversation', 'announcement_delete', 'encrypted.message', 'notifications.merged'];
const PAYLOAD = '{"id":5,"bogus":true}';

/** Streams `bytes` to `listener` over the fake server and resolves when the blocking call does. */
async function feed(bytes: string, listener: StreamListener, validate: 'off' | 'full'): Promise<void> {
  const server = await cleanup.server();
  const done = clientFor(server).streamUser(listener, { validate });
  await server.waitForConnection();
  server.pushRaw(bytes);
  server.endStreams();
  await done;
}

describe('unknown event names that map onto a built-in handler', () => {
  for (const validate of ['off', 'full'] as const) {
    it(`go to onUnknownEvent, never to the known event's handler or onAnyEvent (validate: ${validate})`, async () => {
      const listener = new Recorder();
      await feed(LOOKALIKES.map((name) => sse(name, PAYLOAD)).join(''), listener, validate);
      expect(listener.events()).toEqual(LOOKALIKES.map((name) => ['onUnknownEvent', name, { id: 5, bogus: true }, ['user']]));
      expect(listener.count('onAnyEvent')).toBe(0);
    });
  }

  it('a subclass handler for a genuinely new name is still called, next to a lookalike', async () => {
    class WithBlahblah extends Recorder {
      onBlahblah(payload: unknown) {
        this.calls.push(['onBlahblah', payload]);
      }
    }
    const listener = new WithBlahblah();
    await feed(sse('Update', PAYLOAD) + sse('blahblah', '{"x":1}'), listener, 'full');
    expect(listener.events()).toEqual([
      ['onUnknownEvent', 'Update', { id: 5, bogus: true }, ['user']],
      ['onBlahblah', { x: 1 }],
    ]);
    expect(listener.named('onAnyEvent')).toEqual([['onAnyEvent', 'blahblah', { x: 1 }, ['user']]]);
  });

  it('CallbackStreamListener: they reach unknownEventHandler, never updateHandler or deleteHandler (validate: full)', async () => {
    const calls: unknown[][] = [];
    const listener = new CallbackStreamListener({
      updateHandler: (status) => void calls.push(['update', status]),
      deleteHandler: (id) => void calls.push(['delete', id]),
      notificationHandler: (notification) => void calls.push(['notification', notification]),
      filtersChangedHandler: () => void calls.push(['filtersChanged']),
      unknownEventHandler: (name, payload) => void calls.push(['unknown', name, payload]),
    });
    await feed(LOOKALIKES.map((name) => sse(name, PAYLOAD)).join('') + sse('delete', '123'), listener, 'full');
    expect(calls).toEqual([...LOOKALIKES.map((name) => ['unknown', name, { id: 5, bogus: true }]), ['delete', '123']]);
  });
});
