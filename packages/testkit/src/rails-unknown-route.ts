import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

// The line of Mastodon's errors/404 page that says what happened (en.yml `errors.404`).
const NOT_FOUND_PAGE =
  '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>The page you are looking for isn\'t here. - Mastodon</title>\n</head>\n' +
  '<body class="error">\n<div class="dialog"><div class="dialog__message"><h1>The page you are looking for isn\'t here.</h1></div></div>\n</body>\n</html>\n';

// Rails ignores an Accept header that looks like a browser's (`*/*` next to other types).
const BROWSER_LIKE_ACCEPT = /,\s*\*\/\*|\*\/\*\s*,/;

/**
 * The format Rails' `respond_to` picks for ApplicationController#respond_with_error, whose
 * `format.any` (HTML) comes before `format.json`: JSON only when the Accept header names
 * `application/json` before anything else (by `q`, then order) and does not look like a
 * browser's; no Accept, `*\/*` and every other type get the HTML page.
 *
 * @example
 * wantsJson({ accept: 'application/json' }) // true
 * wantsJson({ accept: 'text/html,application/json,*\/*' }) // false
 */
export function wantsJson(headers: IncomingHttpHeaders): boolean {
  const accept = headers.accept;
  if (accept === undefined || accept.trim() === '' || BROWSER_LIKE_ACCEPT.test(accept)) return false;
  const ranked = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = params.find((param) => param.startsWith('q='));
      return { type, index, quality: q === undefined ? 1 : Number.parseFloat(q.slice(2)) || 0 };
    })
    .filter((entry) => entry.type !== '' && entry.quality > 0)
    .sort((left, right) => right.quality - left.quality || left.index - right.index);
  return ranked[0]?.type === 'application/json';
}

/**
 * Answers a request that matched no Rails route, as Mastodon's last route
 * (`match '*unmatched_route', via: :all, to: 'application#raise_not_found'`) does: a 404 from
 * ApplicationController, not Api::BaseController, so `{"error":"Not Found"}` for a JSON Accept
 * and the HTML error page otherwise, whatever the method or token. Under `/api` no `X-RateLimit-*`
 * headers (ApplicationController does not set them).
 *
 * @example
 * sendUnknownRoute(req.headers, res) // POST /api/v1/statuses/1/bookmark on the fake
 */
export function sendUnknownRoute(headers: IncomingHttpHeaders, res: ServerResponse): void {
  const json = wantsJson(headers);
  const body = json ? JSON.stringify({ error: 'Not Found' }) : NOT_FOUND_PAGE;
  res.setHeader('Content-Type', json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Request-Id', randomUUID());
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(404);
  res.end(body);
}

/**
 * True for paths in Rails' `/api` namespace that are not the streaming API's (`/api/v1/streaming`
 * and below go to the streaming server, or to Rails' own streaming route).
 *
 * @example
 * isRailsApiPath('/api/v1/statuses/1/bookmark') // true
 * isRailsApiPath('/api/v1/streaming/user') // false
 */
export function isRailsApiPath(path: string): boolean {
  return /^\/api(\/|$)/.test(path) && !/^\/api\/v1\/streaming(\/|$)/.test(path);
}

/**
 * The path Rails routes: its router squeezes repeated slashes and drops trailing ones, so
 * `/api/v2/instance/` (which Mastodon.py requests) is `/api/v2/instance`.
 *
 * @example
 * railsRoutePath('/api/v1//instance/') // '/api/v1/instance'
 */
export function railsRoutePath(path: string): string {
  return path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}
