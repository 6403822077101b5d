import { describe, expect, it } from 'vitest';
import { connectWebSocket, settle, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

// `FakeWebSocket.subscriptions` is typed `{ stream, tag?, list?, label }`, and that is all its
// items carry: a test compares them with toEqual and prints them with JSON.stringify, neither of
// which works on the fake's internal subscriptions (they reach the whole socket).
const ALICE = { Authorization: 'Bearer peer-test-token' };

const perTest = useFakeServer<RawWebSocket>();

describe('FakeWebSocket.subscriptions', () => {
  it('holds exactly the typed fields, so toEqual and JSON.stringify work', async () => {
    const s = await perTest.start({ webSocketPingIntervalMs: 0 });
    const { ws, session } = await connectWebSocket(s, '/api/v1/streaming?stream=hashtag&tag=Rust', ALICE);
    perTest.track(ws);
    await settle(s, ws, session, { type: 'subscribe', stream: 'list', list: 42 });
    const socket = await s.waitForWebSocket((candidate) => candidate.subscriptions.length === 2);
    expect(socket.subscriptions).toEqual([
      { stream: 'hashtag', tag: 'rust', label: ['hashtag', 'Rust'] },
      { stream: 'list', list: '42', label: ['list', 42] },
    ]);
    expect(Object.keys(socket.subscriptions[0] ?? {})).toEqual(['stream', 'tag', 'label']);
    expect(JSON.parse(JSON.stringify(socket.subscriptions))).toEqual([
      { stream: 'hashtag', tag: 'rust', label: ['hashtag', 'Rust'] },
      { stream: 'list', list: '42', label: ['list', 42] },
    ]);
  });

  it('is the same live array as subscriptions change, and still routes events', async () => {
    const s = await perTest.start({ webSocketPingIntervalMs: 0 });
    const { ws, session } = await connectWebSocket(s, '/api/v1/streaming', ALICE);
    perTest.track(ws);
    const held = session.subscriptions;
    await settle(s, ws, session, { type: 'subscribe', stream: 'public' });
    await settle(s, ws, session, { type: 'subscribe', stream: 'hashtag', tag: 'rust' });
    expect(held).toEqual([
      { stream: 'public', label: ['public'] },
      { stream: 'hashtag', tag: 'rust', label: ['hashtag', 'rust'] },
    ]);
    await settle(s, ws, session, { type: 'unsubscribe', stream: 'public' });
    expect(held).toEqual([{ stream: 'hashtag', tag: 'rust', label: ['hashtag', 'rust'] }]);
    expect(Object.isFrozen(held[0])).toBe(true);
    s.postStatus({}, { tags: ['rust'] });
    const [frame] = await ws.waitForTexts(1);
    expect(JSON.parse(frame ?? '{}')).toMatchObject({ stream: ['hashtag', 'rust'], event: 'update' });
  });
});
