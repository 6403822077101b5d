import type { IncomingHttpHeaders } from 'node:http';
// Kept in their own file (requests as recorded and scripted); re-exported so imports stay stable.
export type { RecordedRequest, ScriptedFailure } from './request-types.js';
import type { EventWriteLayout } from './event-writes.js';
import type { StreamingErrorTexts } from './streaming-rejections.js';
import type { TimelinesAccessOptions, ViewerOptions } from './viewer-types.js';

/** Configuration of one access token known to the fake server. */
export interface FakeToken {
  /** Id of the account that owns the token. */
  accountId: string;
  /** `username` or `username@domain`; derived from known accounts when omitted. */
  acct?: string | undefined;
  /** OAuth scopes; default `['read', 'write', 'follow', 'push']`. */
  scopes?: string[] | undefined;
  /** Revoked tokens are answered with 401 `Invalid access token`. */
  revoked?: boolean | undefined;
  /**
   * A client-credentials token: it belongs to an app, not a user, so every stream connect and
   * WebSocket upgrade gets 401 `Invalid access token`, and the REST endpoints that need a user
   * (home, list, notifications, conversations) 422 `This method requires an authenticated user`.
   * `accountId` is then only bookkeeping.
   * @example
   * createFakeMastodon({ tokens: { ...defaultTokens(), 'app-token': { accountId: '0', appOnly: true, scopes: ['read'] } } })
   */
  appOnly?: boolean | undefined;
}

/** WebSocket-style stream names, the labels Mastodon uses for its streams. */
export type StreamName =
  | 'user'
  | 'user:notification'
  | 'public'
  | 'public:media'
  | 'public:local'
  | 'public:local:media'
  | 'public:remote'
  | 'public:remote:media'
  | 'hashtag'
  | 'hashtag:local'
  | 'list'
  | 'direct';

