import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { wantsJson } from './rails-unknown-route.js';

// Journey::Router::Utils::UriEncoder's ESCAPED: a '%' and any two letters or digits, hex or not.
const RAILS_ESCAPE = /%[a-zA-Z0-9]{2}/g;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether Rails' router would refuse the path's parameters for their encoding. Every Rails path is
 * routed with a parameter (a dynamic segment such as `:id`, or the `*unmatched_route` glob of
 * Mastodon's last route), which Journey unescapes byte by byte (UriEncoder#unescape_uri: each
 * `%XY` becomes the byte of `"XY".hex`) and Http::Parameters#path_parameters= then checks
 * (Request::Utils.check_param_encoding): bytes that are not UTF-8, as `%E0%A4` (a cut-off
 * character) or `%C0`, raise ActionController::BadRequest "Invalid path parameters: Invalid
 * encoding for parameter". An escape that is no hex, such as `%ZZ`, is not refused there: Ruby's
 * `"ZZ".hex` is 0, a NUL byte, which is valid UTF-8, and the route gets it ({@link railsPathParam}).
 *
 * @example
 * hasRailsBadlyEncodedPath('/api/v1/statuses/%E0%A4') // true
 * hasRailsBadlyEncodedPath('/api/v1/timelines/tag/caf%C3%A9') // false
 */
export function hasRailsBadlyEncodedPath(path: string): boolean {
  if (!path.includes('%')) return false;
  try {
    STRICT_UTF8.decode(unescapedBytes(path));
    return false;
  } catch {
    return true;
  }
}

/**
 * A path parameter as Rails' router hands it to the controller (UriEncoder#unescape_uri), for a
 * path {@link hasRailsBadlyEncodedPath} accepts: each `%` and two letters or digits becomes the
 * byte of their Ruby `hex`, so `%ZZ` is a NUL, and a `%` without two such characters after it
 * stays a `%`. Puma lets a bare `%` through (`uchar = (unreserved | escape | "%")` in its
 * http11_parser_common.rl, 7.x and 8.x), so the controller answers as for any other value: an
 * unknown status is 404 `Record not found`, where decodeURIComponent threw (a 500).
 *
 * @example
 * railsPathParam('caf%C3%A9') // 'café'
 * railsPathParam('%') // '%'
 */
export function railsPathParam(segment: string): string {
  return segment.includes('%') ? unescapedBytes(segment).toString('utf8') : segment;
}

/** The bytes UriEncoder#unescape_uri makes of `text`: its UTF-8, with each escape Journey matches as one byte. */
function unescapedBytes(text: string): Buffer {
  const bytes: Buffer[] = [];
  let last = 0;
  for (const match of text.matchAll(RAILS_ESCAPE)) {
    bytes.push(Buffer.from(text.slice(last, match.index), 'utf8'), Buffer.of(rubyHex(match[0].slice(1))));
    last = match.index + match[0].length;
  }
  bytes.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(bytes);
}

/** Ruby's String#hex on two characters: the value of the hex digits they start with, 0 for none. */
function rubyHex(pair: string): number {
  const digits = /^[0-9a-fA-F]*/.exec(pair)?.[0] ?? '';
  return digits === '' ? 0 : Number.parseInt(digits, 16);
}

/**
 * The answer to a path {@link hasRailsBadlyEncodedPath} refuses, and to a query string
 * `railsBadQuery` refuses (ExceptionWrapper maps both exceptions to 400 alike). The BadRequest is raised in the
 * router, before any controller (so before authentication, scopes and Api::BaseController's rate
 * limit headers), and Mastodon 4.5 sets no `exceptions_app`, so Rails' ShowExceptions hands it to
 * ActionDispatch::PublicExceptions: for a request whose format is JSON (the Accept header names
 * `application/json` first and does not look like a browser's) `{"status":400,"error":"Bad
 * Request"}`; otherwise public/400.html, which Mastodon does not have, so an empty `text/html`
 * 400 (ShowExceptions' pass_response).
 *
 * @example
 * if (hasRailsBadlyEncodedPath(path)) return sendRailsBadPath(req.headers, res), true;
 */
export function sendRailsBadPath(headers: IncomingHttpHeaders, res: ServerResponse): void {
  const body = wantsJson(headers) ? JSON.stringify({ status: 400, error: 'Bad Request' }) : '';
  res.setHeader('Content-Type', body === '' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('X-Request-Id', randomUUID());
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(400);
  res.end(body);
}
