import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendRestJson } from './rest-routes.js';

/** The path the Rails app answers for clients that look for the streaming server (protocol.md §4.1 step 3). */
export const RAILS_STREAMING_PATH = '/api/v1/streaming';

/**
 * `GET /api/v1/streaming` as the Rails app answers it when the request reaches Rails rather than
 * the streaming process: 404 `Record not found` when the configured streaming URL names the
 * host (and port, 80 when it gives none) the request came to, else a 301 to the request's own
 * URL with only host and port swapped for the streaming URL's.
 *
 * @example
 * answerRailsStreaming(req, res, 'wss://streaming.example'); // 301 Location: http://streaming.example/api/v1/streaming
 */
export function answerRailsStreaming(req: IncomingMessage, res: ServerResponse, streamingUrl: string, headers: Record<string, string>): void {
  const requested = new URL(req.url ?? RAILS_STREAMING_PATH, `http://${req.headers.host ?? '127.0.0.1'}`);
  let streaming: URL;
  try {
    streaming = new URL(streamingUrl);
  } catch {
    return sendRestJson(res, 404, { error: 'Record not found' }, headers);
  }
  const requestPort = requested.port === '' ? '80' : requested.port;
  // URL drops a scheme's default port, so `wss://host:443` reads as no port, as Rails would read `wss://host`.
  const streamingPort = streaming.port === '' ? '80' : streaming.port;
  if (requested.hostname === streaming.hostname && requestPort === streamingPort) {
    return sendRestJson(res, 404, { error: 'Record not found' }, headers);
  }
  requested.hostname = streaming.hostname;
  requested.port = streaming.port;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Location', requested.toString());
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', '0');
  res.writeHead(301);
  res.end();
}
