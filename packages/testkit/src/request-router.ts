import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AccountStanding } from './account-standing.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { sendExpressNotFound } from './express-not-found.js';
import { matchesExpressRoute } from './express-path-match.js';
import { RAILS_STREAMING_PATH, answerRailsStreaming } from './rails-streaming-route.js';
import { RateLimitCounter } from './rest-rate-limit.js';
import { bodyParams, railsParams, readBody, type RailsParams } from './rails-params.js';
import { isRailsApiPath, sendUnknownRoute } from './rails-unknown-route.js';
import { handleRest, isRestPath, sendRailsScripted, type RestContext } from './rest-routes.js';
import type { RequestKind, ScriptedFailures } from './scripted-failures.js';
import { SseConnection, type WriterSettings } from './sse-connection.js';
import { sendHealth, sendMetrics, sendPreflight, sendScripted, sendStreamingError, setStreamingBaseHeaders, startEventStream } from './streaming-responses.js';
import { ViewerSession, type ScreeningContext } from './status-screening.js';
import type { ScriptedReplays } from './stream-replayer.js';
import { streamRejection, type StreamRejectionReason, type StreamingErrorTexts } from './streaming-rejections.js';
import { authenticateStream, isStreamPath, resolveStream } from './streaming-route.js';
import type { RequestRecord } from './request-types.js';
import type { WebSocketEndpoint } from './websocket-endpoint.js';

const HEALTH_PATH = '/api/v1/streaming/health';
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The methods an Express `app.get` / `router.get` route answers: GET, and HEAD through it. */
const GET_ROUTE_METHODS = new Set(['GET', 'HEAD']);
/** Served by the streaming process without auth (protocol.md §2 rule 1). */
const METRICS_PATH = '/metrics';
/** Answered 404 by the streaming process, so that a browser's request never reaches the stream checks. */
const FAVICON_PATH = '/favicon.ico';
/** What `route` returns when it has left the answer (and its recording) to a timer. */
const ANSWERED_LATER = Symbol('answered later');

/** What the router needs from the server it serves. */
export interface RouterContext {
  /** Mount point of the streaming API without trailing slash; `''` = the root. */
  streamingPrefix: string;
  webSocketPaths: 'streaming' | 'any';
  /** Wording of the SSE error answers (protocol.md §6). */
  streamingErrorTexts: StreamingErrorTexts;
  subscribeDelayMs: number;
  standing: AccountStanding;
  lists: Readonly<Record<string, string>>;
  registry: ConnectionRegistry;
  writer: WriterSettings;
  ws: WebSocketEndpoint;
  failures: ScriptedFailures;
  restContext: RestContext;
  isHealthy: () => boolean;
  screening: ScreeningContext;
  replays: ScriptedReplays;
  /** The Prometheus text of `GET /metrics`. */
  renderMetrics: () => string;
}

/**
 * Sends every request and upgrade to its handler (SSE stream, WebSocket, health, preflight,
 * REST, scripted failure or the catch-all error) and records it.
 *
 * @example
 * const router = new RequestRouter(context);
 * const server = createServer((req, res) => router.handle(req, res));
 * server.on('upgrade', (req, socket, head) => router.upgrade(req, socket, head));
 */
export class RequestRouter {
  readonly log: RequestRecord[] = [];
  /** Shared by every REST route; `rateLimitNext` scripts its 429s. */
  readonly rateLimits = new RateLimitCounter();

  constructor(private readonly context: RouterContext) {}

  private record(req: IncomingMessage, target: URL): RequestRecord {
    const query = Object.fromEntries(target.searchParams);
    const params = railsParams(target.searchParams);
    const record = { method: req.method ?? 'GET', path: target.pathname, url: req.url ?? '/', query, params, headers: req.headers, status: 0 };
    this.log.push(record);
    return record;
  }

