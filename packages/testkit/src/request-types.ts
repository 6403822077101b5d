import type { IncomingHttpHeaders } from 'node:http';

/**
 * A request seen by the fake server, for assertions. Read-only: `requests` and `waitForRequest` hand
 * out the server's own records, so a test that changed one would change the history every later
 * wait and assertion reads (the fake fills in `status`, `body` and body `params` as the request goes on).
 */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Raw request target (path and query) as received. */
  readonly url: string;
  /** Query parameters, last value wins. */
  readonly query: Readonly<Record<string, string>>;
  /**
   * The parameters as a Rails controller reads them: the query's, with `name[]` as arrays and
   * `name[key]` as nested objects (`types[]=mention&types[]=follow` is `{ types: ['mention',
   * 'follow'] }`), and for a REST request with a body, the body's too (a form, JSON or
   * multipart), the query winning where both name a key. What a bot posted, however it encoded it.
   */
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<IncomingHttpHeaders>;
  /**
   * Status code answered; 101 for an accepted WebSocket. 0 until the status line is sent (a
   * `failNext` `delayMs` keeps it so), and for good if the client hung up before any answer.
   */
  readonly status: number;
  /**
   * The body as text, for REST requests that carry one (`POST /api/v1/statuses`, or any other
   * method but GET, HEAD and OPTIONS on a REST path); absent otherwise.
   */
  readonly body?: string;
}

/** The fake's own record of a request, which it completes as the request goes on (internal). */
export type RequestRecord = { -readonly [Key in keyof RecordedRequest]: RecordedRequest[Key] };

/** A scripted response for the next matching requests. */
export interface ScriptedFailure {
  status: number;
  /**
   * Object bodies are sent as JSON, strings as text/plain. Default `{"error":"<text>"}` with
   * the text of the server that would have answered: the streaming server's on a stream connect
   * (401 `Invalid access token`, 400 `Unknown channel requested`, 500 `An unexpected error
   * occurred`; a bad-token upgrade refusal for a WebSocket 401), Rails' on a REST path (401 `The
   * access token is invalid`, 404 `Record not found`, 429 `Too many requests`), else the HTTP
   * reason phrase.
   */
  body?: string | object | undefined;
  headers?: Record<string, string> | undefined;
  /** How many requests to answer this way; default 1. */
  times?: number | undefined;
  /**
   * Which requests: stream connects (default, unless `path` is given; SSE requests and WebSocket
   * upgrades alike), REST calls, or all but preflights (the default with `path`).
   */
  paths?: 'streaming' | 'rest' | 'all' | undefined;
  /**
   * Only requests to this path (without the query), as a route the fake does not serve needs:
   * a client's other REST calls (discovery, a catch-up page) would otherwise take the answer first.
   * @example
   * server.failNext({ status: 200, path: '/api/v1/accounts/verify_credentials', body: KNOWN_ACCOUNTS.alice });
   */
  path?: string | undefined;
  /** Only requests with this method (`'POST'`; any case). Default: any method. */
  method?: string | undefined;
  /**
   * Slow headers: the request is accepted and left without any answer for this long, then the
   * scripted response goes out (unless the client gave up). Default 0; `Infinity` never answers. Until then the request's
   * `status` is 0 and `waitForRequest` does not resolve with it; if the client gave up, it stays 0.
   * @example
   * server.failNext({ status: 503, delayMs: 10_000 }); // a client with a 1 s connect timeout gives up first
   */
  delayMs?: number | undefined;
  /**
   * A body that never finishes: sent chunked, then left open as a stalled proxy leaves it, until
   * the client gives up or the server closes. HTTP answers only. Default false.
   * @example
   * server.failNext({ status: 503, holdOpen: true }); // the client must stop waiting for the error body itself
   */
  holdOpen?: boolean | undefined;
}
