import { describe, expect, it } from 'vitest';
import type { FakeMastodonOptions } from '@tootstream/testkit';
import { ClientFrameParser, type ClientMessage } from '../src/websocket-frame-parser.js';
import { sleep } from './sse-client.js';
import { clientFrame, connectWebSocket, settle, textFrame, type RawWebSocket } from './ws-client.js';
import { useFakeServer } from './fake-per-test.js';

const perTest = useFakeServer<RawWebSocket>();

async function start(options: FakeMastodonOptions = {}) {
  const s = await perTest.start({ webSocketPingIntervalMs: 0, ...options });
  const opened = await connectWebSocket(s);
  perTest.track(opened.ws);
  return { s, ...opened, send: (message: object | string) => settle(s, opened.ws, opened.session, message) };
}

const SUBSCRIBE_PUBLIC = '{"type":"subscribe","stream":"public"}';
const UNSUBSCRIBE_PUBLIC = '{"type":"unsubscribe","stream":"public"}';
const closeFrameHex = (code: number, reason = '') =>
  Buffer.concat([Buffer.from([0x88, 2 + Buffer.byteLength(reason), code >> 8, code & 0xff]), Buffer.from(reason)]).toString('hex');

describe('client frame parsing over TCP', () => {
  it('accepts 7-, 16- and 64-bit payload lengths and answers with the same length forms', async () => {
    const { s, ws, session } = await start();
    let handled = 0;
    for (const size of [100, 300, 70_000]) {
      await ws.send(textFrame(SUBSCRIBE_PUBLIC.padEnd(size, ' ')));
      await s.waitForWebSocket(() => session.messages.length === handled + 1 && session.subscriptions.length === 1);
      await ws.send(textFrame(UNSUBSCRIBE_PUBLIC.padEnd(size, ' ')));
      handled += 2;
      await s.waitForWebSocket(() => session.messages.length === handled && session.subscriptions.length === 0);
      expect(session.messages.at(-1)?.length).toBe(size);
    }
    await ws.send(textFrame(SUBSCRIBE_PUBLIC));
    await s.waitForWebSocket(() => session.subscriptions.length === 1);
    s.publish('public', 'delete', '501'); // 54 bytes, 0x36, as in ws-long
    s.publish('public', 'x', 'y'.repeat(200));
    s.publish('public', 'x', 'z'.repeat(70_000));
    const frames = await ws.waitForFrames((all) => all.length === 3);
    expect(frames.map((frame) => frame.hdr.slice(0, 4))).toEqual(['8136', '817e', '817f']);
    expect(frames[2]?.payload.length).toBe(JSON.stringify({ stream: ['public'], event: 'x', payload: 'z'.repeat(70_000) }).length);
  });

  it('reassembles fragmented text, answering a ping sent between the fragments first', async () => {
    const { s, ws, session } = await start();
    const bytes = Buffer.from(SUBSCRIBE_PUBLIC);
    await ws.send(clientFrame(0x1, bytes.subarray(0, 10), { fin: false }));
    await ws.send(clientFrame(0x9, 'mid'));
    await ws.waitForFrames((frames) => frames.length === 1);
    expect(ws.frames[0]?.hdr).toBe('8a03');
    expect(ws.frames[0]?.text).toBe('mid');
    expect(session.messages).toEqual([]);
    await ws.send(clientFrame(0x0, bytes.subarray(10, 20), { fin: false, mask: [1, 2, 3, 4] }));
    await ws.send(clientFrame(0x0, bytes.subarray(20), { fin: true, mask: [0, 0, 0, 0] }));
    await s.waitForWebSocket(() => session.subscriptions.length === 1);
    expect(session.messages).toEqual([SUBSCRIBE_PUBLIC]);
  });

  it('handles a masked frame split at every byte boundary across two TCP writes', async () => {
    const { s, ws, session } = await start();
    const frame = textFrame(SUBSCRIBE_PUBLIC, { mask: [0x01, 0xa5, 0x5a, 0xff] });
    for (let cut = 1; cut < frame.length; cut += 1) {
      const handled = session.messages.length;
      await ws.send(frame.subarray(0, cut));
      await sleep(1); // lets the first part arrive as its own read
      expect(session.messages.length, `cut at ${cut}`).toBe(handled);
      await ws.send(frame.subarray(cut));
      await s.waitForWebSocket(() => session.subscriptions.length === 1);
      await ws.send(textFrame(UNSUBSCRIBE_PUBLIC));
      await s.waitForWebSocket(() => session.subscriptions.length === 0);
    }
    expect(session.messages.length).toBe(2 * (frame.length - 1));
  });

  it('handles a frame written one byte per TCP write', async () => {
    const { s, ws, session } = await start();
    for (const byte of textFrame(SUBSCRIBE_PUBLIC)) await ws.send(Buffer.from([byte]));
    await s.waitForWebSocket(() => session.subscriptions.length === 1);
    expect(session.messages).toEqual([SUBSCRIBE_PUBLIC]);
    expect(session.subscriptions).toEqual([{ stream: 'public', label: ['public'] }]);
  });

  it('the parser reports the same messages for every two-way split of a frame sequence', () => {
    const sequence = Buffer.concat([
      clientFrame(0x1, 'héllo ', { fin: false }),
      clientFrame(0x9, 'p'),
      clientFrame(0x0, 'wörld', { mask: [9, 8, 7, 6] }),
      clientFrame(0x1, 'x'.repeat(300)),
      clientFrame(0xa, ''),
      clientFrame(0x8, Buffer.from([0x03, 0xe8, 0x62])),
    ]);
    const parse = (parts: Buffer[]): ClientMessage[] => {
      const parser = new ClientFrameParser(1024);
      const messages: ClientMessage[] = [];
      for (const part of parts) parser.push(part, (message) => messages.push(message));
      return messages;
    };
    const whole = parse([sequence]);
    expect(whole.map((message) => message.kind)).toEqual(['ping', 'text', 'text', 'pong', 'close']);
    expect(whole[1]).toEqual({ kind: 'text', text: 'héllo wörld' });
    expect(whole[4]).toEqual({ kind: 'close', code: 1000, reason: 'b' });
    for (let cut = 1; cut < sequence.length; cut += 1) {
      expect(parse([sequence.subarray(0, cut), sequence.subarray(cut)]), `cut at ${cut}`).toEqual(whole);
    }
    expect(parse([...sequence].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });
});

describe('protocol violations close the socket with the code the ws library uses', () => {
  const cases: Array<[string, Buffer, number]> = [
    ['unmasked client frame', clientFrame(0x1, SUBSCRIBE_PUBLIC, { mask: null }), 1002],
    ['RSV1 without an extension', clientFrame(0x1, 'x', { rsv: 4 }), 1002],
    ['unknown opcode 3', clientFrame(0x3, 'x'), 1002],
    ['continuation without a message', clientFrame(0x0, 'x'), 1002],
    ['new message inside a fragmented one', Buffer.concat([clientFrame(0x1, 'a', { fin: false }), clientFrame(0x1, 'b')]), 1002],
    ['fragmented ping', clientFrame(0x9, 'x', { fin: false }), 1002],
    ['ping longer than 125 bytes', clientFrame(0x9, 'x'.repeat(126)), 1002],
    ['close with a one-byte payload', clientFrame(0x8, Buffer.from([3])), 1002],
    ['close with reserved code 1005', clientFrame(0x8, Buffer.from([0x03, 0xed])), 1002],
    ['invalid UTF-8 in text', clientFrame(0x1, Buffer.from([0x7b, 0xc3, 0x28])), 1007],
    ['frame longer than the limit', clientFrame(0x1, 'x'.repeat(1025)), 1009],
    ['fragments longer than the limit together', Buffer.concat([clientFrame(0x1, 'x'.repeat(600), { fin: false }), clientFrame(0x0, 'x'.repeat(600))]), 1009],
    ['length above 2^53 announced', clientFrame(0x1, '', { announcedLength: Number.MAX_SAFE_INTEGER + 1 }), 1009],
  ];
  for (const [name, bytes, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const { s, ws, session } = await start({ webSocketMaxPayloadBytes: 1024 });
      await ws.send(bytes);
      await ws.send(textFrame(SUBSCRIBE_PUBLIC)); // must be ignored: nothing is read after the error
      await ws.waitForFrames((frames) => frames.length >= 1);
      expect(ws.frames.map((frame) => frame.hdr + frame.payload.toString('hex'))).toEqual([closeFrameHex(code)]);
      expect(session.isOpen).toBe(false);
      expect(session.subscriptions).toEqual([]);
      expect(await ws.ended).toBe('end'); // ended right after the close frame, without waiting for an answer
      await session.closed;
      expect(s.webSockets).toEqual([]);
    });
  }

  it('refuses an oversized frame from its header, before the payload is sent', async () => {
    const { ws } = await start({ webSocketMaxPayloadBytes: 1024 });
    await ws.send(clientFrame(0x1, '', { announcedLength: 2 ** 40 }).subarray(0, 14));
    const frames = await ws.waitForFrames((all) => all.length === 1);
    expect(frames[0]?.hdr + (frames[0]?.payload.toString('hex') ?? '')).toBe(closeFrameHex(1009));
  });
});

describe('close handshake, binary frames and pings', () => {
  it('echoes a client close (code and reason) and ends TCP', async () => {
    const { ws, session } = await start();
    await ws.send(clientFrame(0x8, Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from('bye')])));
    expect(await ws.ended).toBe('end');
    expect(ws.frames.map((frame) => frame.hdr + frame.payload.toString('hex'))).toEqual([closeFrameHex(1000, 'bye')]);
    await session.closed;
  });

  it('answers a close without code with 88 00', async () => {
    const { ws } = await start();
    await ws.send(clientFrame(0x8, ''));
    expect(await ws.ended).toBe('end');
    expect(ws.frames.map((frame) => frame.hdr)).toEqual(['8800']);
  });

  it('closes with 1003 and the exact reason after a (fragmented) binary message, not before', async () => {
    const { ws } = await start();
    await ws.send(clientFrame(0x2, Buffer.from([1, 2]), { fin: false }));
    await ws.send(clientFrame(0x9, 'still open'));
    await ws.waitForFrames((frames) => frames.length === 1);
    expect(ws.frames[0]?.opcode).toBe(0xa);
    await ws.send(clientFrame(0x0, Buffer.from([3])));
    const frames = await ws.waitForFrames((all) => all.length === 2);
    const reason = 'The mastodon streaming server does not support binary messages';
    expect(frames[1]?.hdr + (frames[1]?.payload.toString('hex') ?? '')).toBe(closeFrameHex(1003, reason));
    expect(frames[1]?.hdr).toBe('8840');
  });

  it('answers a client ping with a pong carrying the same payload', async () => {
    const { ws } = await start();
    await ws.send(clientFrame(0x9, 'hello'));
    const frames = await ws.waitForFrames((all) => all.length === 1);
    expect(frames[0]?.hdr + (frames[0]?.payload.toString() ?? '')).toBe('8a05hello');
  });

  it('a manual sweep pings (89 00); a second sweep without pong terminates without a close frame', async () => {
    const { s, ws, session } = await start();
    await sleep(50);
    expect(ws.frames).toEqual([]); // interval 0: no timer
    s.sweepWebSockets();
    await ws.waitForFrames((frames) => frames.length === 1);
    expect(ws.frames[0]?.hdr).toBe('8900');
    expect(session.isAlive).toBe(false);
    await ws.send(clientFrame(0xa, ''));
    await s.waitForWebSocket(() => session.pongs === 1);
    expect(session.isAlive).toBe(true);
    s.sweepWebSockets(); // answered: pinged again
    await ws.waitForFrames((frames) => frames.length === 2);
    s.sweepWebSockets(); // not answered: terminated
    await ws.ended;
    expect(ws.frames.map((frame) => frame.hdr)).toEqual(['8900', '8900']);
    await session.closed;
    expect(s.webSockets).toEqual([]);
  });

  it('the global timer pings every socket; sockets that pong survive, silent ones are terminated', async () => {
    const s = await perTest.start({ webSocketPingIntervalMs: 40 });
    const answering = await connectWebSocket(s);
    const silent = await connectWebSocket(s);
    perTest.track(answering.ws);
    perTest.track(silent.ws);
    let answered = 0;
    const answer = setInterval(() => {
      const pings = answering.ws.frames.filter((frame) => frame.opcode === 0x9).length;
      for (; answered < pings; answered += 1) void answering.ws.send(clientFrame(0xa, ''));
    }, 5);
    try {
      await silent.ws.ended;
      expect(silent.ws.frames.map((frame) => frame.hdr)).toEqual(['8900']);
      await answering.ws.waitForFrames((frames) => frames.filter((frame) => frame.opcode === 0x9).length >= 4);
      expect(answering.session.isClosed).toBe(false);
      expect(s.webSockets).toEqual([answering.session]);
    } finally {
      clearInterval(answer);
    }
  });
});
