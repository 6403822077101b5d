import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MastodonMalformedEventError, handlerNameFor, type StreamListener } from '@tootstream/listener';
import { Cleanup, clientFor, Recorder, sse } from './support/harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.dispose());

/**
 * Streams `bytes` to `listener` over a real connection and resolves once the
 * server has ended the stream: the blocking call's Promise settling is the
 * proof that everything before the end was dispatched. With `trickle`, every
 * byte is its own chunk (Mastodon.py's parser tests fed bytes one at a time).
 */
async function feed(
  bytes: string | Uint8Array,
  listener: StreamListener,
  { trickle = true, server: serverOptions = {}, ...options }: { trickle?: boolean; server?: FakeMastodonOptions; malformedEvents?: 'report' | 'abort' } = {},
): Promise<{ server: FakeMastodon; outcome: unknown }> {
  const server = await cleanup.server(serverOptions);
  const done = clientFor(server).streamUser(listener, options);
  await server.waitForConnection();
  server.trickle(trickle);
  server.pushRaw(bytes);
  server.endStreams();
  const outcome = await done.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  return { server, outcome };
}

const OPENING_COMMENT = 1; // the `:)` every stream starts with

describe("Mastodon.py's parser and dispatch test cases", () => {
  it('case 1: two comment lines call handleHeartbeat twice', async () => {
    const listener = new Recorder();
    await feed(':one\n:two\n', listener);
    expect(listener.count('handleHeartbeat')).toBe(OPENING_COMMENT + 2);
    expect(listener.events()).toEqual([]);
  });

  it('case 2: a comment followed by a blank line is one heartbeat, no error, nothing dispatched', async () => {
    const listener = new Recorder();
    const { outcome } = await feed(':comment\n\n', listener);
    expect(outcome).toBe('resolved');
    expect(listener.count('handleHeartbeat')).toBe(OPENING_COMMENT + 1);
    expect(listener.events()).toEqual([]);
  });

  it('case 3: update with {"foo":"bar"} reaches onUpdate deep-equal (no schema rejection)', async () => {
    const listener = new Recorder();
    await feed(sse('update', '{"foo":"bar"}'), listener);
    expect(listener.events()).toEqual([['onUpdate', { foo: 'bar' }, ['user']]]);
  });

  it('case 4: notification with {"foo":"bar"} reaches onNotification', async () => {
    const listener = new Recorder();
    await feed(sse('notification', '{"foo":"bar"}'), listener);
    expect(listener.events()).toEqual([['onNotification', { foo: 'bar' }, ['user']]]);
  });

  it('case 5: delete with data 123 calls onDelete("123") with a string', async () => {
    const listener = new Recorder();
    await feed(sse('delete', '123') + sse('delete', '"456"') + sse('delete', '113287874101815426'), listener);
    expect(listener.events().map((call) => call[1])).toEqual(['123', '456', '113287874101815426']);
  });

  it('case 6: all 120 orderings of update, notification, delete and two comments give one of each event and two heartbeats, in that order', async () => {
    const items = [
      { kind: 'event', bytes: sse('update', '{"foo":"bar"}'), handler: 'onUpdate' },
      { kind: 'event', bytes: sse('notification', '{"foo":"bar"}'), handler: 'onNotification' },
      { kind: 'event', bytes: sse('delete', '123'), handler: 'onDelete' },
      { kind: 'comment', bytes: ':comment one\n' },
      { kind: 'comment', bytes: ':comment two\n' },
    ] as const;
    const orderings = permutations([...items]);
    expect(orderings).toHaveLength(120);
    const listener = new Recorder();
    // One connection carries every ordering back to back; trickling 12 kB byte by byte is slow, so chunks are whole writes here
    // (the byte-at-a-time path is covered by the other cases).
    await feed(orderings.map((ordering) => ordering.map((item) => item.bytes).join('')).join(''), listener, { trickle: false });
    // Heartbeats interleave with the events exactly as the bytes did, although each write holds many of both.
    const expected = orderings.flatMap((ordering) => ordering.map((item) => (item.kind === 'event' ? item.handler : 'handleHeartbeat')));
    const calls = listener.calls.map((call) => call[0]).filter((name) => name !== 'onAnyEvent');
    expect(calls).toEqual(['handleHeartbeat', ...expected]);
    expect(listener.count('handleHeartbeat')).toBe(OPENING_COMMENT + 2 * 120);
  });

  it('case 7: event blahblah calls a user-defined onBlahblah and no other handler', async () => {
    class WithBlahblah extends Recorder {
      onBlahblah(payload: unknown, forStream?: readonly string[]) {
        this.calls.push(['onBlahblah', payload, forStream]);
      }
    }
    const listener = new WithBlahblah();
    await feed(sse('blahblah', '{"foo":"bar"}'), listener);
    expect(listener.events()).toEqual([['onBlahblah', { foo: 'bar' }, ['user']]]);
    expect(listener.named('onAnyEvent')).toEqual([['onAnyEvent', 'blahblah', { foo: 'bar' }, ['user']]]);
  });

  it('case 8: event complete.new.event goes to a replaced onUnknownEvent with (name, payload)', async () => {
    const listener = new Recorder();
    const { outcome } = await feed(sse('complete.new.event', '{"k":[1,2]}') + sse('fork.thing', 'not json'), listener);
    expect(outcome).toBe('resolved');
    expect(listener.events()).toEqual([
      ['onUnknownEvent', 'complete.new.event', { k: [1, 2] }, ['user']],
      ['onUnknownEvent', 'fork.thing', 'not json', ['user']],
    ]);
    expect(listener.count('onAnyEvent')).toBe(0);
  });

  it('case 8 (default listener): unknown events never throw', async () => {
    const { outcome } = await feed(sse('complete.new.event', '{"k":1}'), new (class extends Recorder {
      override onUnknownEvent() {}
    })());
    expect(outcome).toBe('resolved');
  });

  it('case 9: event do.something calls onDoSomething', async () => {
    class WithDoSomething extends Recorder {
      onDoSomething(payload: unknown) {
        this.calls.push(['onDoSomething', payload]);
      }
    }
    const listener = new WithDoSomething();
    await feed(sse('do.something', '{"x":1}'), listener);
    expect(listener.events()).toEqual([['onDoSomething', { x: 1 }]]);
  });

  class WithBlahblah extends Recorder {
    onBlahblah(payload: unknown) {
      this.calls.push(['onBlahblah', payload]);
    }
  }

  const malformedCases = [
    { name: 'case 10: bad JSON in a known event', bytes: sse('blahblah', '{"foo": bar}'), reason: 'Bad JSON', detail: '{"foo": bar}' },
    { name: 'case 10: bad JSON in update', bytes: sse('update', '{"foo": bar}'), reason: 'Bad JSON', detail: '{"foo": bar}' },
    { name: 'case 11: data without event', bytes: 'data: {"foo":"bar"}\n\n', reason: 'Missing field', detail: 'event' },
    { name: 'case 12: event without data', bytes: 'event: update\n\n', reason: 'Missing field', detail: 'data' },
    { name: 'case 12: event without data (user-defined handler)', bytes: 'event: blahblah\n\n', reason: 'Missing field', detail: 'data' },
    // A data line is there, so nothing is missing: JSON.parse fails on its text (as json.loads does in Mastodon.py).
    { name: 'a data line of only a space', bytes: 'event: update\ndata:  \n\n', reason: 'Bad JSON', detail: ' ' },
    { name: 'a data line of only a space (user-defined handler)', bytes: 'event: blahblah\ndata:  \n\n', reason: 'Bad JSON', detail: ' ' },
    { name: 'two empty data lines', bytes: 'event: notification\ndata:\ndata:\n\n', reason: 'Bad JSON', detail: '\n' },
  ] as const;

  for (const { name, bytes, reason, detail } of malformedCases) {
    it(`${name}: nothing dispatched, MastodonMalformedEventError('${reason}') to onError, stream continues`, async () => {
      const listener = new WithBlahblah();
      const { outcome } = await feed(bytes + sse('delete', '1'), listener);
      expect(outcome).toBe('resolved');
      const errors = listener.named('onError').map((call) => call[1] as MastodonMalformedEventError);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(MastodonMalformedEventError);
      expect(errors[0]?.reason).toBe(reason);
      expect(errors[0]?.details[0]).toBe(detail);
      expect(listener.events().filter((call) => call[0] !== 'onError')).toEqual([['onDelete', '1', ['user']]]);
    });

    it(`${name}: with malformedEvents: 'abort', onAbort then rejection (Mastodon.py behaviour)`, async () => {
      const listener = new WithBlahblah();
      const { outcome } = await feed(bytes + sse('delete', '1'), listener, { malformedEvents: 'abort' });
      expect(outcome).toBeInstanceOf(MastodonMalformedEventError);
      expect((outcome as MastodonMalformedEventError).reason).toBe(reason);
      expect(listener.named('onAbort')).toEqual([['onAbort', outcome]]);
      expect(listener.count('onDelete')).toBe(0);
      expect(listener.count('onError')).toBe(0);
    });
  }

  // Core delivers an event without a data line and one with a single empty data line alike (empty data), so the
  // listener cannot tell which it was: the error keeps case 12's reason and says so.
  for (const [what, bytes] of [
    ['no data line', 'event: update\n\n'],
    ['one empty data line', 'event: update\ndata:\n\n'],
    ['one empty data line (user-defined handler)', 'event: blahblah\ndata:\n\n'],
  ] as const) {
    it(`an event with ${what}: 'Missing field' / 'data', and the message says the data line may be there but empty`, async () => {
      const listener = new WithBlahblah();
      await feed(bytes, listener);
      const errors = listener.named('onError').map((call) => call[1] as MastodonMalformedEventError);
      expect(errors.map((error) => [error.reason, error.details[0], error.message])).toEqual([['Missing field', 'data', 'Missing field: data (no data line, or an empty one)']]);
    });
  }

  it('case 13: a data line before the event line is dispatched', async () => {
    const listener = new Recorder();
    await feed('data: {"foo":"bar"}\nevent: update\n\n', listener);
    expect(listener.events()).toEqual([['onUpdate', { foo: 'bar' }, ['user']]]);
  });

  it('case 14: id, retry and unknown fields are ignored', async () => {
    const listener = new Recorder();
    const { outcome } = await feed('id: 7\nretry: 1\nevent: update\nfoo: bar\ndata: {"foo":"bar"}\n\n', listener);
    expect(outcome).toBe('resolved');
    expect(listener.events()).toEqual([['onUpdate', { foo: 'bar' }, ['user']]]);
  });

  it('case 15: ☃ and a 4-byte emoji split into single bytes decode correctly', async () => {
    const listener = new Recorder();
    await feed(sse('update', '{"foo":"☃ 🚀"}'), listener);
    expect(listener.events()).toEqual([['onUpdate', { foo: '☃ 🚀' }, ['user']]]);
  });

  describe('case 16: a truncated 4-byte UTF-8 sequence', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('event: update\ndata: {"foo":"'), 0xf0, 0x9f, 0x9a, ...new TextEncoder().encode('"}\n\n' + sse('delete', '1'))]);

    it("is reported as MastodonMalformedEventError('Malformed UTF-8') to onError, and the stream goes on", async () => {
      const listener = new Recorder();
      const { outcome } = await feed(bytes, listener);
      expect(outcome).toBe('resolved');
      const errors = listener.named('onError').map((call) => call[1] as MastodonMalformedEventError);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(MastodonMalformedEventError);
      expect(errors[0]?.reason).toBe('Malformed UTF-8');
      expect(listener.events().filter((call) => call[0] !== 'onError')).toEqual([['onDelete', '1', ['user']]]);
    });

    it("with malformedEvents: 'abort', onAbort then rejection (Mastodon.py behaviour)", async () => {
      const listener = new Recorder();
      const { outcome } = await feed(bytes, listener, { malformedEvents: 'abort' });
      expect(outcome).toBeInstanceOf(MastodonMalformedEventError);
      expect((outcome as MastodonMalformedEventError).reason).toBe('Malformed UTF-8');
      expect(listener.named('onAbort')).toEqual([['onAbort', outcome]]);
      expect(listener.count('onDelete')).toBe(0);
    });
  });

  it('case 17: three data lines are joined with \\n and parsed once', async () => {
    const listener = new Recorder();
    await feed('event: update\ndata: {"foo":\ndata: "bar"\ndata: }\n\n', listener);
    expect(listener.events()).toEqual([['onUpdate', { foo: 'bar' }, ['user']]]);
  });
});

