// The line splitter and message assembler are @microsoft/fetch-event-source's
// parse module (MIT, Copyright (c) Microsoft Corporation), bundled into our
// dist because the package has no ESM entry that Node can load.
import { getLines, getMessages, type EventSourceMessage } from '@microsoft/fetch-event-source/lib/esm/parse.js';
import { MastodonEventTooLargeError } from './errors.js';

/** What the parser reports. */
export interface SseParserHooks {
  /** A complete message: its `event:` name (may be empty) and its `data:` text. */
  onMessage(eventName: string, data: string): void;
  /** A comment line such as `:)` or `:thump`, without the colon. */
  onComment(text: string): void;
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
export function createSseParser(hooks: SseParserHooks, maxEventBytes: number): SseParser {
  const commentDecoder = new TextDecoder();
  let pendingEventBytes = 0;
  let partialLineBytes = 0;
  let atStreamStart = true;
  let startBytes: Uint8Array | undefined;

  const assemble = getMessages(ignore, ignore, (message: EventSourceMessage) => {
    if (message.data === '' && message.event === '') return;
    hooks.onMessage(message.event, message.data);
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
    }
    assemble(line, fieldLength);
  };
  const splitLines = getLines(onLine);
  // getLines inspects every byte in a JavaScript loop, which for Mastodon's
  // multi-kilobyte JSON lines costs more than JSON.parse itself (see `pnpm
  // bench`). While a stream has shown no CR (no Mastodon server sends one),
  // lines are found with the native indexOf instead; the first CR hands the
  // stream to getLines for good, which handles CR and CRLF split across chunks.
  let sawCarriageReturn = false;
  let carry: Uint8Array | undefined;

  const splitOnLineFeeds = (chunk: Uint8Array): void => {
    let start = 0;
    if (carry !== undefined) {
      const end = chunk.indexOf(LF);
      if (end === -1) {
        carry = concatBytes(carry, chunk);
        return;
      }
      const line = concatBytes(carry, chunk.subarray(0, end));
      carry = undefined;
      onLine(line, line.indexOf(COLON));
      start = end + 1;
    }
    for (let end = chunk.indexOf(LF, start); end !== -1; end = chunk.indexOf(LF, start)) {
      const line = chunk.subarray(start, end);
      onLine(line, line.indexOf(COLON));
      start = end + 1;
    }
    if (start < chunk.length) carry = chunk.slice(start);
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
      if (!sawCarriageReturn && chunk.indexOf(CR) !== -1) {
        sawCarriageReturn = true;
        if (carry !== undefined) splitLines(carry);
        carry = undefined;
      }
      if (sawCarriageReturn) splitLines(chunk);
      else splitOnLineFeeds(chunk);
      // Both splitters keep an unterminated line buffered; bound it too.
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

