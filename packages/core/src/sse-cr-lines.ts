// The line splitter and message assembler are @microsoft/fetch-event-source's
// parse module (MIT, Copyright (c) Microsoft Corporation), bundled into our
// dist because the package has no ESM entry that Node can load.
import { getLines, getMessages, type EventSourceMessage } from '@microsoft/fetch-event-source/lib/esm/parse.js';
import { MastodonEventTooLargeError } from './errors.js';
import type { SseParserHooks } from './sse-parser.js';

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
 * and the size of a pending event is bounded by `maxEventBytes`.
 */
export function createCrLineParser(hooks: SseParserHooks, maxEventBytes: number, isValidUtf8?: (bytes: Uint8Array) => boolean): CrLineParser {
  const commentDecoder = new TextDecoder();
  let pendingEventBytes = 0;
  let partialLineBytes = 0;
  let pendingInvalid = false;

  const assemble = getMessages(ignore, ignore, (message: EventSourceMessage) => {
    const invalid = pendingInvalid;
    pendingInvalid = false;
    if (message.data === '' && message.event === '') return;
    if (invalid && hooks.onInvalidUtf8) hooks.onInvalidUtf8(message.event, message.data);
    else hooks.onMessage(message.event, message.data);
  });

  const splitLines = getLines((line: Uint8Array, fieldLength: number) => {
    if (line.length === 0) {
      pendingEventBytes = 0;
    } else {
      pendingEventBytes += line.length + 1;
      if (pendingEventBytes > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
      if (fieldLength === 0) {
        hooks.onComment(commentDecoder.decode(line.subarray(1)));
        return;
      }
      if (isValidUtf8 !== undefined && !isValidUtf8(line)) pendingInvalid = true;
    }
    assemble(line, fieldLength);
  });

  return {
    feed(chunk) {
      splitLines(chunk);
      // getLines keeps an unterminated line in its own buffer; bound it too.
      const lastBreak = Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR));
      partialLineBytes = lastBreak === -1 ? partialLineBytes + chunk.length : chunk.length - lastBreak - 1;
      if (pendingEventBytes + partialLineBytes > maxEventBytes) throw new MastodonEventTooLargeError(maxEventBytes);
    },
  };
}

const LF = 0x0a;
const CR = 0x0d;

function ignore(): void {}
