// The line splitter and message assembler are @microsoft/fetch-event-source's
// parse module (MIT, Copyright (c) Microsoft Corporation), bundled into our
// dist because the package has no ESM entry that Node can load.
import { getLines, getMessages, type EventSourceMessage } from '@microsoft/fetch-event-source/lib/esm/parse.js';
import { MastodonEventTooLargeError } from './errors.js';
import { createTextLineParser } from './sse-text-lines.js';

/** What the parser reports. */
export interface SseParserHooks {
  /** A complete message: its `event:` name (may be empty) and its `data:` text. */
  onMessage(eventName: string, data: string): void;
  /** A comment line such as `:)` or `:thump`, without the colon. */
  onComment(text: string): void;
  /** With `reportInvalidUtf8`: a message with invalid UTF-8 (decoded with U+FFFD), instead of `onMessage`. */
  onInvalidUtf8?(eventName: string, data: string): void;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /** Report events with invalid UTF-8 to `onInvalidUtf8` instead of replacing bad bytes silently (WHATWG). */
  reportInvalidUtf8?: boolean;
  /** `'getLines'` forces fetch-event-source's splitter, for tests that hold both paths to the same results. */
  path?: 'auto' | 'getLines';
}

/** A chunk-safe SSE parser; `feed` accepts bytes split anywhere. */
export interface SseParser {
  feed(chunk: Uint8Array): void;
}

const LF = 0x0a;
const COLON = 0x3a;
const CR = 0x0d;

/**
 * Wraps fetch-event-source's `getLines` → `getMessages` pipeline with what it
 * lacks for Mastodon: comment lines are observed between the two stages (so
 * heartbeats are seen and never become empty events), a leading BOM is
 * removed, a blank line with nothing pending dispatches nothing, and the size
 * of a pending event is bounded by `maxEventBytes`.
 */
