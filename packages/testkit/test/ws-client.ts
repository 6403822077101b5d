import type { FakeMastodon, FakeWebSocket } from '@tootstream/testkit';
import { RawCapture } from './raw-http.js';

/** The sample key of RFC 6455 §1.3 and its accept value, so the 101 can be checked exactly. */
export const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const RFC_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

/** A frame as the server wrote it (server frames are never masked). */
export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Header bytes in hex, as the fixtures' `hdr=` column (`817e05e9`, `8900`, …). */
  hdr: string;
  text: string;
}

/** A GET upgrade request with the RFC sample key unless `key` says otherwise. */
export function upgradeRequest(path: string, headers: Record<string, string> = {}, key = RFC_KEY): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: Upgrade',
    'Upgrade: websocket',
    `Sec-WebSocket-Key: ${key}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface ClientFrameOptions {
  fin?: boolean;
  /** Four mask bytes; `null` sends the frame unmasked (a protocol error for a client). */
  mask?: readonly number[] | null;
  /** RSV bits (0–7) shifted into place. */
  rsv?: number;
  /** Announced length when it must differ from the payload (oversize tests). */
  announcedLength?: number;
}

/** Encodes a client frame (masked by default) with 7-, 16- or 64-bit length as needed. */
export function clientFrame(opcode: number, payload: Uint8Array | string, options: ClientFrameOptions = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  const mask = options.mask === undefined ? [0x37, 0xfa, 0x21, 0x3d] : options.mask;
  const length = options.announcedLength ?? body.length;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | opcode;
  const maskBit = mask ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, maskBit | length]);
  } else if (length < 0x10000) {
    header = Buffer.from([first, maskBit | 126, length >> 8, length & 0xff]);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([header, body]);
  const masked = Buffer.from(body.map((byte, index) => byte ^ (mask[index & 3] ?? 0)));
  return Buffer.concat([header, Buffer.from(mask), masked]);
}

/** A masked text frame. */
export function textFrame(text: string, options?: ClientFrameOptions): Buffer {
  return clientFrame(0x1, text, options);
}

/** Bytes after the first `\r\n\r\n` (the frames), or empty while the handshake is incomplete. */
export function afterHandshake(bytes: Buffer): Buffer {
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? Buffer.alloc(0) : bytes.subarray(end + 4);
}

/** The handshake response text, including its blank line. */
export function handshakeOf(bytes: Buffer): string {
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? '' : bytes.subarray(0, end + 4).toString('latin1');
}

/** Parses the complete server frames in `bytes` (a trailing partial frame is left out). */
export function parseServerFrames(bytes: Buffer): ServerFrame[] {
  const frames: ServerFrame[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const first = bytes[offset] ?? 0;
    const second = bytes[offset + 1] ?? 0;
    if (second & 0x80) throw new Error('server frame is masked');
    let length = second & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (offset + 4 > bytes.length) break;
      length = bytes.readUInt16BE(offset + 2);
      headerLength = 4;
    } else if (length === 127) {
      if (offset + 10 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset + 2));
      headerLength = 10;
    }
    if (offset + headerLength + length > bytes.length) break;
    const payload = bytes.subarray(offset + headerLength, offset + headerLength + length);
    const hdr = bytes.subarray(offset, offset + headerLength).toString('hex');
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, hdr, text: payload.toString('utf8') });
    offset += headerLength + length;
  }
  return frames;
}

/** A raw WebSocket client for exact-byte tests: a {@link RawCapture} plus frame helpers. */
export class RawWebSocket {
  private constructor(readonly capture: RawCapture) {}

  /** Connects, sends the upgrade request and waits for the complete response head. */
  static async open(port: number, path: string, headers: Record<string, string> = {}, key?: string): Promise<RawWebSocket> {
    const capture = await RawCapture.open(port, upgradeRequest(path, headers, key));
    await capture.waitFor((text) => text.includes('\r\n\r\n'));
    return new RawWebSocket(capture);
  }

  get handshake(): string {
    return handshakeOf(this.capture.bytes());
  }

  get frames(): ServerFrame[] {
    return parseServerFrames(afterHandshake(this.capture.bytes()));
  }

  /** Text payloads of the text frames received so far. */
  get texts(): string[] {
    return this.frames.filter((frame) => frame.opcode === 0x1).map((frame) => frame.text);
  }

  get ended(): Promise<'end' | 'close'> {
    return this.capture.ended;
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.capture.write(bytes);
  }

  sendText(text: string, options?: ClientFrameOptions): Promise<void> {
    return this.capture.write(textFrame(text, options));
  }

  /** Resolves once `predicate` holds for the frames received so far. */
  async waitForFrames(predicate: (frames: ServerFrame[]) => boolean, timeoutMs = 5_000): Promise<ServerFrame[]> {
    await this.capture.waitFor(() => predicate(this.frames), timeoutMs);
    return this.frames;
  }

  /** Resolves with the text frames once there are at least `count`. */
  async waitForTexts(count: number, timeoutMs?: number): Promise<string[]> {
    await this.waitForFrames(() => this.texts.length >= count, timeoutMs);
    return this.texts;
  }

  close(): void {
    this.capture.close();
  }
}

/**
 * Sends a text message and resolves once the server has handled it (the session logged it),
 * so a following publish cannot race the subscription.
 */
export async function settle(server: FakeMastodon, ws: RawWebSocket, session: FakeWebSocket, message: object | string): Promise<void> {
  const before = session.messages.length;
  await ws.sendText(typeof message === 'string' ? message : JSON.stringify(message));
  await server.waitForWebSocket((socket) => socket === session && socket.messages.length > before);
}

/** Opens a socket as alice (unless other headers are given) and returns it with its server-side session. */
export async function connectWebSocket(
  server: FakeMastodon,
  path = '/api/v1/streaming',
  headers: Record<string, string> = { Authorization: 'Bearer peer-test-token' },
): Promise<{ ws: RawWebSocket; session: FakeWebSocket }> {
  const ws = await RawWebSocket.open(server.port, path, headers);
  // The session is registered in the same tick the 101 is written, so it is the newest one now.
  const session = server.webSockets.at(-1);
  if (!ws.handshake.startsWith('HTTP/1.1 101 ') || !session || session.url !== path) {
    ws.close();
    throw new Error(`upgrade failed: ${JSON.stringify(ws.handshake)}`);
  }
  return { ws, session };
}
