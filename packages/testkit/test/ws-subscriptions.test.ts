import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions, PublishTarget } from '@tootstream/testkit';
import { readFixtureText } from './fixtures.js';
import { StreamReader } from './sse-client.js';
import { connectWebSocket, settle, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<RawWebSocket | StreamReader>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start(options);
}

async function open(s: FakeMastodon, path?: string, headers?: Record<string, string>) {
  const opened = await connectWebSocket(s, path, headers);
  perTest.track(opened.ws);
  const send = (message: object | string) => settle(s, opened.ws, opened.session, message);
  return { ...opened, send };
}

/** Sends a message whose answer is known; every text frame before that answer is the result. */
async function framesBeforeMarker(ws: RawWebSocket, send: (message: object) => Promise<void>): Promise<string[]> {
  const before = ws.texts.length;
  await send({ type: 'subscribe', stream: 'marker-unknown' });
  const marker = '{"error":"Unknown stream type","status":400}';
  await ws.waitForFrames(() => ws.texts.slice(before).includes(marker));
  const texts = ws.texts;
  return texts.slice(0, texts.lastIndexOf(marker));
}

const ALICE_USER = { stream: 'user', accountId: '1001' } as const;

describe('ws-checks.txt: one injection per channel, one socket with nine subscriptions', () => {
  // [ws inject] lines of the capture, as publish calls (a notification channel feeds both user streams).
  const injections: Array<{ channel: string; targets: PublishTarget[]; event: string; payload?: string }> = [
    { channel: 'timeline:public', targets: [{ stream: 'public' }], event: 'update', payload: '{"id":"601"}' },
    { channel: 'timeline:hashtag:test', targets: [{ stream: 'hashtag', tag: 'test' }], event: 'update', payload: '{"id":"602"}' },
    { channel: 'timeline:hashtag:test:local', targets: [{ stream: 'hashtag:local', tag: 'test' }], event: 'update', payload: '{"id":"603"}' },
    { channel: 'timeline:list:42', targets: [{ stream: 'list', list: '42' }], event: 'update', payload: '{"id":"604"}' },
    { channel: 'timeline:public:local', targets: [{ stream: 'public:local' }], event: 'update', payload: '{"id":"605"}' },
    { channel: 'timeline:public:media', targets: [{ stream: 'public:media' }], event: 'update', payload: '{"id":"606"}' },
    { channel: 'timeline:direct:1001', targets: [{ stream: 'direct', accountId: '1001' }], event: 'conversation', payload: '{"id":"607"}' },
    { channel: 'timeline:1001', targets: [ALICE_USER], event: 'update', payload: '{"id":"608"}' },
    { channel: 'timeline:1001:notifications', targets: [ALICE_USER, { stream: 'user:notification', accountId: '1001' }], event: 'notification', payload: '{"id":"609"}' },
    { channel: 'timeline:1001', targets: [ALICE_USER], event: 'status.update', payload: '{"id":"608"}' },
    { channel: 'timeline:1001', targets: [ALICE_USER], event: 'announcement', payload: '{"id":"3"}' },
    { channel: 'timeline:1001', targets: [ALICE_USER], event: 'filters_changed' },
    { channel: 'timeline:public', targets: [{ stream: 'public' }], event: 'delete', payload: '601' },
    { channel: 'timeline:public', targets: [{ stream: 'public' }], event: 'unknown_custom_event', payload: '{"hello":"world","n":1}' },
  ];
  const lines = readFixtureText('ws-checks.txt').split('\n');

  it('the table mirrors the capture’s [ws inject] lines', () => {
    const captured = lines.filter((line) => line.startsWith('[ws inject] ')).map((line) => {
      const match = /^\[ws inject\] (\S+) \{"event":"([^"]+)"/.exec(line);
      return `${match?.[1]} ${match?.[2]}`;
    });
    expect(injections.map(({ channel, event }) => `${channel} ${event}`)).toEqual(captured);
  });

  it('delivers what the capture received: labels as sent, string payloads, the notification twice', async () => {
    const s = await start();
    const { ws, send } = await open(s);
    const subscriptions = [
      { stream: 'list', list: '42' }, { stream: 'public' }, { stream: 'public:media' }, { stream: 'hashtag:local', tag: 'test' },
      { stream: 'public:local' }, { stream: 'hashtag', tag: 'Test' }, { stream: 'direct' }, { stream: 'user' }, { stream: 'user:notification' },
    ];
    for (const subscription of subscriptions) await send({ type: 'subscribe', ...subscription });
    for (const { targets, event, payload } of injections) for (const target of targets) s.publish(target, event, payload);

    const received = (await framesBeforeMarker(ws, send)).map((text) => {
      const frame = JSON.parse(text) as { stream: string[]; event: string; payload: unknown };
      const payload = frame.payload as string;
      const isJson = payload.startsWith('{');
      const id = isJson ? (JSON.parse(payload) as { id?: string }).id : payload;
      return `stream=${JSON.stringify(frame.stream)} event=${frame.event} payloadType=${typeof frame.payload} payloadIsJSONString=${isJson} id=${id}`;
    });
    const expected = lines.filter((line) => line.startsWith('[ws recv] ')).map((line) => line.slice('[ws recv] '.length));
    // The real server delivers channel by channel as Redis answers; the fake in publish order.
    expect(received.sort()).toEqual(expected.sort());
  });
});

