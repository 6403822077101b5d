import type { MastodonEvent } from '@tootstream/core';
import { loadChunk } from './chunk-loader.js';
import { MastodonMalformedEventError, type MastodonNetworkError } from './errors.js';

/** What delivering an event can go wrong with: the event (malformed), or, offline, loading its dispatch. */
export type EventProblem = MastodonMalformedEventError | MastodonNetworkError;
import { findHandler, handlerNameFor } from './handler-name.js';
import { StreamListener, type ForStream } from './stream-listener.js';

/**
 * Delivers one event to a listener (listener-port.md §6): `onAnyEvent` then
 * the specific handler for events it has a handler for, `onUnknownEvent` for
 * the rest. Awaits every handler. Returns the malformed-event error instead
 * of dispatching when the event cannot be delivered; errors thrown by
 * handlers propagate unchanged.
 *
 * @example
 * ```ts
 * const problem = await dispatchEvent(listener, event, event.stream, run.signal);
 * if (problem) listener.onError(problem);
 * ```
 */
export const dispatchEvent = (
  listener: StreamListener,
  event: MastodonEvent,
  forStream: ForStream | undefined,
  runSignal: AbortSignal,
): EventProblem | undefined | Promise<EventProblem | undefined> => {
  // A stock Mastodon server sends no event core does not know (only forks and newer versions do), so that path is a chunk loaded on first use.
  if (event.event === 'unknown') {
    // A chunk that cannot load (offline) is a network error, reported like a malformed event: onError by default.
    return loadChunk(import('./rare-paths.js')).then(
      (module) => module.dispatchUnknown(listener, event, forStream, [findHandler, handlerNameFor, StreamListener, MastodonMalformedEventError, parseOrRaw], runSignal),
      (error: MastodonNetworkError) => error,
    );
  }
  const { event: name, payload } = event;
  // These two carry nothing for their handler (whatever the data line of filters_changed held: `undefined`, empty, absent, anything).
  const bare = name === 'filters_changed' || name === 'notifications_merged';
  const handler = findHandler(listener, handlerNameFor(name));
  // onUnknownEvent gets what the data line held: parsed JSON if it parses, else the raw text.
  if (handler === undefined) return settled(listener.onUnknownEvent(name, bare ? parseOrRaw(payload as string | undefined) : payload, forStream));
  const args = bare ? [] : [payload, forStream];
  // Synchronous handlers are called synchronously: an await per event is most of the listener's cost.
  const before = settled(listener.onAnyEvent(name, bare ? undefined : payload, forStream));
  const deliver = () => settled(handler.apply(listener, args));
  // A run closed while onAnyEvent was pending calls nothing more: close() has resolved, or is about to.
  return before ? before.then(() => (runSignal.aborted ? undefined : deliver())) : deliver();
};

/** `undefined` at once for a plain return value; a promise of `undefined` for a pending one (anything with a `then`). */
const settled = (result: unknown): undefined | Promise<undefined> =>
  typeof (result as PromiseLike<unknown> | null)?.then === 'function' ? Promise.resolve(result).then(() => undefined) : undefined;

/** `undefined` stays `undefined` (JSON.parse throws on it). */
export const parseOrRaw = (data: string | undefined): unknown => {
  try {
    return JSON.parse(data as string);
  } catch {
    return data;
  }
};