describe('dispatch rule', () => {
  it('maps event names to handler names', () => {
    expect(handlerNameFor('update')).toBe('onUpdate');
    expect(handlerNameFor('status.update')).toBe('onStatusUpdate');
    expect(handlerNameFor('notifications_merged')).toBe('onNotificationsMerged');
    expect(handlerNameFor('announcement.reaction')).toBe('onAnnouncementReaction');
    expect(handlerNameFor('complete.new.event')).toBe('onCompleteNewEvent');
    expect(handlerNameFor('a..b__c')).toBe('onABC');
  });

  it('calls onAnyEvent before the specific handler, with the same payload', async () => {
    const listener = new Recorder();
    await feed(sse('update', '{"id":"1"}') + sse('delete', '2'), listener, { trickle: false });
    expect(listener.calls.filter((call) => call[0] !== 'handleHeartbeat')).toEqual([
      ['onAnyEvent', 'update', { id: '1' }, ['user']],
      ['onUpdate', { id: '1' }, ['user']],
      ['onAnyEvent', 'delete', '2', ['user']],
      ['onDelete', '2', ['user']],
    ]);
  });

  it('delivers every known event to its handler with the documented payload', async () => {
    const listener = new Recorder();
    const bytes = [
      sse('status.update', '{"id":"1","edited_at":"2026-01-01T00:00:00.000Z"}'),
      sse('conversation', '{"id":"3"}'),
      sse('announcement', '{"id":"5"}'),
      sse('announcement.reaction', '{"name":"👍","count":1,"announcement_id":"5"}'),
      sse('announcement.delete', '5'),
      sse('encrypted_message', '{"x":1}'),
      sse('notifications_merged', '1'),
    ].join('');
    await feed(bytes, listener, { trickle: false });
    expect(listener.events()).toEqual([
      ['onStatusUpdate', { id: '1', edited_at: '2026-01-01T00:00:00.000Z' }, ['user']],
      ['onConversation', { id: '3' }, ['user']],
      ['onAnnouncement', { id: '5' }, ['user']],
      ['onAnnouncementReaction', { name: '👍', count: 1, announcement_id: '5' }, ['user']],
      ['onAnnouncementDelete', '5', ['user']],
      ['onEncryptedMessage', { x: 1 }, ['user']],
      ['onNotificationsMerged'],
    ]);
    expect(listener.named('onAnyEvent').at(-1)).toEqual(['onAnyEvent', 'notifications_merged', undefined, ['user']]);
  });

  it('awaits async handlers: events are delivered one at a time, in order', async () => {
    const log: string[] = [];
    class Slow extends Recorder {
      override async onDelete(id: string) {
        log.push(`start ${id}`);
        await new Promise((resolve) => setTimeout(resolve, id === '1' ? 30 : 0));
        log.push(`end ${id}`);
      }
    }
    await feed(sse('delete', '1') + sse('delete', '2') + sse('delete', '3'), new Slow(), { trickle: false });
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('one listener instance serves two streams at once', async () => {
    const server = await cleanup.server();
    const listener = new Recorder();
    const mastodon = clientFor(server);
    const user = await cleanup.handle(mastodon.streamUser(listener, { runAsync: true }));
    const tag = await cleanup.handle(mastodon.streamHashtag('rust', listener, { runAsync: true }));
    await server.waitForConnectionCount(2);
    server.pushRaw(sse('delete', '1'), (c) => c.stream === 'user');
    server.pushRaw(sse('delete', '2'), (c) => c.stream === 'hashtag');
    server.endStreams();
    await Promise.all([user.closed, tag.closed]);
    expect(listener.named('onDelete').sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
      ['onDelete', '1', ['user']],
      ['onDelete', '2', ['hashtag', 'rust']],
    ]);
  });
});

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}
