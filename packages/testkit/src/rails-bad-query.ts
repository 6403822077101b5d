import type { IncomingHttpHeaders } from 'node:http';
import { hasRailsBadlyEncodedPath } from './rails-bad-path.js';

// URI.decode_www_form_component raises ArgumentError "invalid %-encoding" where a '%' has no two hex digits after it.
const MALFORMED_ESCAPE = /%(?![0-9a-fA-F]{2})/;

/**
 * Why Mastodon 4.5 (Rails 8 on Rack 3, behind Puma, which lets a bare `%` through) refuses the
 * query string of a request target (the raw `req.url`) for its encoding, if it does; either way ActionDispatch answers 400 Bad Request
 * (`sendRailsBadPath`'s answer):
 * - `'malformed'`: a `%` without two hex digits after it (`%`, `%ZZ`, `%4`). Rack's QueryParser
 *   unescapes every key and value with URI.decode_www_form_component, whose ArgumentError it
 *   raises as InvalidParameterError, which ExceptionWrapper maps to 400. The query is first read
 *   in Rack::Attack, before any route: for a request without a Bearer token in its Authorization
 *   header at once (Doorkeeper looks for the `access_token` parameter while the first throttle
 *   asks who is calling), so nothing is counted; with one, once the throttles keyed by it have
 *   counted the request (a later throttle asks whether it pages), so a throttled request still
 *   gets its 429 first.
 * - `'not-utf8'`: well-formed escapes whose bytes in a value are not UTF-8 (`q=%E0%A4`). Rack
 *   keeps those bytes; ActionDispatch::Request#GET checks each value
 *   (Request::Utils.check_param_encoding) and raises ActionController::BadRequest "Invalid query
 *   parameters" when the controller first reads its parameters (ActionController::Instrumentation,
 *   before any before_action), so after the throttles and the router's own check of the path,
 *   and for an unknown route as well (Mastodon's `*unmatched_route` has a controller). Keys are
 *   not checked there, and what a key that is not UTF-8 does later is not modelled. Nor is the
 *   500 that 4.5 most likely gives such a value under a paging key or an `access_token` read
 *   without a Bearer header: Rack::Attack calls `present?` on those (rack_attack.rb:61), which raises.
 *
 * @example
 * railsBadQuery('/api/v1/timelines/home?max_id=%') // 'malformed'
 * railsBadQuery('/api/v1/timelines/public?q=caf%C3%A9') // undefined
 */
export function railsBadQuery(target: string): 'malformed' | 'not-utf8' | undefined {
  const rawQuery = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  if (!rawQuery.includes('%')) return undefined;
  if (MALFORMED_ESCAPE.test(rawQuery)) return 'malformed';
  const values = rawQuery.split('&').flatMap((pair) => {
    const equals = pair.indexOf('=');
    return equals === -1 ? [] : [pair.slice(equals + 1)];
  });
  // Past the check above every `%` starts two hex digits, which the router's unescaping reads as
  // URI.decode_www_form_component does (a `+` becomes a space, ASCII): the same bytes, so the same test.
  return values.some(hasRailsBadlyEncodedPath) ? 'not-utf8' : undefined;
}

/**
 * Whether Rack::Attack reads the query before it counts the request: Doorkeeper's
 * from_bearer_authorization finds no token (no `Authorization: Bearer …` with a token in it), so
 * from_access_token_param reads the parameters.
 *
 * @example
 * readsQueryBeforeThrottling({ authorization: 'Bearer abc' }) // false
 */
export function readsQueryBeforeThrottling(headers: IncomingHttpHeaders): boolean {
  const header = headers.authorization ?? '';
  return !/^Bearer /i.test(header) || header.replace(/^Bearer /i, '').trim() === '';
}
