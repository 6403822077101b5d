import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Header order matters for byte-exact conformance. Express sets these three first; Node then
// appends Date, Connection and Keep-Alive itself, and Transfer-Encoding last unless it was set
// explicitly (the SSE response sets it, which is why it comes before Date there).

/** Sets the headers every streaming-server response starts with (Express + CORS + request id). */
export function setStreamingBaseHeaders(res: ServerResponse): void {
  res.setHeader('X-Powered-By', 'Express');
  res.setHeader('X-Request-Id', randomUUID());
  res.setHeader('Access-Control-Allow-Origin', '*');
}

/** Answers `{"error":message}` exactly like the 4.5.7 streaming server (chunked, no charset). */
export function sendStreamingError(res: ServerResponse, status: number, message: string): void {
  sendScripted(res, status, JSON.stringify({ error: message }), 'application/json', {});
}

/** Answers with an arbitrary body in the streaming server's header layout; `holdOpen` never finishes the response. */
export function sendScripted(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  extraHeaders: Record<string, string>,
  holdOpen = false,
): void {
  setStreamingBaseHeaders(res);
  res.setHeader('Content-Type', contentType);
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.writeHead(status);
  if (holdOpen) res.write(body);
  else res.end(body);
}

/** `GET|HEAD /api/v1/streaming/health`: `OK` as text/plain, or 503 while unhealthy. */
export function sendHealth(res: ServerResponse, healthy: boolean): void {
  setStreamingBaseHeaders(res);
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('Cache-Control', 'private, no-store');
  res.writeHead(healthy ? 200 : 503);
  res.end(healthy ? 'OK' : 'Service Unavailable');
}

/** `GET|HEAD /metrics`: Prometheus text format, no auth. */
export function sendMetrics(res: ServerResponse, text: string): void {
  setStreamingBaseHeaders(res);
  res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
  res.writeHead(200);
  res.end(text);
}

/** CORS preflight as answered by the `cors` middleware in front of the streaming server. */
export function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
  setStreamingBaseHeaders(res);
  res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
  res.setHeader('Vary', 'Access-Control-Request-Headers');
  const requested = req.headers['access-control-request-headers'];
  if (requested) res.setHeader('Access-Control-Allow-Headers', requested);
  res.setHeader('Content-Length', '0');
  res.writeHead(204);
  res.end();
}

/** Starts an SSE response: headers in the 4.5.7 order, then `:)\n` is up to the caller. */
export function startEventStream(res: ServerResponse): void {
  setStreamingBaseHeaders(res);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.writeHead(200);
}
