import { MastodonEventTooLargeError } from './errors.js';
import type { SseParserHooks } from './sse-parser.js';

/**
 * The fast path of the SSE parser for text that contains no CR (every
 * Mastodon server): a whole decoded chunk is split with `String#indexOf`,
 * which engines run as a vectorised scan, and messages are assembled per
 * WHATWG without a per-line decoder call. `feedText` takes only complete
 * lines (text ending in LF).
 */
export interface TextLineParser {
  feedText(text: string): void;
  /** Characters of the event being assembled, for the `maxEventBytes` bound. */
  readonly pendingSize: number;
  /** Gives up the event being assembled as its original lines (to replay them elsewhere) and resets. */
  takePendingLines(): string;
  /** Flags the event being assembled as holding invalid UTF-8: it goes to `onInvalidUtf8`. */
  markInvalid(): void;
}

const COLON = 58;
const SPACE = 32;

export function createTextLineParser(hooks: SseParserHooks, maxEventBytes: number): TextLineParser {
  let data: string | undefined;
  let eventName = '';
  let pendingSize = 0;
  let pendingLines = '';
  let invalid = false;

  const dispatch = (): void => {
    pendingSize = 0;
    const wasInvalid = invalid;
    invalid = false;
    if (data === undefined && eventName === '') return;
    const message = data ?? '';
    const name = eventName;
    data = undefined;
    eventName = '';
    if (wasInvalid && hooks.onInvalidUtf8) hooks.onInvalidUtf8(name, message);
    else hooks.onMessage(name, message);
  };

  return {
    get pendingSize() {
      return pendingSize;
    },
    markInvalid() {
      invalid = true;
    },
    takePendingLines() {
      const lines = pendingLines;
      pendingLines = '';
      data = undefined;
      eventName = '';
      pendingSize = 0;
      invalid = false;
      return lines;
    },
    feedText(text) {
      let position = 0;
      let eventStart = 0;
      while (position < text.length) {
        const lineEnd = text.indexOf('\n', position);
        if (lineEnd === -1) throw new Error('feedText takes complete lines only');
        if (lineEnd === position) {
          dispatch();
          pendingLines = '';
          position = lineEnd + 1;
          eventStart = position;
          continue;
        }
        pendingSize += lineEnd - position + 1;
        if (pendingSize > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
        if (text.charCodeAt(position) === COLON) {
          hooks.onComment(text.slice(position + 1, lineEnd));
          position = lineEnd + 1;
          // A comment before any field (`:)` right before `event:`) is not part of the event to replay.
          if (data === undefined && eventName === '' && pendingLines === '') {
            eventStart = position;
            pendingSize = 0;
          }
          continue;
        }
        let colon = text.indexOf(':', position);
        if (colon === -1 || colon > lineEnd) colon = lineEnd;
        let valueStart = colon + 1;
        if (valueStart < lineEnd && text.charCodeAt(valueStart) === SPACE) valueStart++;
        const value = valueStart >= lineEnd ? '' : text.slice(valueStart, lineEnd);
        const fieldLength = colon - position;
        if (fieldLength === 4 && text.startsWith('data', position)) {
          data = data === undefined ? value : `${data}\n${value}`;
        } else if (fieldLength === 5 && text.startsWith('event', position)) {
          eventName = value;
        }
        // `id` and `retry` are parsed by neither path: Mastodon sends neither and ignores Last-Event-ID.
        position = lineEnd + 1;
      }
      // Kept so that a switch to the CR-capable path mid-event loses nothing.
      if (eventStart < text.length) pendingLines += text.slice(eventStart);
    },
  };
}