describe('waitForWebSocket() without a predicate', () => {
  it('waits for a live subscription, not the open: a client that subscribes after open (masto.js) gets what is published next', async () => {
    const s = await start();
    const { ws } = await open(s);
    const subscribed = s.waitForWebSocket();
    await ws.sendText(JSON.stringify({ type: 'subscribe', stream: 'public' })); // as masto.js does from its `open` handler
    const socket = await subscribed;
    expect(socket.subscriptions.map((subscription) => subscription.stream)).toEqual(['public']);
    const status = s.postStatus();
    const [frame] = await ws.waitForTexts(1);
    expect(JSON.parse(frame ?? '')).toMatchObject({ stream: ['public'], event: 'update' });
    expect(frame).toContain(`\\"id\\":\\"${status.id}\\"`);
  });

  it('times out naming what it waited for when the socket subscribed to nothing', async () => {
    const s = await start();
    await open(s);
    await expect(s.waitForWebSocket(undefined, { timeoutMs: 50 })).rejects.toThrow(/waiting for a WebSocket with a live subscription.*open WebSockets: #1/s);
    expect((await s.waitForWebSocket(() => true)).subscriptions).toEqual([]);
  });
});

describe('multiplexing (protocol.md §11.5)', () => {
  it('a status published once reaches SSE and WebSocket subscribers with the same payload text', async () => {
    const s = await start();
    const { ws, send } = await open(s);
    await send({ type: 'subscribe', stream: 'public' });
    await send({ type: 'subscribe', stream: 'user' });
    const publicReader = await StreamReader.open(`${s.url}/api/v1/streaming/public`);
    const userReader = await StreamReader.open(`${s.url}/api/v1/streaming/user`);
    perTest.track(publicReader);
    perTest.track(userReader);
    await s.waitForConnectionCount(2);
    await s.waitForConnection((c) => c.stream === 'user');
    await s.waitForConnection((c) => c.stream === 'public');
    const status = s.postStatus({ content: '<p>both ✨</p>' });
    await Promise.all([publicReader.untilEvents(1), userReader.untilEvents(1), ws.waitForTexts(2)]);
    const frames = ws.texts.map((text) => JSON.parse(text) as { stream: string[]; event: string; payload: string });
    expect(frames.map((frame) => frame.stream)).toEqual([['public'], ['user']]);
    expect(frames[0]?.payload).toBe(publicReader.events[0]?.data);
    expect(frames[1]?.payload).toBe(userReader.events[0]?.data);
    expect(frames[0]?.payload).toContain(`"id":"${status.id}"`);
    expect(frames[0]?.payload.endsWith(',"filtered":[]}')).toBe(true);
    expect(ws.texts[0]).toBe(JSON.stringify({ stream: ['public'], event: 'update', payload: publicReader.events[0]?.data }));
  });

  it('overlapping subscriptions duplicate an event, once per subscription, in subscription order', async () => {
    const s = await start();
    const { ws, send } = await open(s);
    for (const message of [{ stream: 'hashtag', tag: 'Rust' }, { stream: 'public:local' }, { stream: 'public' }, { stream: 'user' }]) {
      await send({ type: 'subscribe', ...message });
    }
    s.postStatus({}, { tags: ['rust'] });
    await ws.waitForTexts(4);
    expect(ws.texts.map((text) => (JSON.parse(text) as { stream: unknown }).stream)).toEqual([['hashtag', 'Rust'], ['public:local'], ['public'], ['user']]);
    await send({ type: 'subscribe', stream: 'user:notification' });
    // A follow: a mention would also post its status to the public subscriptions.
    s.notify('1001', { type: 'follow' });
    const texts = await ws.waitForTexts(6);
    expect(texts.slice(4).map((text) => (JSON.parse(text) as { stream: unknown; event: string }).stream)).toEqual([['user'], ['user:notification']]);
  });

  it('a second subscribe to the same channel (after tag normalisation) is a no-op that keeps the first label', async () => {
    const s = await start();
    const { ws, send, session } = await open(s);
    await send({ type: 'subscribe', stream: 'hashtag', tag: 'Test' });
    await send({ type: 'subscribe', stream: 'hashtag', tag: 'test' });
    await send({ type: 'subscribe', stream: 'hashtag', tag: '#TEST' });
    expect(session.subscriptions).toHaveLength(1);
    expect(s.publish({ stream: 'hashtag', tag: 'test' }, 'delete', '9')).toBe(1);
    expect(await framesBeforeMarker(ws, send)).toEqual(['{"stream":["hashtag","Test"],"event":"delete","payload":"9"}']);
  });

  it('unsubscribe stops delivery; unknown, foreign or tag-less unsubscribes answer the unsubscribe error', async () => {
    const s = await start();
    const { ws, send, session } = await open(s, '/api/v1/streaming?stream=public');
    await send({ type: 'subscribe', stream: 'hashtag', tag: 'Test' });
    await send({ type: 'unsubscribe', stream: 'public' });
    await send({ type: 'unsubscribe', stream: 'hashtag', tag: 'TEST' });
    await send({ type: 'unsubscribe', stream: 'direct' }); // not subscribed: silent
    expect(session.subscriptions).toEqual([]);
    expect(s.publish('public', 'delete', '1') + s.publish({ stream: 'hashtag', tag: 'test' }, 'delete', '2')).toBe(0);
    await send({ type: 'unsubscribe', stream: 'list', list: '43' });
    await send({ type: 'unsubscribe', stream: 'hashtag' });
    await send({ type: 'unsubscribe' });
    expect(await framesBeforeMarker(ws, send)).toEqual(Array(3).fill('{"error":"Error unsubscribing from channel"}'));
  });

  it('takes the first element of a stream array and echoes a numeric list as a number', async () => {
    const s = await start();
    const { ws, send } = await open(s);
    await send({ type: 'subscribe', stream: ['hashtag', 'ignored'], tag: 'Café' });
    await send({ type: 'subscribe', stream: 'list', list: 42 });
    s.publish({ stream: 'hashtag', tag: 'cafe' }, 'delete', '1');
    s.publish({ stream: 'list', list: '42' }, 'delete', '2');
    expect(await framesBeforeMarker(ws, send)).toEqual([
      '{"stream":["hashtag","Café"],"event":"delete","payload":"1"}',
      '{"stream":["list",42],"event":"delete","payload":"2"}',
    ]);
  });

  it('subscribes from the upgrade URL, and reports a failing URL stream as an error frame', async () => {
    const s = await start();
    const listed = await open(s, '/api/v1/streaming?stream=list&list=42&tag=ignored');
    expect(listed.session.subscriptions.map((x) => x.label)).toEqual([['list', '42']]);
    const cases: Array<[string, string]> = [
      ['?stream=nope', '{"error":"Unknown stream type","status":400}'],
      ['?stream=hashtag:local', '{"error":"Missing tag name parameter","status":400}'],
      ['?stream=list&list=43', '{"error":"Not authorized to stream this list","status":401}'],
    ];
    for (const [query, error] of cases) {
      const { ws } = await open(s, `/api/v1/streaming${query}`);
      expect(await ws.waitForTexts(1)).toEqual([error]);
    }
  });

  it('checks scopes per subscription: before the name, notifications only with read or read:notifications', async () => {
    const tokens = {
      statuses: { accountId: '1001', scopes: ['read:statuses'] },
      notifications: { accountId: '1001', scopes: ['read:notifications'] },
      writeonly: { accountId: '1001', scopes: ['write'] },
    };
    const s = await start({ tokens });
    const scopeError = '{"error":"Access token does not have the required scopes","status":401}';
    const statuses = await open(s, '/api/v1/streaming', { Authorization: 'Bearer statuses' });
    await statuses.send({ type: 'subscribe', stream: 'user' });
    await statuses.send({ type: 'subscribe', stream: 'user:notification' });
    s.notify('1001');
    s.publish(ALICE_USER, 'delete', '5');
    expect(await framesBeforeMarker(statuses.ws, statuses.send)).toEqual([scopeError, '{"stream":["user"],"event":"delete","payload":"5"}']);

    const notifications = await open(s, '/api/v1/streaming', { Authorization: 'Bearer notifications' });
    await notifications.send({ type: 'subscribe', stream: 'user:notification' });
    await notifications.send({ type: 'subscribe', stream: 'public' });
    expect(notifications.session.subscriptions.map((x) => x.stream)).toEqual(['user:notification']);

    const writeOnly = await open(s, '/api/v1/streaming?stream=public', { Authorization: 'Bearer writeonly' });
    await writeOnly.send({ type: 'subscribe', stream: 'nope' });
    expect(await writeOnly.ws.waitForTexts(2)).toEqual([scopeError, scopeError]);
  });

  it('filters_changed without payload: dropped by default, a frame without payload key in "undefined" mode', async () => {
    for (const [mode, expected] of [
      ['drop', ['{"stream":["user"],"event":"filters_changed","payload":"x"}']],
      ['undefined', ['{"stream":["user"],"event":"filters_changed"}', '{"stream":["user"],"event":"filters_changed","payload":"x"}']],
    ] as const) {
      const s = await start({ filtersChanged: mode });
      const { ws, send } = await open(s, '/api/v1/streaming?stream=user');
      s.publish(ALICE_USER, 'filters_changed');
      s.publish(ALICE_USER, 'filters_changed', 'x');
      expect(await framesBeforeMarker(ws, send), mode).toEqual(expected);
      await s.close();
    }
  });
});
