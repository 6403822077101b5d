import { CloseCode, Opcode, isValidCloseCode } from './websocket-frames.js';

/** A complete message or control frame received from a client. */
export type ClientMessage =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Buffer }
  | { kind: 'ping'; payload: Buffer }
  | { kind: 'pong'; payload: Buffer }
  | { kind: 'close'; code: number | undefined; reason: string };

/** A violation that ends the connection with `closeCode` (1002, 1007 or 1009). */
export class WebSocketProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'WebSocketProtocolError';
  }
}

interface FrameHeader {
  fin: boolean;
  opcode: number;
  length: number;
  mask: Buffer;
}

const KNOWN_OPCODES = new Set<number>(Object.values(Opcode));
// Lengths above 2^53 - 1 cannot be counted exactly in a JS number; `ws` refuses them as too big.
const HIGH_WORD_LIMIT = 2 ** 21;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Incremental parser of client frames: bytes may arrive split anywhere, and frames may be
 * fragmented (text or binary plus continuations). Client frames must be masked. Oversized
 * frames are refused from their header alone, before any payload is buffered, so a client
 * announcing a huge length cannot make the server allocate it.
 *
 * @example
 * const parser = new ClientFrameParser(1024);
 * socket.on('data', (chunk) => parser.push(chunk, (message) => console.log(message)));
 */
export class ClientFrameParser {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private header: FrameHeader | undefined;
  private messageOpcode: number | undefined;
  private readonly fragments: Buffer[] = [];
  private fragmentBytes = 0;

  constructor(private readonly maxPayloadBytes: number) {}

  /**
   * Consumes `chunk` and reports each message completed by it, in order. Throws
   * {@link WebSocketProtocolError} at the first violation (messages before it are reported).
   */
  push(chunk: Buffer, onMessage: (message: ClientMessage) => void): void {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    for (;;) {
      this.header ??= this.readHeader();
      if (!this.header || this.buffered < this.header.length) return;
      const header = this.header;
      this.header = undefined;
      const payload = this.take(header.length);
      for (let index = 0; index < payload.length; index += 1) payload[index] = (payload[index] ?? 0) ^ (header.mask[index & 3] ?? 0);
      const message = this.complete(header, payload);
      if (message) onMessage(message);
    }
  }

  private readHeader(): FrameHeader | undefined {
    if (this.buffered < 2) return undefined;
    const first = this.peek(0);
    const second = this.peek(1);
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    const shortLength = second & 0x7f;
    if ((first & 0x70) !== 0) throw new WebSocketProtocolError(CloseCode.protocolError, 'RSV bits set without an extension');
    if (!KNOWN_OPCODES.has(opcode)) throw new WebSocketProtocolError(CloseCode.protocolError, `unknown opcode ${opcode}`);
    if ((second & 0x80) === 0) throw new WebSocketProtocolError(CloseCode.protocolError, 'client frame not masked');
    const isControl = opcode >= Opcode.close;
    if (isControl && (!fin || shortLength > 125)) {
      throw new WebSocketProtocolError(CloseCode.protocolError, 'control frames must be final and at most 125 bytes');
    }
    if (!isControl) this.checkFragmentOrder(opcode);

    const extendedBytes = shortLength === 126 ? 2 : shortLength === 127 ? 8 : 0;
    if (this.buffered < 2 + extendedBytes + 4) return undefined;
    const start = this.take(2 + extendedBytes + 4);
    let length = shortLength;
    if (extendedBytes === 2) {
      length = start.readUInt16BE(2);
    } else if (extendedBytes === 8) {
      const high = start.readUInt32BE(2);
      if (high >= HIGH_WORD_LIMIT) throw new WebSocketProtocolError(CloseCode.messageTooBig, 'payload length above 2^53 - 1');
      length = high * 2 ** 32 + start.readUInt32BE(6);
    }
    if (!isControl && this.fragmentBytes + length > this.maxPayloadBytes) {
      throw new WebSocketProtocolError(CloseCode.messageTooBig, 'Max payload size exceeded');
    }
    return { fin, opcode, length, mask: start.subarray(2 + extendedBytes) };
  }

  private checkFragmentOrder(opcode: number): void {
    if (opcode === Opcode.continuation && this.messageOpcode === undefined) {
      throw new WebSocketProtocolError(CloseCode.protocolError, 'continuation frame without a message to continue');
    }
    if (opcode !== Opcode.continuation && this.messageOpcode !== undefined) {
      throw new WebSocketProtocolError(CloseCode.protocolError, 'new message before the fragmented one ended');
    }
  }

  private complete(header: FrameHeader, payload: Buffer): ClientMessage | undefined {
    switch (header.opcode) {
      case Opcode.ping:
        return { kind: 'ping', payload };
      case Opcode.pong:
        return { kind: 'pong', payload };
      case Opcode.close:
        return parseClose(payload);
      default:
        return this.completeData(header, payload);
    }
  }

  private completeData(header: FrameHeader, payload: Buffer): ClientMessage | undefined {
    if (header.opcode !== Opcode.continuation) this.messageOpcode = header.opcode;
    this.fragments.push(payload);
    this.fragmentBytes += payload.length;
    if (!header.fin) return undefined;
    const bytes = this.fragments.length === 1 ? payload : Buffer.concat(this.fragments, this.fragmentBytes);
    const opcode = this.messageOpcode;
    this.fragments.length = 0;
    this.fragmentBytes = 0;
    this.messageOpcode = undefined;
    if (opcode === Opcode.binary) return { kind: 'binary', bytes };
    return { kind: 'text', text: decodeUtf8(bytes) };
  }

  private peek(offset: number): number {
    let remaining = offset;
    for (const chunk of this.chunks) {
      if (remaining < chunk.length) return chunk[remaining] ?? 0;
      remaining -= chunk.length;
    }
    return 0;
  }

  /** Removes and returns the next `count` buffered bytes as one writable buffer. */
  private take(count: number): Buffer {
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const used = Math.min(chunk.length, count - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= count;
    return out;
  }
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WebSocketProtocolError(CloseCode.invalidPayload, 'invalid UTF-8');
  }
}

function parseClose(payload: Buffer): ClientMessage {
  if (payload.length === 0) return { kind: 'close', code: undefined, reason: '' };
  if (payload.length === 1) throw new WebSocketProtocolError(CloseCode.protocolError, 'close payload of one byte');
  const code = payload.readUInt16BE(0);
  if (!isValidCloseCode(code)) throw new WebSocketProtocolError(CloseCode.protocolError, `invalid close code ${code}`);
  return { kind: 'close', code, reason: decodeUtf8(payload.subarray(2)) };
}
