// WebSocket rules read from Mastodon's streaming server (streaming/index.js) that no capture shows.
import { describe, expect, it } from 'vitest';
import { connectWebSocket, settle, clientFrame } from './ws-client.js';
import { createSourceHarness } from './source-harness.js';

const { start, track } = createSourceHarness();

describe('the WebSocket error frame needs a live socket (`websocket.isAlive`)', () => {
  it('between a ping and its pong a failed subscribe or unsubscribe answers nothing', async () => {
    const s = await start({ webSocketPingIntervalMs: 0 });
    const { ws, session } = await connectWebSocket(s);
    track(ws);
    s.sweepWebSockets();
    await ws.waitForFrames((frames) => frames.some((frame) => frame.opcode === 0x9));
    await settle(s, ws, session, { type: 'subscribe', stream: 'nope' });
    await settle(s, ws, session, { type: 'unsubscribe', stream: 'nope' });
    await ws.send(clientFrame(0xa, ''));
    await s.waitForWebSocket((socket) => socket === session && socket.pongs === 1);
    await settle(s, ws, session, { type: 'subscribe', stream: 'nope' });
    const texts = await ws.waitForTexts(1);
    expect(texts).toEqual(['{"error":"Unknown stream type","status":400}']);
  });
});