/** Options of {@link createFakeMastodon}. Every field is optional. */
export interface FakeMastodonOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number | undefined;
  /** Per-connection heartbeat period, started at connect; default 15 000 ms; 0 or `Infinity` disables. */
  heartbeatIntervalMs?: number | undefined;
  /** `'single'` = `:thump\n` (Mastodon ≤ 4.5, default), `'double'` = `:thump\n\n` (4.6 line). */
  heartbeatStyle?: 'single' | 'double' | undefined;
  /**
   * How each SSE event is written: `'two'` (default, as 4.5.7) = `event:` and `data:` as two
   * chunks; `'one'` = one chunk; or a function returning the byte offset(s) where the event is
   * cut into separate chunks, to exercise client parsers at every boundary.
   * @example
   * createFakeMastodon({ eventWrites: ({ bytes }) => bytes.length - 1 }) // the final LF arrives alone
   */
  eventWrites?: EventWriteLayout | undefined;
  /** Known tokens; default: the fixture identities (alice, bob, write-only, revoked). */
  tokens?: Record<string, FakeToken> | undefined;
  /** List id → owner account id; default `{ '42': '1001', '43': '1002' }`. */
  lists?: Record<string, string> | undefined;
  /** Path prefix the streaming API is mounted under, e.g. `'/stream'`; default `''`. */
  streamingPath?: string | undefined;
  /**
   * Payload-less `filters_changed`: `'drop'` (4.5.7, default), `'undefined'` (pre-4.2:
   * `data: undefined`) or `'verbatim'` (empty `data:` line). Payloads given are always forwarded.
   */
  filtersChanged?: 'drop' | 'undefined' | 'verbatim' | undefined;
  /**
   * Wording of the streaming error answers (SSE error bodies and WebSocket error frames): `'current'` (default) = 4.5.7
   * as captured; `'pre-4.2'` = the 4.0/4.1 server, for testing that clients classify by status,
   * not text. SSE: `Error: Missing access token`, `Error: Invalid access token`, `Error: Access
   * token does not cover required scopes` (401), 404 `Not found` for an unknown stream, a missing
   * tag or list and another account's list, the same 500. WebSocket: a refused upgrade is the
   * `ws` library's bare `401 Unauthorized` (body `Unauthorized`, no `X-Error-Message`); error
   * frames have no `status`: `Error: Access token does not cover required scopes`, `Unknown stream
   * type`, `No tag for stream provided`, `Not authorized to stream this list` (missing list too),
   * for unsubscribe as well. The checks and their order stay 4.5.7's (a token is always needed).
   * @example
   * createFakeMastodon({ streamingErrorTexts: 'pre-4.2' }) // a foreign list → 404 {"error":"Not found"}
   */
  streamingErrorTexts?: StreamingErrorTexts | undefined;
  /** Delay between `:)` and the moment events are delivered, to reproduce the subscribe race. */
  subscribeDelayMs?: number | undefined;
  /**
   * `false` models a server before 4.0, which has no `/api/v2/instance` route: it gets Rails'
   * unknown-route 404 (`{"error":"Not Found"}` for a JSON Accept, the HTML error page
   * otherwise), so discovery falls back to v1. Default `true`.
   * @example
   * createFakeMastodon({ instanceV2: false }) // GET /api/v2/instance → 404 {"error":"Not Found"}
   */
  instanceV2?: boolean | undefined;
  /** Streaming URL advertised by the instance endpoints; default `ws://127.0.0.1:PORT{streamingPath}`. */
  advertisedStreamingUrl?: string | undefined;
  /**
   * Period of the one global WebSocket ping sweep; default 30 000 ms (as 4.5.7); 0 turns the
   * timer off, as does `Infinity` (drive sweeps with {@link FakeMastodon.sweepWebSockets}). Each sweep terminates
   * sockets that have not answered the previous ping, then pings the rest.
   * @example
   * createFakeMastodon({ webSocketPingIntervalMs: 50 })
   */
  webSocketPingIntervalMs?: number | undefined;
  /**
   * Which upgrade requests become WebSockets: `'streaming'` (default) = paths starting with
   * `{streamingPath}/api/v1/streaming`, as production proxies route them; `'any'` = every path,
   * as the bare 4.5.7 streaming process does. Other upgrades are answered like plain requests.
   * @example
   * createFakeMastodon({ webSocketPaths: 'any' })
   */
  webSocketPaths?: 'streaming' | 'any' | undefined;
  /**
   * Largest client message (all fragments together) before the socket is closed with 1009;
   * default 100 MiB, the `ws` library's default that Mastodon keeps.
   * @example
   * createFakeMastodon({ webSocketMaxPayloadBytes: 4096 })
   */
  webSocketMaxPayloadBytes?: number | undefined;
  /**
   * How long a close frame from the server waits for the client's close frame before the TCP
   * socket is destroyed; default 30 000 ms, as captured.
   * @example
   * createFakeMastodon({ webSocketCloseTimeoutMs: 200 })
   */
  webSocketCloseTimeoutMs?: number | undefined;
  /**
   * Delay between an accepted WebSocket subscribe (message or URL `stream`) and the moment its
   * events flow, to reproduce the start-of-subscription race: what is published meanwhile is missed, and no ack says when it ends. The
   * subscription shows in `FakeWebSocket.subscriptions` only once live, so `waitForWebSocket`
   * on it stays race-free. Default 0; error frames are never delayed.
   * @example
   * createFakeMastodon({ webSocketSubscribeDelayMs: 200 })
   */
  webSocketSubscribeDelayMs?: number | undefined;
  /**
   * Per-account languages, blocks, mutes, domain blocks, keyword filters and feed permission
   * (see Filtering in the README), keyed by account id; change them later with {@link FakeMastodon.viewer}.
   * Default: none, so nothing is dropped and `filtered` is `[]`.
   * @example
   * createFakeMastodon({ viewers: { '1001': { languages: ['en'], mutes: ['1002'] } } })
   */
  viewers?: Readonly<Record<string, ViewerOptions>> | undefined;
  /**
   * Feed access (4.5+): `disabled` origins are dropped from public/hashtag streams and shown in
   * `/api/v2/instance`. Default: every feed `'public'`.
   * @example
   * createFakeMastodon({ timelinesAccess: { liveFeeds: { local: 'disabled' } } })
   */
  timelinesAccess?: TimelinesAccessOptions | undefined;
  /**
   * Reorder mode: `update`/`status.update` on public* and hashtag* go out this
   * many ms late, as after 4.5.7's database round trip, so a `delete` published right after
   * overtakes them. Default 0 = publish order.
   * @example
   * createFakeMastodon({ reorderUpdatesMs: 20 })
   */
  reorderUpdatesMs?: number | undefined;
  /**
   * Account ids whose user login is disabled: their tokens get 401 `Invalid access token` on
   * every stream connect and WebSocket upgrade (4.5+), and 403 `Your login is currently disabled`
   * from the REST endpoints that need a user (home, list, notifications, conversations). Change later with
   * {@link FakeMastodon.disableUser} / {@link FakeMastodon.reinstateAccount}.
   * @example
   * createFakeMastodon({ disabledUsers: ['1002'] }) // bob's tokens no longer stream
   */
  disabledUsers?: readonly string[] | undefined;
  /**
   * Account ids that are suspended: treated like {@link FakeMastodonOptions.disabledUsers} by the
   * streaming server; on REST every endpoint except the instance ones refuses their tokens with
   * 403 `Your login is currently disabled`.
   * @example
   * createFakeMastodon({ suspendedAccounts: ['1001'] })
   */
  suspendedAccounts?: readonly string[] | undefined;
}

