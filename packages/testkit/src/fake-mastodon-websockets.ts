import type { FakeWebSocket, WebSocketFilter } from './types.js';

/**
 * The WebSocket side of `FakeMastodon`: the open sockets, waiting for one, and the faults
 * that act on sockets rather than SSE streams. Part of every `FakeMastodon`.
 */
export interface FakeMastodonWebSockets {
  /**
   * WebSockets whose TCP socket is open (closing ones included: see `isOpen`), each with its
   * subscriptions; not part of `connections`.
   */
  readonly webSockets: ReadonlyArray<FakeWebSocket>;
  /** WebSocket upgrades answered with 101 so far. */
  readonly totalWebSockets: number;

  /**
   * Resolves with the first open WebSocket matching `predicate` (default 4 s timeout). Re-checked
   * after every client message, so it can wait for a subscription the client just sent. Without a
   * predicate, the first one with a live subscription that the test has not stalled
   * (`stallWebSockets`): publishing after it is as safe as after `waitForConnection` (pass
   * `() => true` for a socket that has subscribed to nothing yet, or a stalled one).
   * @example
   * const socket = await server.waitForWebSocket((s) => s.subscriptions.some((x) => x.stream === 'user'));
   */
  waitForWebSocket(predicate?: WebSocketFilter, options?: { timeoutMs?: number | undefined }): Promise<FakeWebSocket>;

  /**
   * Kills WebSockets as a token revocation or account action does on 4.5.7: a close frame
   * without status code (`88 00`, the client reports 1005); the TCP socket ends once the client
   * answers, or after `webSocketCloseTimeoutMs`.
   * @example
   * server.killWebSockets((s) => s.accountId === '1001');
   */
  killWebSockets(filter?: WebSocketFilter): void;
  /**
   * Destroys WebSocket TCP sockets without a close frame (a crash; the client sees 1006).
   * @example
   * server.dropWebSockets();
   */
  dropWebSockets(filter?: WebSocketFilter): void;
  /**
   * Stops all output to the WebSockets while their TCP sockets stay open: events, error frames,
   * pongs and pings are not sent, and the ping sweep neither pings nor terminates them (a
   * half-open server; the client's own timeout must notice). A close frame the server sends
   * meanwhile is held until resumed. With `keepPings`, pings, pongs and raw pushes still flow
   * and only event and error frames are lost, as during a Redis outage.
   * @example
   * server.stallWebSockets(); // silent but open
   * server.stallWebSockets((s) => s.accountId === '1001', { keepPings: true }); // alive but deaf
   */
  stallWebSockets(filter?: WebSocketFilter, options?: { keepPings?: boolean | undefined }): void;
  /**
   * Undoes {@link FakeMastodon.stallWebSockets}. Events published meanwhile stay lost.
   * @example
   * server.resumeWebSockets();
   */
  resumeWebSockets(filter?: WebSocketFilter): void;
  /**
   * Writes raw bytes to WebSockets, e.g. a fragmented or malformed frame for a client parser test.
   * @example
   * server.pushRawWebSocket(Buffer.from([0x01, 0x02, 0x7b, 0x7d, 0x80, 0x00])); // "{}" in two fragments
   */
  pushRawWebSocket(bytes: Uint8Array, filter?: WebSocketFilter): void;
  /**
   * Runs one keep-alive sweep now: sockets that have not answered the previous ping are
   * terminated, the others get an empty ping (`89 00`). With `webSocketPingIntervalMs: 0`
   * this is the only way pings happen, so tests control them exactly.
   * @example
   * server.sweepWebSockets(); // ping
   * server.sweepWebSockets(); // terminates whoever did not pong
   */
  sweepWebSockets(): void;
}
