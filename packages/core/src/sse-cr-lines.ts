// The line splitter and message assembler are @microsoft/fetch-event-source's
// parse module (MIT, Copyright (c) Microsoft Corporation), bundled into our
// dist because the package has no ESM entry that Node can load.
import { getLines, getMessages, type EventSourceMessage } from '@microsoft/fetch-event-source/lib/esm/parse.js';
import { kit } from './up-front-kit.js';
import type { SseParserHooks } from './sse-parser.js';
import type { PendingText } from './sse-text-lines.js';

export { useKit } from './up-front-kit.js';

// A stream takes this path once it shows a CR (no Mastodon server sends one),
// so sse-parser.ts imports this module only then: getLines and getMessages
// handle CR and CRLF split anywhere.

/** Feeds bytes, split anywhere, to fetch-event-source's `getLines` → `getMessages`. */
export interface CrLineParser {
  feed(chunk: Uint8Array): void;
}

/**
 * Wraps `getLines` → `getMessages` with what it lacks for Mastodon: comment
 * lines are observed between the two stages (so heartbeats are seen and never
 * become empty events), a blank line with nothing pending dispatches nothing,
 * and the size of a pending event is bounded by `maxEventBytes`. It starts
 * with what the text path had not dispatched.
 */
// The default export: the up-front code reads it off the loaded namespace, where no build shortens a name (chunk-loader.ts).
export default function createCrLineParser(
  hooks: SseParserHooks,
  maxEventBytes: number,
  strictDecoder: TextDecoder | undefined,
  textPending: PendingText,
): CrLineParser {
  // With `strictDecoder` (a `fatal` TextDecoder: invalid UTF-8 is reported), each line is checked with it.
  const isValidUtf8 = (bytes: Uint8Array): boolean => {
    try {
      strictDecoder?.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  // WHATWG removes one BOM at the start of the stream only (done in `feed`, or by the text path); a default TextDecoder would drop one per line.
  const commentDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let pendingEventBytes = 0;
  let partialLineBytes = 0;
  let pendingInvalid = false;
  // getMessages joins data lines with `message.data ? … : value`, which drops
  // leading empty data lines (and a message of only empty ones); counted here
  // and put back so that this path gives what the WHATWG text path gives.
  let dataLines = 0;
  let leadingEmptyDataLines = 0;
  /** An `event:` line with a name is pending: with data lines, what makes a comment part of an event (as on the text path). */
  let namedEvent = false;

  const assemble = getMessages(ignore, ignore, (message: EventSourceMessage) => {
    const invalid = pendingInvalid;
    const sawData = dataLines > 0;
    const restoredNewlines = message.data === '' ? leadingEmptyDataLines - 1 : leadingEmptyDataLines;
    pendingInvalid = false;
    dataLines = 0;
    leadingEmptyDataLines = 0;
    namedEvent = false;
    if (!sawData && message.event === '') return;
    const data = restoredNewlines > 0 ? '\n'.repeat(restoredNewlines) + message.data : message.data;
    // Only this path reports invalid UTF-8 (the text path hands such a chunk over), so the issue is described here.
    if (invalid && hooks.onInvalidUtf8) hooks.onInvalidUtf8(message.event, data, { path: '', expected: 'UTF-8', received: 'invalid bytes', message: 'Malformed UTF-8' });
    else hooks.onSseMessage(message.event, data);
  });

  const countDataLine = (line: Uint8Array, fieldLength: number): void => {
    if (fieldLength !== 4 || line[0] !== 0x64 || line[1] !== 0x61 || line[2] !== 0x74 || line[3] !== 0x61) return; // "data"
    const isEmpty = line.length === 5 || (line.length === 6 && line[5] === SPACE);
    if (isEmpty && dataLines === leadingEmptyDataLines) leadingEmptyDataLines++;
    dataLines++;
  };

  const splitLines = getLines((line: Uint8Array, fieldLength: number) => {
    if (line.length === 0) {
      pendingEventBytes = 0;
    } else {
      pendingEventBytes += line.length + 1;
      if (pendingEventBytes > maxEventBytes) throw new kit.EventTooLargeError(maxEventBytes);
      if (fieldLength === 0) {
        hooks.onComment(commentDecoder.decode(line.subarray(1)));
        // A comment between events (`:thump` ends with one line break on 4.5 and older servers) belongs to none.
        if (dataLines === 0 && !namedEvent) pendingEventBytes = 0;
        return;
      }
      if (strictDecoder !== undefined && !isValidUtf8(line)) pendingInvalid = true;
      // getMessages decodes field and value with a default TextDecoder, which drops a BOM at the start of
      // each. A field name that starts with one is no field we read; a value that does gets a second BOM,
      // so that exactly the one the server sent is left.
      if (startsWithBom(line, 0)) return;
      const valueStart = fieldLength + (line[fieldLength + 1] === SPACE ? 2 : 1);
      if (fieldLength !== -1 && startsWithBom(line, valueStart)) line = joinBytes(joinBytes(line.subarray(0, valueStart), BOM), line.subarray(valueStart));
      // A line without a colon is a field with an empty value (WHATWG); getMessages would skip it.
      if (fieldLength === -1) {
        fieldLength = line.length;
        line = withColon(line);
      }
      countDataLine(line, fieldLength);
      // "event" with a name (the text path's test for a pending event, with its data).
      if (fieldLength === 5 && line[0] === 0x65 && line[1] === 0x76 && line[2] === 0x65 && line[3] === 0x6e && line[4] === 0x74) namedEvent = line.length > (line[6] === SPACE ? 7 : 6);
    }
    assemble(line, fieldLength);
  });

  // The stream's first bytes, held while they may be a BOM cut short (WHATWG removes one there), unless the text path
  // decoded a character before it handed the stream over (it removes the BOM itself); undefined once past them.
  let streamStart: Uint8Array | undefined = textPending[4] ? new Uint8Array() : undefined;
  const parser: CrLineParser = {
    feed(chunk) {
      if (streamStart !== undefined) {
        const head = joinBytes(streamStart, chunk);
        if (head.length < BOM.length && BOM.subarray(0, head.length).every((byte, index) => head[index] === byte)) {
          streamStart = head;
          return;
        }
        streamStart = undefined;
        chunk = startsWithBom(head, 0) ? head.subarray(BOM.length) : head;
      }
      splitLines(chunk);
      // getLines keeps an unterminated line in its own buffer; bound it too.
      const lastBreak = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
      partialLineBytes = lastBreak === -1 ? partialLineBytes + chunk.length : chunk.length - lastBreak - 1;
      if (pendingEventBytes + partialLineBytes > maxEventBytes) throw new kit.EventTooLargeError(maxEventBytes);
    },
  };
  const replay = replayBytes(textPending);
  if (replay.length > 0) parser.feed(replay);
  return parser;
}

/** The text path's undispatched state as bytes: the lines that matter, without the comments it already reported. */
function replayBytes([eventName, data, unfinishedLine, splitCharacter]: PendingText): Uint8Array {
  let lines = eventName === '' ? '' : `event: ${eventName}\n`;
  if (data !== undefined) lines += `data: ${data.replaceAll('\n', '\ndata: ')}\n`;
  return joinBytes(new TextEncoder().encode(lines + unfinishedLine), splitCharacter);
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;

// Its own copy: importing up-front code from this on-demand chunk makes the bundler
// split that code into a shared chunk that every stream then loads up front.
function joinBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const startsWithBom = (line: Uint8Array, at: number): boolean => line[at] === 0xef && line[at + 1] === 0xbb && line[at + 2] === 0xbf;

const withColon = (line: Uint8Array): Uint8Array => joinBytes(line, Uint8Array.of(COLON));

function ignore(): void {}
