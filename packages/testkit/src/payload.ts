import type { ScreeningVerdict } from './status-screening.js';
import type { StreamName } from './types.js';

/**
 * The events Mastodon 4.5's streaming server sends, which {@link FakeMastodon.publish} autocompletes
 * (any other name is published as given, as a client must take events it does not know). Written
 * out rather than imported from @tootstream/core, which the testkit does not depend on; a type test
 * holds it to core's `MastodonEventName`.
 */
export type StreamingEventName =
  | 'update'
  | 'delete'
  | 'notification'
  | 'conversation'
  | 'status.update'
  | 'filters_changed'
  | 'announcement'
  | 'announcement.reaction'
  | 'announcement.delete'
  | 'notifications_merged'
  | 'encrypted_message';

/** How payload-less `filters_changed` is treated; see {@link FakeMastodonOptions.filtersChanged}. */
export type FiltersChangedMode = 'drop' | 'undefined' | 'verbatim';

/** True for the streams whose statuses the streaming server re-renders and annotates. */
export function isFilteredStream(stream: StreamName): boolean {
  return stream.startsWith('public') || stream.startsWith('hashtag');
}

/** Turns a publish payload into wire text: objects become JSON, strings stay verbatim. */
export function payloadText(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** Returned by {@link wireData} when the 4.5.7 server would not deliver the event at all. */
export const NOT_DELIVERED = Symbol('not delivered');

/**
 * The payload text a subscriber on `stream` receives for `event`: a string, `undefined` for an
 * event forwarded without payload (pre-4.2 `filters_changed`: SSE `data: undefined`, WebSocket
 * frame without `payload` key), or {@link NOT_DELIVERED}.
 *
 * Why the rules: 4.2+ drops payload-less messages (so `filters_changed` from Rails never
 * arrives), and on public and hashtag streams `update`/`status.update` are parsed, annotated with
 * `"filtered":[…]` as the last key when absent, and re-serialised; unparsable ones are dropped.
 * `screen` applies the viewer's rules of §8 to a parsed status (drop, or the keyword results);
 * without it `filtered` is `[]`.
 *
 * @example
 * wireData('public', 'update', '{"id":"1"}', 'drop') // '{"id":"1","filtered":[]}'
 * wireData('user', 'filters_changed', undefined, 'drop') // NOT_DELIVERED
 */
export function wireData(
  stream: StreamName,
  event: string,
  text: string | undefined,
  filtersChanged: FiltersChangedMode,
  screen?: (status: Record<string, unknown>) => ScreeningVerdict,
): string | undefined | typeof NOT_DELIVERED {
  if (text === undefined) {
    if (event === 'notifications_merged') return '1';
    if (event !== 'filters_changed' || filtersChanged === 'drop') return NOT_DELIVERED;
    return filtersChanged === 'undefined' ? undefined : '';
  }
  if (!isFilteredStream(stream) || (event !== 'update' && event !== 'status.update')) return text;
  const parsed = parseJsonObject(text);
  if (parsed === undefined) return NOT_DELIVERED;
  if (Array.isArray(parsed)) return JSON.stringify(parsed);
  const status = parsed as Record<string, unknown>;
  const verdict = screen ? screen(status) : { deliver: true as const, filtered: [] };
  if (!verdict.deliver) return NOT_DELIVERED;
  if (!Object.hasOwn(status, 'filtered')) status['filtered'] = verdict.filtered;
  return JSON.stringify(status);
}

/**
 * The JSON object (or array) in `text`; undefined for text that is not JSON or
 * JSON that is not an object, which the streaming server drops or ignores.
 *
 * @example
 * parseJsonObject('{"id":"1"}') // { id: '1' }
 * parseJsonObject('7') // undefined
 */
export function parseJsonObject(text: string): object | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
