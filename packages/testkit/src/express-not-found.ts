import type { IncomingMessage, ServerResponse } from 'node:http';
import { setStreamingBaseHeaders } from './streaming-responses.js';

/**
 * The page Express 5's final handler (finalhandler 2.x, `createHtmlDocument`) sends when no route
 * answered: `Cannot <METHOD> <path>` in a small HTML document.
 *
 * The fake only sends it for the exact stream paths with a method other than GET or HEAD (the
 * only requests that get past the streaming server's `authenticationMiddleware` without a
 * route), so the path is one of those fixed ASCII paths and the method an HTTP token:
 * finalhandler's `encodeUrl` and `escapeHtml` leave both unchanged, and are not reproduced.
 *
 * @example
 * expressNotFoundPage('POST', '/api/v1/streaming/user') // '<!DOCTYPE html>\n…<pre>Cannot POST /api/v1/streaming/user</pre>…'
 */
export function expressNotFoundPage(method: string, path: string): string {
  return (
    '<!DOCTYPE html>\n' +
    '<html lang="en">\n' +
    '<head>\n' +
    '<meta charset="utf-8">\n' +
    '<title>Error</title>\n' +
    '</head>\n' +
    '<body>\n' +
    `<pre>Cannot ${method} ${path}</pre>\n` +
    '</body>\n' +
    '</html>\n'
  );
}

/**
 * Answers 404 as Express's final handler does, after the headers the streaming server's
 * middleware already set (Express, request id, CORS): the security headers, `text/html` and an
 * explicit `Content-Length` (a HEAD never gets here: it matches GET routes). Like finalhandler it first reads the request
 * body to its end, so `onWritten` runs once the answer is written, or never if the client hangs
 * up before sending all of it.
 */
export function sendExpressNotFound(req: IncomingMessage, res: ServerResponse, path: string, onWritten: () => void): void {
  const method = req.method ?? 'GET';
  const write = (): void => {
    if (res.destroyed) return;
    const body = expressNotFoundPage(method, path);
    setStreamingBaseHeaders(res);
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
    res.statusCode = 404;
    res.end(body, 'utf8');
    onWritten();
  };
  if (req.complete) return write();
  req.once('end', write);
  req.resume();
}