/** One open SSE stream as seen by the fake server. */
export interface FakeConnection {
  /** Sequential id, unique per server. */
  readonly id: number;
  /** WebSocket-style stream name, e.g. `'public:local:media'`. */
  readonly stream: StreamName;
  /** Tag for `hashtag*` streams, normalised as the streaming server keys the channel (`normalizeTag`). */
  readonly tag?: string;
  /** List id for `list` streams. */
  readonly list?: string;
  /** The token the stream authenticated with. */
  readonly token: string;
  /** Owner of the token. */
  readonly accountId: string;
  /** Scopes of the token at connect time. */
  readonly scopes: readonly string[];
  /** Request headers as received. */
  readonly headers: IncomingHttpHeaders;
  /** Request target (path and query) as received. */
  readonly url: string;
  /** Resolves once the connection is closed for any reason. */
  readonly closed: Promise<void>;
  /** True once the socket has closed (the server saw it; a moment after a close from either side). */
  readonly isClosed: boolean;
  /**
   * True from the moment this fake ended or dropped the connection (`endStreams`, `dropConnections`, `revokeToken`,
   * an account action, `restart`), before its socket has closed: `waitForConnection` passes over such a connection.
   */
  readonly isEnding: boolean;
  /** True once events are delivered (right after `:)` unless `subscribeDelayMs` is set). */
  readonly isSubscribed: boolean;
  /** True while {@link FakeMastodon.stall} holds the connection. */
  readonly isStalled: boolean;
}

/** One subscription of a {@link FakeWebSocket}. */
export interface FakeWebSocketSubscription {
  readonly stream: StreamName;
  /** Tag for `hashtag*`, normalised as the streaming server keys the channel (`normalizeTag`). */
  readonly tag?: string;
  /** List id (as text) for `list`. */
  readonly list?: string;
  /** The `stream` array its event frames carry: tag or list exactly as the client sent them. */
  readonly label: ReadonlyArray<string | number>;
}

/** One open WebSocket at `/api/v1/streaming` as seen by the fake server. */
export interface FakeWebSocket {
  /** Sequential id, unique per server (shared with SSE connections). */
  readonly id: number;
  /** The token the upgrade authenticated with. */
  readonly token: string;
  readonly accountId: string;
  /** Scopes of the token; checked per subscription, not at the upgrade. */
  readonly scopes: readonly string[];
  /** Upgrade request headers as received. */
  readonly headers: IncomingHttpHeaders;
  /** Upgrade request target (path and query) as received. */
  readonly url: string;
  /** Sub-protocol echoed in the 101 response, if the client offered one. */
  readonly protocol: string | undefined;
  /**
   * Current subscriptions, in the order they were made: frozen plain objects with only the
   * fields of {@link FakeWebSocketSubscription}; the array itself follows later changes.
   */
  readonly subscriptions: ReadonlyArray<FakeWebSocketSubscription>;
  /** Every text message the client sent, in order (including ignored ones). */
  readonly messages: ReadonlyArray<string>;
  /** Pong frames received so far. */
  readonly pongs: number;
  /** False between a ping sweep and the client's pong; the next sweep then terminates it. */
  readonly isAlive: boolean;
  /** True until the server sends or receives a close frame. */
  readonly isOpen: boolean;
  readonly isClosed: boolean;
  /** Resolves once the TCP socket is closed for any reason. */
  readonly closed: Promise<void>;
  /** True while {@link FakeMastodon.stallWebSockets} holds the socket. */
  readonly isStalled: boolean;
}

/** Predicate used by the WebSocket fault-injection methods. */
export type WebSocketFilter = (socket: FakeWebSocket) => boolean;

/** Where {@link FakeMastodon.publish} delivers: exactly one channel. */
export interface PublishTarget {
  stream: StreamName;
  /**
   * Tag for `hashtag*`, normalised as Rails names the channel it publishes to, which is not
   * always the channel a stream of that tag listens to (combining marks: see the README);
   * omitted = every tag.
   */
  tag?: string | undefined;
  /** List id for `list`; omitted = every list. */
  list?: string | undefined;
  /** Only connections of this account; omitted = every account. */
  accountId?: string | undefined;
}

/** Predicate used by the fault-injection methods to pick connections. */
export type ConnectionFilter = (connection: FakeConnection) => boolean;
