// Loaded on demand (in the rare-paths.ts chunk) by dispatchEvent: events core does not know by name. Like
// every on-demand module it imports nothing the entry loads (see
// README: "What loads up front"): dispatchEvent passes in the handler lookup and the rest.
import type { UnknownEvent } from '@tootstream/core';
import type { parseOrRaw } from './dispatch.js';
import type { MastodonMalformedEventError } from './errors.js';
import type { findHandler, handlerNameFor } from './handler-name.js';
import { missingDataError } from './missing-data.js';
import type { ForStream, StreamListener } from './stream-listener.js';

/** What dispatchEvent hands over: `findHandler`, `handlerNameFor`, the `StreamListener` class (whose own methods are the built-in handlers), the error class, and `parseOrRaw`. */
export type UnknownEventTools = readonly [
  find: typeof findHandler,
  handlerNameFor: typeof handlerNameFor,
  base: typeof StreamListener,
  malformed: typeof MastodonMalformedEventError,
  parse: typeof parseOrRaw,
];

/**
 * Core names an event that had data but no `event:` line `message` (the
 * WHATWG default type); Mastodon never sends an event of that name, so for
 * Mastodon.py parity it is reported as the missing `event` field.
 */
const NAME_OF_NAMELESS_EVENT = 'message';

/**
 * Delivers an event core does not know: to `on<PascalName>` if the listener
 * has such a handler that is not one of StreamListener's own (then held to
 * Mastodon.py's rules: data must be present and JSON), else to
 * `onUnknownEvent` with the parsed JSON or the raw text.
 */
export async function dispatchUnknown(
  listener: StreamListener,
  event: UnknownEvent,
  forStream: ForStream | undefined,
  [find, handlerNameFor, base, MastodonMalformedEventError, parseOrRaw]: UnknownEventTools,
  runSignal: AbortSignal,
): Promise<MastodonMalformedEventError | undefined> {
  // The run may have been closed while this chunk loaded: then no handler is called any more.
  if (runSignal.aborted) return undefined;
  const { name, data } = event;
  if (name === NAME_OF_NAMELESS_EVENT) return new MastodonMalformedEventError('Missing field', ['event', { data }]);
  const handlerName = handlerNameFor(name);
  // A name that maps onto a built-in handler (`Update`, `_delete`, `status_update` → onUpdate, onDelete, onStatusUpdate)
  // was never decoded or checked as that event: onDelete would get an object. StreamListener's own methods are
  // exactly those handlers (and the reserved ones), so they are the table; a subclass's onBlahblah is not on it.
  const handler = handlerName in base.prototype ? undefined : find(listener, handlerName);
  if (handler === undefined) {
    // Unknown events are never fatal (fork extensions, newer servers): undecodable data is passed on raw.
    await listener.onUnknownEvent(name, parseOrRaw(data), forStream);
    return undefined;
  }
  // The listener has a handler, so this is an event it expects: hold it to Mastodon.py's rules.
  if (data === '') return missingDataError(MastodonMalformedEventError, name);
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (cause) {
    return new MastodonMalformedEventError('Bad JSON', [data], { cause });
  }
  await listener.onAnyEvent(name, payload, forStream);
  if (!runSignal.aborted) await handler.call(listener, payload, forStream);
  return undefined;
}
