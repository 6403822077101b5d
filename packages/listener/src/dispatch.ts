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

/** What a known event hands to its handler, to `onAnyEvent`, and to `onUnknownEvent` when the listener lacks the handler. */
interface Delivery {
  name: string;
  /** Arguments of the specific handler (none for the payload-less events). */
  args: unknown[];
  /** What `onAnyEvent` gets as its payload. */
  payload: unknown;
  /** What `onUnknownEvent` gets: parsed JSON if the data parses, else the raw text. */
  unknownPayload: unknown;
}

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
  const delivery = describeKnown(event, forStream);
  const handler = findHandler(listener, handlerNameFor(delivery.name));
  if (handler === undefined) return settled(listener.onUnknownEvent(delivery.name, delivery.unknownPayload, forStream));
  // Synchronous handlers are called synchronously: an await per event is most of the listener's cost.
  const before: unknown = listener.onAnyEvent(delivery.name, delivery.payload, forStream);
  if (isPromiseLike(before)) return Promise.resolve(before).then(() => settled(handler.apply(listener, delivery.args)));
  return settled(handler.apply(listener, delivery.args));
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

function describeKnown(event: Exclude<MastodonEvent, UnknownEvent>, forStream: ForStream | undefined): Delivery {
  switch (event.event) {
    case 'filters_changed':
      // Whatever the data line held (`undefined`, empty, absent, anything), the handler gets no payload.
      return { name: event.event, args: [], payload: undefined, unknownPayload: event.payload === undefined ? undefined : parseOrRaw(event.payload) };
    case 'notifications_merged':
      return { name: event.event, args: [], payload: undefined, unknownPayload: parseOrRaw(event.payload) };
    default:
      return { name: event.event, args: [event.payload, forStream], payload: event.payload, unknownPayload: event.payload };
  }
}

function parseOrRaw(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
