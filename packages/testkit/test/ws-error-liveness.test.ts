// WebSocket rules read from Mastodon's streaming server (streaming/index.js) that no capture shows.
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeMastodon, type FakeMastodon, type FakeMastodonOptions } from '@tootstream/testkit';
import { RawCapture, getRequest } from './raw-http.js';
import { PUBLIC, TRANSPORTS, eventsBeforeMarker, openProbe, type ProbeStream, type StreamProbe } from './stream-probe.js';
import { connectWebSocket, settle, clientFrame, type RawWebSocket } from './ws-client.js';

let server: FakeMastodon | undefined;
const probes: StreamProbe[] = [];
const sockets: RawWebSocket[] = [];
const captures: RawCapture[] = [];

afterEach(async () => {
  for (const probe of probes.splice(0)) probe.close();
  for (const ws of sockets.splice(0)) ws.close();
  for (const capture of captures.splice(0)) capture.close();
  await server?.close();
  server = undefined;
});

async function start(options?: FakeMastodonOptions): Promise<FakeMastodon> {
  server = await createFakeMastodon(options);
  return server;
}

async function probeOf(s: FakeMastodon, transport: 'sse' | 'ws', stream: ProbeStream = PUBLIC, token?: string): Promise<StreamProbe> {
  const probe = await openProbe(s, transport, stream, token);
  probes.push(probe);
  return probe;
}

async function raw(s: FakeMastodon, path: string, headers: Record<string, string>): Promise<RawCapture> {
  const capture = await RawCapture.open(s.port, getRequest(path, headers));
  captures.push(capture);
  await capture.waitFor((text) => text.includes('\r\n\r\n'));
  return capture;
}

const USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1001' } };
const BOB_USER: ProbeStream = { ssePath: '/api/v1/streaming/user', wsQuery: 'stream=user', target: { stream: 'user', accountId: '1002' } };
const LOCAL: ProbeStream = { ssePath: '/api/v1/streaming/public/local', wsQuery: 'stream=public:local', target: { stream: 'public:local' } };

describe('the WebSocket error frame needs a live socket (`websocket.isAlive`)', () => {
  it('between a ping and its pong a failed subscribe or unsubscribe answers nothing', async () => {
    const s = await start({ webSocketPingIntervalMs: 0 });
    const { ws, session } = await connectWebSocket(s);
    sockets.push(ws);
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

