import type { ValidationIssue } from './errors.js';
import { loadKitUser } from './chunk-loader.js';
import type { CrLineParser } from './sse-cr-lines.js';
import { createTextLineParser, type PendingText } from './sse-text-lines.js';

/** What the parser reports. */
export interface SseParserHooks {
  /** A complete message: its `event:` name (may be empty) and its `data:` text. */
  onSseMessage(eventName: string, data: string): void;
  /** A comment line such as `:)` or `:thump`, without the colon. */
  onComment(text: string): void;
  /** With `reportInvalidUtf8`: a message with invalid UTF-8 (decoded with U+FFFD), instead of `onSseMessage`, and what is wrong with it. */
  onInvalidUtf8?(eventName: string, data: string, issue: ValidationIssue): void;
}

/** A chunk-safe SSE parser; `feed` accepts bytes split anywhere. */
export interface SseParser {
  /** Returns a promise only while the CR path's module loads: await it before feeding more. */
  feed(chunk: Uint8Array): void | Promise<void>;
}

/**
 * Splits SSE bytes into messages and comments: a text fast path while the
 * stream has shown no CR, fetch-event-source's `getLines` → `getMessages`
 * (sse-cr-lines.ts) from the first CR on. Both remove a leading BOM (the path
 * that sees the stream's first character) and bound the size of a pending
 * event by `maxEventBytes`.
 */
/** `reportInvalidUtf8` reports events with invalid UTF-8 to `onInvalidUtf8` instead of replacing bad bytes silently (WHATWG). */
export const createSseParser = (hooks: SseParserHooks, maxEventBytes: number, reportInvalidUtf8?: boolean): SseParser => {
  const fatalDecoder = reportInvalidUtf8 ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : undefined;

  // getLines inspects every byte in a JavaScript loop, and for Mastodon's
  // multi-kilobyte JSON lines that costs more than JSON.parse (see `pnpm
  // bench`). While a stream has shown no CR (no Mastodon server sends one),
  // each chunk is decoded once and split as text (sse-text-lines.ts); the
  // first CR hands the stream to getLines → getMessages for good, which handle
  // CR and CRLF split anywhere. Both paths are held to the same results by tests.
  const textLines = createTextLineParser(hooks, maxEventBytes, reportInvalidUtf8);
  // (Tests hold the CR path to the text path's results from the first byte with test/support/get-lines-parser.ts, which
  // wires sse-cr-lines.ts as this does: no test seam ships here.)
  /** What the text path had not dispatched when the stream left it (its event, its unfinished line), replayed first; set from then on. */
  let textPending: PendingText | undefined;

  let crLines: CrLineParser | undefined;
  // The caller awaits the module's load before feeding more (see SseParser.feed): no other chunk arrives meanwhile. Only
  // the parser's feed below starts the CR path, once textPending is set.
  const feedCrLines = (bytes: Uint8Array): void | Promise<void> =>
    crLines !== undefined
      ? crLines.feed(bytes)
      : loadKitUser(() => import('./sse-cr-lines.js')).then((module) => (crLines = module.default(hooks, maxEventBytes, fatalDecoder, textPending as PendingText)).feed(bytes));

  return {
    feed(chunk) {
      // The text path declines a chunk with a CR (or invalid UTF-8, when reported); getLines takes it from there, for good.
      if (textPending === undefined) {
        if (textLines.feed(chunk)) return;
        textPending = textLines.takePending();
      }
      return feedCrLines(chunk);
    },
  };
};
