/** RFC 6455 opcodes the fake server sends or understands. */
export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Close codes the fake server sends (RFC 6455 §7.4.1), named for what causes them here. */
export const CloseCode = {
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  messageTooBig: 1009,
} as const;

/** The reason Mastodon 4.5.7 gives when a client sends a binary message (captured). */
export const BINARY_REJECTED_REASON = 'The mastodon streaming server does not support binary messages';

/**
 * One complete, unmasked, unfragmented frame as a Mastodon server writes it (`0x81…` text,
 * `0x89 00` ping, `0x88 00` close without code).
 *
 * @example
 * encodeFrame(Opcode.ping, Buffer.alloc(0)) // <Buffer 89 00>
 */
export function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + lengthBytes + length);
  frame[0] = 0x80 | opcode;
  if (lengthBytes === 0) {
    frame[1] = length;
  } else if (lengthBytes === 2) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, 2 + lengthBytes);
  return frame;
}

/** A text frame carrying `text` as UTF-8. */
export function encodeTextFrame(text: string): Buffer {
  return encodeFrame(Opcode.text, Buffer.from(text, 'utf8'));
}

/**
 * A close frame. Without a code the payload is empty (`88 00`), which the client reports as
 * 1005; that is what a token kill looks like on a real server.
 *
 * @example
 * encodeCloseFrame(1003, BINARY_REJECTED_REASON)
 */
export function encodeCloseFrame(code?: number, reason = ''): Buffer {
  if (code === undefined) return encodeFrame(Opcode.close, Buffer.alloc(0));
  const reasonBytes = Buffer.from(reason, 'utf8');
  const payload = Buffer.allocUnsafe(2 + reasonBytes.length);
  payload.writeUInt16BE(code, 0);
  payload.set(reasonBytes, 2);
  return encodeFrame(Opcode.close, payload);
}

/** True for close codes a peer may put on the wire (RFC 6455 §7.4, as the `ws` library checks). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
