import { MastodonEventTooLargeError } from './errors.js';
import { loadChunk } from './http-errors.js';
import type { CrLineParser } from './sse-cr-lines.js';
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
  /** The CR path's module, given up front (tests) instead of imported when the first CR shows up. */
  crLines?: typeof import('./sse-cr-lines.js');
}

/** A chunk-safe SSE parser; `feed` accepts bytes split anywhere. */
export interface SseParser {
  /** Returns a promise only while the CR path's module loads: await it before feeding more. */
  feed(chunk: Uint8Array): void | Promise<void>;
}

const LF = 0x0a;
const COLON = 0x3a;
const CR = 0x0d;

/**
 * Splits SSE bytes into messages and comments: a text fast path while the
 * stream has shown no CR, fetch-event-source's `getLines` → `getMessages`
 * (sse-cr-lines.ts) from the first CR on. Removes a leading BOM and bounds the
 * size of a pending event by `maxEventBytes`.
 */
export function createSseParser(hooks: SseParserHooks, maxEventBytes: number, options: SseParserOptions = {}): SseParser {
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
  const decodeStrictly = (bytes: Uint8Array): string | undefined => {
    try {
      return fatalDecoder?.decode(bytes);
    } catch {
      return undefined;
    }
  };

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

  let crLines: CrLineParser | undefined;
  let crLinesLoading: Promise<void> | undefined;
  let crBacklog: Uint8Array[] = [];
  const startCrLines = (module: typeof import('./sse-cr-lines.js')): void => {
    crLines = module.createCrLineParser(hooks, maxEventBytes, fatalDecoder === undefined ? undefined : isValidUtf8);
    const backlog = crBacklog;
    crBacklog = [];
    for (const bytes of backlog) crLines.feed(bytes);
  };
  const feedCrLines = (bytes: Uint8Array): void | Promise<void> => {
    if (crLines !== undefined) return crLines.feed(bytes);
    crBacklog.push(bytes);
    if (options.crLines !== undefined) return startCrLines(options.crLines);
    // The caller awaits this before feeding more, so the backlog stays one chunk or two.
    crLinesLoading ??= loadChunk(() => import('./sse-cr-lines.js')).then(startCrLines);
    return crLinesLoading;
  };

  const switchToGetLines = (bytes: Uint8Array): void | Promise<void> => {
    sawCarriageReturn = true;
    // The text path only ever saw whole lines, so getLines takes over at a line
    // start; the lines of an event it had half assembled are replayed first.
    const replay = textLines.takePendingLines();
    if (replay !== '') crBacklog.push(new TextEncoder().encode(replay));
    return feedCrLines(bytes);
  };

  // Rare (reportInvalidUtf8 and a bad chunk): find the bad lines one by one.
  const feedLinesFlaggingInvalid = (lines: Uint8Array): void => {
    for (let start = 0, end = lines.indexOf(LF); end !== -1; start = end + 1, end = lines.indexOf(LF, start)) {
      const line = lines.subarray(start, end + 1);
      if (line[0] !== COLON && !isValidUtf8(line)) textLines.markInvalid();
      textLines.feedText(textDecoder.decode(line));
    }
  };

  const feedWithoutCarriageReturn = (chunk: Uint8Array): void | Promise<void> => {
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
      return feedCrLines(chunk);
    },
  };
}

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