export function createSseParser(hooks: SseParserHooks, maxEventBytes: number, options: SseParserOptions = {}): SseParser {
  const commentDecoder = new TextDecoder();
  let pendingEventBytes = 0;
  let partialLineBytes = 0;
  let atStreamStart = true;
  let startBytes: Uint8Array | undefined;

  const fatalDecoder = options.reportInvalidUtf8 ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : undefined;
  const isValidUtf8 = (bytes: Uint8Array): boolean => {
    try {
      fatalDecoder?.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  let pendingInvalid = false;
  const decodeStrictly = (bytes: Uint8Array): string | undefined => {
    try {
      return fatalDecoder?.decode(bytes);
    } catch {
      return undefined;
    }
  };

  const assemble = getMessages(ignore, ignore, (message: EventSourceMessage) => {
    const invalid = pendingInvalid;
    pendingInvalid = false;
    if (message.data === '' && message.event === '') return;
    if (invalid && hooks.onInvalidUtf8) hooks.onInvalidUtf8(message.event, message.data);
    else hooks.onMessage(message.event, message.data);
  });

  const onLine = (line: Uint8Array, fieldLength: number): void => {
    if (line.length === 0) {
      pendingEventBytes = 0;
    } else {
      pendingEventBytes += line.length + 1;
      if (pendingEventBytes > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
      if (fieldLength === 0) {
        hooks.onComment(commentDecoder.decode(line.subarray(1)));
        return;
      }
      if (fatalDecoder !== undefined && !isValidUtf8(line)) pendingInvalid = true;
    }
    assemble(line, fieldLength);
  };
  const splitLines = getLines(onLine);

  // getLines inspects every byte in a JavaScript loop, and for Mastodon's
  // multi-kilobyte JSON lines that costs more than JSON.parse (see `pnpm
  // bench`). While a stream has shown no CR (no Mastodon server sends one),
  // each chunk is decoded once up to its last LF and split as text; the first
  // CR hands the stream to getLines → getMessages for good, which handle CR
  // and CRLF split anywhere. Both paths are held to the same results by tests.
  const textLines = createTextLineParser(hooks, maxEventBytes);
  const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let sawCarriageReturn = options.path === 'getLines';
  // An unterminated line is kept as a list of pieces and joined once its LF
  // arrives, so a long line trickling in small chunks stays linear.
  let carry: Uint8Array[] = [];
  let carryLength = 0;

  const takeCarry = (tail: Uint8Array): Uint8Array => {
    if (carryLength === 0) return tail;
    const joined = new Uint8Array(carryLength + tail.length);
    let offset = 0;
    for (const piece of carry) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    joined.set(tail, offset);
    carry = [];
    carryLength = 0;
    return joined;
  };

  const switchToGetLines = (bytes: Uint8Array): void => {
    sawCarriageReturn = true;
    // The text path only ever saw whole lines, so getLines takes over at a line
    // start; the lines of an event it had half assembled are replayed first.
    const replay = textLines.takePendingLines();
    if (replay !== '') splitLines(new TextEncoder().encode(replay));
    splitLines(bytes);
  };

  // Rare (reportInvalidUtf8 and a bad chunk): find the bad lines one by one.
  const feedLinesFlaggingInvalid = (lines: Uint8Array): void => {
    for (let start = 0, end = lines.indexOf(LF); end !== -1; start = end + 1, end = lines.indexOf(LF, start)) {
      const line = lines.subarray(start, end + 1);
      if (line[0] !== COLON && !isValidUtf8(line)) textLines.markInvalid();
      textLines.feedText(textDecoder.decode(line));
    }
  };

  const feedWithoutCarriageReturn = (chunk: Uint8Array): void => {
    const lastLineFeed = chunk.lastIndexOf(LF);
    if (lastLineFeed === -1) {
      if (chunk.indexOf(CR) !== -1) return switchToGetLines(takeCarry(chunk));
      carry.push(chunk.slice());
      carryLength += chunk.length;
    } else {
      const lines = takeCarry(chunk.subarray(0, lastLineFeed + 1));
      // One decode per chunk: the strict decoder when invalid UTF-8 is reported, else the lenient one.
      const text = fatalDecoder === undefined ? textDecoder.decode(lines) : decodeStrictly(lines);
      if (text === undefined ? lines.indexOf(CR) !== -1 : text.includes('\r')) {
        return switchToGetLines(concatBytes(lines, chunk.subarray(lastLineFeed + 1)));
      }
      if (text === undefined) feedLinesFlaggingInvalid(lines);
      else textLines.feedText(text);
      const tail = chunk.subarray(lastLineFeed + 1);
      if (tail.indexOf(CR) !== -1) return switchToGetLines(tail);
      if (tail.length > 0) {
        carry.push(tail.slice());
        carryLength = tail.length;
      }
    }
    if (textLines.pendingSize + carryLength > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
  };

  return {
    feed(chunk) {
      if (atStreamStart) {
        // A BOM may itself arrive split across chunks; hold back its prefix.
        const head = startBytes ? concatBytes(startBytes, chunk) : chunk;
        if (head.length < BOM.length && BOM.subarray(0, head.length).every((byte, index) => head[index] === byte)) {
          startBytes = head;
          return;
        }
        atStreamStart = false;
        startBytes = undefined;
        chunk = head.length >= BOM.length && BOM.every((byte, index) => head[index] === byte) ? head.subarray(BOM.length) : head;
        if (chunk.length === 0) return;
      }
      if (!sawCarriageReturn) return feedWithoutCarriageReturn(chunk);
      splitLines(chunk);
      // getLines keeps an unterminated line in its own buffer; bound it too.
      const lastBreak = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
      partialLineBytes = lastBreak === -1 ? partialLineBytes + chunk.length : chunk.length - lastBreak - 1;
      if (pendingEventBytes + partialLineBytes > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
    },
  };
}

function ignore(): void {}

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

