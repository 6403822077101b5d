import { describe, expect, it } from 'vitest';
import type { FakeMastodon, FakeMastodonOptions } from '@tootstream/testkit';
import { sleep } from './sse-client.js';
import { clientFrame, connectWebSocket, settle, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<RawWebSocket>();

function start(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  return perTest.start({ webSocketPingIntervalMs: 0, ...options });
}

async function open(s: FakeMastodon, path = '/api/v1/streaming?stream=public', token = 'peer-test-token') {
  const opened = await connectWebSocket(s, path, { Authorization: `Bearer ${token}` });
  perTest.track(opened.ws);
  return opened;
}

const hdrs = (ws: RawWebSocket): string[] => ws.frames.map((frame) => frame.hdr.slice(0, 2));

describe('stallWebSockets (checklist 20, half-open WebSockets)', () => {
  it('writes nothing at all while the socket stays open: no events, pings, pongs or close frame; the sweep spares it; resume restarts output', async () => {
    const s = await start();
    const stalled = await open(s);
    const other = await open(s, '/api/v1/streaming?stream=public', 'peer-test-token-bob');
    s.stallWebSockets((socket) => socket.accountId === '1001');
    expect(stalled.session.isStalled).toBe(true);
    expect(s.publish('public', 'delete', '1')).toBe(1); // bob only
    s.sweepWebSockets();
    s.sweepWebSockets(); // alice never ponged, yet a silent server does not terminate her
    await stalled.ws.send(clientFrame(0x9, 'hi'));
    await settle(s, stalled.ws, stalled.session, { type: 'subscribe', stream: 'nope' }); // error frame lost too
    s.killWebSockets((socket) => socket.accountId === '1001'); // its close frame waits
    await other.ws.waitForFrames((frames) => frames.length === 2);
    await sleep(50);
    expect(stalled.ws.frames).toEqual([]);
    expect(stalled.session.isClosed).toBe(false);
    expect(hdrs(other.ws)).toEqual(['81', '89']);

    s.resumeWebSockets();
    await stalled.ws.waitForFrames((frames) => frames.length === 1);
    expect(stalled.ws.frames.map((frame) => frame.hdr)).toEqual(['8800']);
    expect(stalled.session.isStalled).toBe(false);
  });

  it('resume delivers events published after it; those published during the stall stay lost', async () => {
    const s = await start();
    const { ws } = await open(s);
    s.stallWebSockets();
    s.publish('public', 'delete', '1');
    s.resumeWebSockets();
    s.publish('public', 'delete', '2');
    const texts = await ws.waitForTexts(1);
    await sleep(30);
    expect(ws.texts).toEqual(texts);
    expect(texts).toEqual(['{"stream":["public"],"event":"delete","payload":"2"}']);
  });

  it('with keepPings only event and error frames are lost: pings, pongs, raw pushes and the dead-socket sweep go on', async () => {
    const s = await start();
    const { ws, session } = await open(s);
    s.stallWebSockets(undefined, { keepPings: true });
    expect(s.publish('public', 'delete', '1')).toBe(0);
    await settle(s, ws, session, { type: 'subscribe', stream: 'nope' });
    await ws.send(clientFrame(0x9, 'hi'));
    await ws.waitForFrames((frames) => frames.length === 1);
    s.sweepWebSockets();
    s.pushRawWebSocket(Buffer.from([0x81, 0x01, 0x78]));
    await ws.waitForFrames((frames) => frames.length === 3);
    expect(ws.frames.map((frame) => [frame.hdr, frame.text])).toEqual([
      ['8a02', 'hi'],
      ['8900', ''],
      ['8101', 'x'],
    ]);
    s.sweepWebSockets(); // no pong came: terminated as usual
    await session.closed;
    await ws.ended;
  });
});

describe('webSocketSubscribeDelayMs (checklist 22)', () => {
  it('a URL subscription goes live only after the delay; events before it are lost; waitForWebSocket resolves once live', async () => {
    const s = await start({ webSocketSubscribeDelayMs: 150 });
    const started = performance.now();
    const { ws, session } = await open(s);
    expect(session.subscriptions).toEqual([]);
    expect(s.publish('public', 'delete', '1')).toBe(0);
    await s.waitForWebSocket((socket) => socket.subscriptions.some((x) => x.stream === 'public'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(s.publish('public', 'delete', '2')).toBe(1);
    expect(await ws.waitForTexts(1)).toEqual(['{"stream":["public"],"event":"delete","payload":"2"}']);
  });

  it('delays subscribe messages too; errors answer at once; a repeat while pending is a no-op; unsubscribe cancels', async () => {
    const s = await start({ webSocketSubscribeDelayMs: 100 });
    const { ws, session } = await open(s, '/api/v1/streaming');
    await settle(s, ws, session, { type: 'subscribe', stream: 'hashtag', tag: 'Test' });
    await settle(s, ws, session, { type: 'subscribe', stream: 'hashtag', tag: 'test' });
    await settle(s, ws, session, { type: 'subscribe', stream: 'user' });
    await settle(s, ws, session, { type: 'unsubscribe', stream: 'user' });
    await settle(s, ws, session, { type: 'subscribe', stream: 'nope' });
    expect(await ws.waitForTexts(1)).toEqual(['{"error":"Unknown stream type","status":400}']);
    expect(session.subscriptions).toEqual([]);
    await s.waitForWebSocket((socket) => socket.subscriptions.length > 0);
    await sleep(150);
    expect(session.subscriptions.map((x) => x.label)).toEqual([['hashtag', 'Test']]);
  });
});
