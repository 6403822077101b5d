import { MastodonEventTooLargeError } from './errors.js';
import type { SseParserHooks } from './sse-parser.js';

/**
 * The fast path of the SSE parser for streams without CR (every Mastodon
 * server). Each chunk is decoded once, as it arrives, and split with
 * `String#indexOf`, which engines run as a vectorised scan; messages are
 * assembled per WHATWG. No bytes are copied: the unfinished last line is kept
 * as text and joined to the first line of the next chunk (only a character
 * split across chunks keeps its first bytes back).
 */
export interface TextLineParser {
  /**
   * Parses a chunk of bytes split anywhere. Returns false, having consumed
   * nothing, when the chunk holds a CR, or invalid UTF-8 when decoding
   * strictly: the stream then belongs to the CR path (sse-cr-lines.ts).
   */
  feed(chunk: Uint8Array): boolean;
  /** What is not dispatched yet, for the CR path to replay: the stream is the CR path's from then on (this parser is fed no more). */
  takePending(): PendingText;
}

/**
 * What the text path had not dispatched when it gave a stream up: the event
 * being assembled (its name, its data lines joined), the unfinished line and
 * the first bytes of a character cut off at the end of the last chunk, and
 * whether no character had come yet (the CR path then removes a BOM). The CR
 * path turns it back into bytes (sse-cr-lines.ts), so that code loads only
 * with it.
 */
export type PendingText = readonly [eventName: string, data: string | undefined, unfinishedLine: string, splitCharacter: Uint8Array, atStreamStart: boolean];

/** `reportInvalidUtf8` makes chunks with invalid UTF-8 go to the CR path, which reports them line by line. */
export const createTextLineParser = (hooks: SseParserHooks, maxEventBytes: number, reportInvalidUtf8?: boolean): TextLineParser => {
  const SPACE = 32; // (local and first: a minifier inlines it, where a module's constant stays a variable)
  // This path's own decoder: after a fatal error it is never used again (the stream has gone to the CR path), so
  // whatever state the error left in it cannot reach another decode.
  const decoder = new TextDecoder('utf-8', { fatal: !!reportInvalidUtf8, ignoreBOM: true });
  let data: string | undefined;
  let eventName = '';
  let pendingSize = 0;
  let partialLine = '';
  let splitCharacter = new Uint8Array();
  /** No character decoded yet: WHATWG removes one BOM there (a BOM split across chunks waits in `splitCharacter`, as any character). */
  let atStreamStart = true;

  const dispatch = (): void => {
    pendingSize = 0;
    if (data === undefined && eventName === '') return;
    const message = data ?? '';
    const name = eventName;
    data = undefined;
    eventName = '';
    hooks.onSseMessage(name, message);
  };

  const takeLine = (line: string): void => {
    if (line === '') return dispatch();
    pendingSize += line.length + 1;
    if (pendingSize > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
    const colon = line.indexOf(':');
    if (colon === 0) {
      hooks.onComment(line.slice(1));
      // A comment before any field (`:)` right before `event:`) is not part of the event.
      if (data === undefined && eventName === '') pendingSize = 0;
      return;
    }
    // Only `data` and `event` matter: Mastodon sends no `id` or `retry` and ignores Last-Event-ID.
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line.charCodeAt(colon + 1) === SPACE ? 2 : 1));
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') eventName = value;
  };

  return {
    feed(chunk) {
      let bytes = chunk;
      if (splitCharacter.length) {
        bytes = new Uint8Array(splitCharacter.length + chunk.length);
        bytes.set(splitCharacter);
        bytes.set(chunk, splitCharacter.length);
      }
      const complete = completeLength(bytes);
      let text: string;
      try {
        // A whole decode, not streaming mode: on Node 20 and 22 streaming (ICU's converter) decodes a chunk with
        // non-ASCII about twice as fast but an all-ASCII one 6 times slower; A/Bs of the whole pipeline read -5..-11 %
        // CPU per event on mixed text and +16..+19 % on ASCII (2026-12-01), and picking per chunk cost 33 bytes.
        text = decoder.decode(bytes.subarray(0, complete));
      } catch {
        return false;
      }
      if (text.includes('\r')) return false;
      splitCharacter = bytes.slice(complete);
      if (atStreamStart && text !== '') {
        atStreamStart = false;
        text = text.replace(/^\uFEFF/, '');
      }
      let start = 0;
      for (let end; (end = text.indexOf('\n', start)) >= 0; start = end + 1) {
        // The first line ends the unfinished one of the last chunk ('' from then on).
        takeLine(partialLine + text.slice(start, end));
        partialLine = '';
      }
      partialLine += text.slice(start);
      if (pendingSize + partialLine.length > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
      return true;
    },
    takePending: () => [eventName, data, partialLine, splitCharacter, atStreamStart],
  };
};

/**
 * How many leading bytes hold whole characters: a multi-byte character cut
 * off at the end waits for the next chunk. Cutting before any byte that is not
 * a continuation byte decodes exactly as one pass would (WHATWG UTF-8), so
 * only the last three bytes need a look.
 */
const completeLength = (bytes: Uint8Array): number => {
  const length = bytes.length;
  for (let index = length - 1; index >= length - 3; index--) {
    // (Below 0, in a chunk of fewer than three bytes, `byte` is undefined and neither test holds.)
    const byte = bytes[index] as number;
    if (byte < 0x80) return length;
    if (byte >= 0xc0) return length - index < (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2) ? index : length;
  }
  return length;
};