  /**
   * Upgrades under `/api/v1/streaming` (or anywhere, with `webSocketPaths: 'any'`) become
   * WebSockets; any other upgrade request is answered as the same plain request would be.
   */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    // Node hands the socket over without an error listener; a client reset must not crash the tests.
    socket.on('error', () => undefined);
    const target = requestTarget(req.url);
    const relative = this.streamingRelative(target.pathname);
    if (this.context.webSocketPaths !== 'any' && !relative?.startsWith('/api/v1/streaming')) {
      const res = new ServerResponse(req);
      res.shouldKeepAlive = false;
      res.assignSocket(socket);
      res.on('finish', () => socket.end(() => socket.destroy()));
      return this.handle(req, res);
    }
    const record = this.record(req, target);
    const scripted = this.context.failures.take({ kind: 'streaming', method: req.method ?? 'GET', path: target.pathname }, { server: 'streaming', texts: this.context.streamingErrorTexts });
    if (!scripted) {
      record.status = this.context.ws.accept(req, socket, head);
      return this.context.registry.recheck();
    }
    // Until the answer is written the request is unanswered (status 0), and stays so if the
    // client hangs up first. The socket is read meanwhile so that its end is noticed.
    let abandoned = false;
    const abandon = (): void => void (abandoned = true);
    socket.once('end', abandon).once('close', abandon).resume();
    this.context.failures.answerAfterDelay(scripted, () => {
      socket.off('end', abandon).off('close', abandon);
      if (abandoned || socket.destroyed) return void socket.destroy();
      record.status = this.context.ws.answerScripted(socket, scripted);
      this.context.registry.recheck();
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    // Node stamps Date from its own clock, which a test's faked Date (the README's way to fix ids) does not move; a
    // client that reads the server's clock from Date (resume cursors, catch-up) must see the clock the ids come from.
    // Set as the headers go out, it is the last one set, where Node puts its own (the captures' byte order).
    const writeHead = res.writeHead;
    res.writeHead = ((...args: Parameters<typeof writeHead>) => {
      if (!res.hasHeader('Date')) res.setHeader('Date', new Date().toUTCString());
      return writeHead.apply(res, args);
    }) as typeof writeHead;
    const target = requestTarget(req.url);
    const record = this.record(req, target);
    if (!BODYLESS_METHODS.has(req.method ?? 'GET') && (isRestPath(target.pathname) || isRailsApiPath(target.pathname))) {
      // Rails has the whole body, parsed into params, before a controller runs; tests assert on
      // its text through `requests`.
      void readBody(req)
        .then(async (bytes) => {
          record.body = bytes.toString('utf8');
          const params = await bodyParams(req.headers['content-type'], bytes);
          // request_parameters.merge(query_parameters), as the controller reads them.
          record.params = { ...params, ...record.params };
          return params;
        })
        .then(
          (params) => this.answer(req, res, target, record, params),
          () => res.destroy(),
        );
      return;
    }
    this.answer(req, res, target, record);
  }

  private answer(req: IncomingMessage, res: ServerResponse, target: URL, record: RequestRecord, body?: RailsParams): void {
    let answeredLater = false;
    try {
      answeredLater = this.route(req, res, target, record, body) === ANSWERED_LATER;
    } catch {
      // A bug in a handler must not crash the test process; answer like the server's catch-all.
      if (!res.headersSent) this.refuseStream(res, 'internal');
      else res.destroy();
    } finally {
      if (!answeredLater) {
        record.status = res.statusCode;
        this.context.registry.recheck();
      }
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, target: URL, record: RequestRecord, body?: RailsParams): typeof ANSWERED_LATER | void {
    const path = target.pathname;
    const query = target.searchParams;
    if (req.method === 'OPTIONS') return sendPreflight(req, res);
    const streamingPath = this.streamingRelative(path);
    const isRails = isRestPath(path) || isRailsApiPath(path);
    const kind: RequestKind = streamingPath !== undefined && isStreamPath(streamingPath) ? 'streaming' : isRails ? 'rest' : 'other';
    // Outside the streaming mount, and for Rails' own paths within it, Rails would answer.
    const server = streamingPath !== undefined && !isRails ? 'streaming' : 'rails';
    const scripted = this.context.failures.take({ kind, method: req.method ?? 'GET', path }, { server, texts: this.context.streamingErrorTexts });
    if (scripted) {
      // Recorded as answered only once the status line is written (a `delayMs` keeps it
      // unanswered), and never if the client gave up during the delay.
      this.context.failures.answerAfterDelay(scripted, () => {
        if (res.destroyed || !res.socket || res.socket.destroyed) return;
        const send = scripted.server === 'rails' ? sendRailsScripted : sendScripted;
        send(res, scripted.status, scripted.body, scripted.contentType, scripted.headers, scripted.holdOpen);
        record.status = scripted.status;
        this.context.registry.recheck();
      });
      return ANSWERED_LATER;
    }
    // A replay writes the recorded bytes (status line included) straight to the socket; `res`
    // stays unused and the recorded status is only logged.
    const replayedStatus = this.context.replays.startIfQueued(kind, req.socket);
    if (replayedStatus !== undefined) return void (res.statusCode = replayedStatus || 200);
    // `app.get` routes: any letter case and one trailing slash match, as Express 5 routes by default.
    const isGetRoute = (route: string): boolean => GET_ROUTE_METHODS.has(req.method ?? 'GET') && streamingPath !== undefined && matchesExpressRoute(streamingPath, route);
    if (isGetRoute(HEALTH_PATH)) return sendHealth(res, this.context.isHealthy());
    if (isGetRoute(METRICS_PATH)) return sendMetrics(res, this.context.renderMetrics());
    if (kind === 'streaming') {
      if (GET_ROUTE_METHODS.has(req.method ?? 'GET')) return this.openStream(req, res, streamingPath ?? '', query);
      return this.refuseStreamMethod(req, res, streamingPath ?? '', query, record);
    }
    if (handleRest(req, res, path, query, this.context.restContext, this.rateLimits, body)) return;
    // `app.get('/favicon.ico')`: any other method goes on to the stream checks, which find no channel.
    if (GET_ROUTE_METHODS.has(req.method ?? 'GET') && matchesExpressRoute(path, FAVICON_PATH)) {
      // `res.status(404).end()` in the Express app, after the request-id and CORS middleware.
      // Ended without writeHead, so Node sends `Content-Length: 0` rather than an empty chunked body.
      setStreamingBaseHeaders(res);
      res.statusCode = 404;
      return void res.end();
    }
    // Without a prefix everything else reaches the streaming process; with one, Rails answers.
    if (streamingPath !== undefined || this.context.streamingPrefix === '') {
      return this.refuseStream(res, 'unknown-channel');
    }
    // Rails' `get '/streaming/(*any)'` in the v1 API namespace: the path and everything below it.
    const railsStreaming = path === RAILS_STREAMING_PATH || path.startsWith(`${RAILS_STREAMING_PATH}/`);
    if (railsStreaming && (req.method === 'GET' || req.method === 'HEAD')) {
      return answerRailsStreaming(req, res, this.context.restContext.instanceFacts().streamingUrl, {});
    }
    sendUnknownRoute(req.headers, res);
  }

  private refuseStream(res: ServerResponse, reason: StreamRejectionReason): void {
    const answer = streamRejection(reason, this.context.streamingErrorTexts);
    sendStreamingError(res, answer.status, answer.error);
  }

  /**
   * A stream path with a method other than GET or HEAD. 4.5.7 mounts `authenticationMiddleware`
   * with `api.use`, so it checks the channel, token and scopes for every method (refusals as for
   * a GET); a request that passes finds no route, since the stream route is
   * `api.get('/api/v1/streaming/*splat')`, and Express's final handler answers 404.
   */
  private refuseStreamMethod(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, record: RequestRecord): typeof ANSWERED_LATER | void {
    const authenticated = authenticateStream(path, query, req.headers, (token) => this.context.standing.usableToken(token));
    if ('error' in authenticated) return this.refuseStream(res, authenticated.reason);
    sendExpressNotFound(req, res, path, () => {
      record.status = res.statusCode;
      this.context.registry.recheck();
    });
    return ANSWERED_LATER;
  }

  /** The path relative to the streaming mount point, or undefined when outside it. */
  private streamingRelative(path: string): string | undefined {
    if (this.context.streamingPrefix === '') return path;
    if (path === this.context.streamingPrefix || path.startsWith(`${this.context.streamingPrefix}/`)) return path.slice(this.context.streamingPrefix.length) || '/';
    return undefined;
  }

  private openStream(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    const resolved = resolveStream(path, query, req.headers, (token) => this.context.standing.usableToken(token), this.context.lists);
    if ('error' in resolved) return this.refuseStream(res, resolved.reason);
    const session = new ViewerSession(resolved.accountId, this.context.screening);
    const id = this.context.registry.allocateId();
    const connection = new SseConnection(id, resolved, req.headers, req.url ?? path, res, this.context.writer, session);
    startEventStream(res);
    this.context.registry.add(connection);
    connection.open(this.context.subscribeDelayMs, () => this.context.registry.recheck());
  }
}

/**
 * The request target as a URL. A path is appended to the origin rather than resolved against it: `//api/v1/instance`
 * resolved is a protocol-relative URL (host `api`), and `//` alone threw out of the request handler and ended the
 * fake's process.
 */
function requestTarget(url = '/'): URL {
  try {
    return new URL(url.startsWith('/') ? `http://127.0.0.1${url}` : url, 'http://127.0.0.1');
  } catch {
    // An absolute-form target Node's parser let through but URL refuses: answered as the root would be.
    return new URL('http://127.0.0.1/');
  }
}
