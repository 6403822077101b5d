import type { MastodonEvent, UnknownEvent } from '@tootstream/core';
import { MastodonMalformedEventError } from './errors.js';
import { findHandler, handlerNameFor } from './handler-name.js';
import type { ForStream, StreamListener } from './stream-listener.js';

/**
 * Core names an event that had data but no `event:` line `message` (the
 * WHATWG default type); Mastodon never sends an event of that name, so for
 * Mastodon.py parity it is reported as the missing `event` field.
 */
const NAME_OF_NAMELESS_EVENT = 'message';

/**
 * Delivers one event to a listener (listener-port.md §6): `onAnyEvent` then
 * the specific handler for events it has a handler for, `onUnknownEvent` for
 * the rest. Awaits every handler. Returns the malformed-event error instead
 * of dispatching when the event cannot be delivered; errors thrown by
 * handlers propagate unchanged.
 *
 * @example
 * ```ts
 * const problem = await dispatchEvent(listener, event, event.stream);
 * if (problem) listener.onError(problem);
 * ```
 */
export function dispatchEvent(
  listener: StreamListener,
  event: MastodonEvent,
  forStream: ForStream | undefined,
): MastodonMalformedEventError | undefined | Promise<MastodonMalformedEventError | undefined> {
  if (event.event === 'unknown') return dispatchUnknown(listener, event, forStream);
  const { event: name, payload } = event;
  // These two carry nothing for their handler (whatever the data line of filters_changed held: `undefined`, empty, absent, anything).
  const bare = name === 'filters_changed' || name === 'notifications_merged';
  const handler = findHandler(listener, handlerNameFor(name));
  // onUnknownEvent gets what the data line held: parsed JSON if it parses, else the raw text.
  if (handler === undefined) return settled(listener.onUnknownEvent(name, bare ? parseOrRaw(payload as string | undefined) : payload, forStream));
  const args = bare ? [] : [payload, forStream];
  // Synchronous handlers are called synchronously: an await per event is most of the listener's cost.
  const before: unknown = listener.onAnyEvent(name, bare ? undefined : payload, forStream);
  if (isPromiseLike(before)) return Promise.resolve(before).then(() => settled(handler.apply(listener, args)));
  return settled(handler.apply(listener, args));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** `undefined` at once for a plain return value; a promise of `undefined` for a pending one. */
function settled(result: unknown): undefined | Promise<undefined> {
  return isPromiseLike(result) ? Promise.resolve(result).then(() => undefined) : undefined;
}

async function dispatchUnknown(listener: StreamListener, event: UnknownEvent, forStream: ForStream | undefined): Promise<MastodonMalformedEventError | undefined> {
  const { name, data } = event;
  if (name === NAME_OF_NAMELESS_EVENT) return new MastodonMalformedEventError('Missing field', ['event', { data }]);
  const handler = findHandler(listener, handlerNameFor(name));
  if (handler === undefined) {
    // Unknown events are never fatal (fork extensions, newer servers): undecodable data is passed on raw.
    await listener.onUnknownEvent(name, parseOrRaw(data), forStream);
    return undefined;
  }
  // The listener has a handler, so this is an event it expects: hold it to Mastodon.py's rules.
  if (data === '') return new MastodonMalformedEventError('Missing field', ['data', { event: name }]);
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (cause) {
    return new MastodonMalformedEventError('Bad JSON', [data], { cause });
  }
  await listener.onAnyEvent(name, payload, forStream);
  await handler.call(listener, payload, forStream);
  return undefined;
}

/** `undefined` stays `undefined` (JSON.parse throws on it). */
function parseOrRaw(data: string | undefined): unknown {
  try {
    return JSON.parse(data as string);
  } catch {
    return data;
  }
}
