import { MastodonMalformedEventError } from './errors.js';
import type { EventSourceKind, MastodonEvent } from './events.js';
import { loadChunk } from './chunk-loader.js';
import { essentialValidators, issuesOf, type PayloadValidator } from './essential-checks.js';

/** How thoroughly payloads are checked. */
export type ValidationMode = 'essentials' | 'full' | 'off';

/** Turns SSE messages (or REST objects) into typed events, or malformed-event errors. Never throws. */
export interface EventDecoder {
  decodeMessage(eventName: string, data: string, source: EventSourceKind): MastodonEvent | MastodonMalformedEventError;
  /** Validates an already-parsed payload of a JSON event (catch-up items from REST). */
  fromObject(eventName: 'update' | 'notification' | 'conversation', payload: unknown, source: EventSourceKind): MastodonEvent | MastodonMalformedEventError;
}

/**
 * Builds the decoder for one stream. Id payloads (`delete`, `announcement.delete`)
 * are never JSON-parsed, so ids beyond 2^53 stay exact; a quoted id, as an
 * early server sent, is unquoted. Validation keeps the object exactly as
 * `JSON.parse` produced it: the schemas only give a verdict.
 */
/** `encrypted_message` is JSON (protocol.md §7) with no schema: text that does not parse is malformed like any other JSON event's. */
const ANY_JSON: PayloadValidator = () => true;

const createEventDecoder = (stream: readonly string[], mode: ValidationMode, validators: Record<string, PayloadValidator>): EventDecoder => {
  // `data` is the raw text, or undefined for a REST item (its text is only built if it fails).
  const check = (eventName: string, validator: PayloadValidator, payload: unknown, data: string | undefined, source: EventSourceKind) => {
    if (mode !== 'off' && !validator(payload, '')) return new MastodonMalformedEventError(eventName, data ?? textOf(payload), issuesOf(validator, payload));
    return { event: eventName, payload, stream, source } as MastodonEvent;
  };
  const decode: EventDecoder['decodeMessage'] = (eventName, data, source) => {
    const validator = Object.hasOwn(validators, eventName) ? validators[eventName] : eventName === 'encrypted_message' ? ANY_JSON : undefined;
    if (validator !== undefined) {
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch (cause) {
        return new MastodonMalformedEventError(eventName, data, [], { cause });
      }
      return check(eventName, validator, payload, data, source);
    }
    switch (eventName) {
      case 'delete':
      case 'announcement.delete': {
        // The id itself; one in quotes (as an early server sent it) without them.
        const id = data.trim().replace(/^"([^]*)"$/, '$1');
        if (id === '') return new MastodonMalformedEventError(eventName, data, [{ path: '', expected: 'id', received: '""', message: 'empty id' }]);
        return { event: eventName, payload: id, stream, source };
      }
      case 'filters_changed':
        return { event: eventName, payload: data === '' || data === 'undefined' ? undefined : data, stream, source };
      case 'notifications_merged':
        return { event: eventName, payload: data, stream, source };
      default:
        return { event: 'unknown', name: eventName === '' ? 'message' : eventName, data, stream, source };
    }
  };
  return {
    decodeMessage: decode,
    fromObject: (eventName, payload, source) =>
      check(eventName, validators[eventName] as PayloadValidator, payload, undefined, source),
  };
};

/** {@link createEventDecoder} with the validators `mode` asks for, loading the deep schemas (a separate chunk) for `'full'`. */
export const loadEventDecoder = async (stream: readonly string[], mode: ValidationMode): Promise<EventDecoder> =>
  createEventDecoder(stream, mode, mode === 'full' ? (await loadChunk(() => import('./full-schemas.js'))).default : essentialValidators);

/** A REST item's text for its error; one nested deeper than the stack (JSON.parse takes it, JSON.stringify does not) has none. */
const textOf = (payload: unknown): string => {
  try {
    return JSON.stringify(payload) ?? '';
  } catch {
    return '';
  }
};
