import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { AccountStanding } from './account-standing.js';
import type { ChannelSubscriber } from './channel-subscriber.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { runEvery, type CancelTimer } from './durations.js';
import type { ScriptedAnswer } from './scripted-failures.js';
import type { ScreeningContext } from './status-screening.js';
import type { StreamingErrorTexts } from './streaming-rejections.js';
import type { MetricsConnection } from './streaming-metrics.js';
import { streamingQueryValue } from './streaming-query.js';
import { extractUpgradeToken } from './streaming-route.js';
import type { FakeWebSocket, WebSocketFilter } from './types.js';
import { handshakeProblem, plainRejection, selectedProtocol, switchingProtocolsResponse } from './websocket-handshake.js';
import { upgradeRefusal } from './websocket-rejections.js';
import { WebSocketSession, type SessionSettings } from './websocket-session.js';

/** WebSocket options of one server, defaults applied. */
export interface WebSocketSettings {
  pingIntervalMs: number;
  maxPayloadBytes: number;
  closeTimeoutMs: number;
  subscribeDelayMs: number;
  onEventSent: () => void;
  /** Wording of the upgrade refusal and the error frames (see `streamingErrorTexts`). */
  errorTexts: StreamingErrorTexts;
}

const DEFAULT_SCOPES = ['read', 'write', 'follow', 'push'];

/**
 * The WebSocket side of the streaming server: authenticates upgrades, keeps the live sockets,
 * and runs the one global ping sweep (phase independent of any connect, as on 4.5.7).
 *
 * @example
 * const endpoint = new WebSocketEndpoint(settings, standing, lists, registry, screening);
 * http.on('upgrade', (req, socket, head) => endpoint.accept(req, socket as Socket, head));
 */
export class WebSocketEndpoint {
  private readonly live: WebSocketSession[] = [];
  private readonly sessionSettings: SessionSettings;
  private stopPinging: CancelTimer | undefined;
  total = 0;

  constructor(
    private readonly settings: WebSocketSettings,
    private readonly standing: AccountStanding,
    lists: Readonly<Record<string, string>>,
    private readonly registry: ConnectionRegistry,
    screening: ScreeningContext,
  ) {
    this.sessionSettings = {
      maxPayloadBytes: settings.maxPayloadBytes,
      closeTimeoutMs: settings.closeTimeoutMs,
      subscribeDelayMs: settings.subscribeDelayMs,
      onEventSent: settings.onEventSent,
      errorTexts: settings.errorTexts,
      lists,
      onChange: () => registry.recheck(),
      screening,
    };
  }

  get sockets(): ReadonlyArray<FakeWebSocket> {
    return this.live;
  }

  /** Every subscription of every open socket, socket by socket in connect order. */
  *subscribers(): Iterable<ChannelSubscriber> {
    for (const session of this.live) yield* session.channels.subscribers;
  }

  /** Open sockets as `/metrics` counts them (closing ones have left their channels). */
  metricsConnections(): MetricsConnection[] {
    return this.live
      .filter((session) => session.isOpen)
      .map((session) => ({ transport: 'websocket', token: session.token, accountId: session.accountId, channels: session.channels.subscribers }));
  }

  /** Starts the global ping timer (none for an interval of 0 or Infinity); once, though every listen() calls it. */
  startPinging(): void {
    this.stopPinging ??= runEvery(this.settings.pingIntervalMs, () => this.sweep());
  }

  /** Stops the ping timer; sockets themselves are destroyed by the server's socket list. */
  dispose(): void {
    this.stopPinging?.();
    this.stopPinging = undefined;
  }

  /** One keep-alive sweep: terminate sockets that did not answer the last ping, ping the rest. */
  sweep(): void {
    for (const session of [...this.live]) session.sweep();
  }

  pick(filter: WebSocketFilter): WebSocketSession[] {
    return this.live.filter((session) => !session.isClosed && filter(session));
  }

  waitFor(predicate: WebSocketFilter, timeoutMs: number, target: string): Promise<FakeWebSocket> {
    return this.registry.waitFor({ method: 'waitForWebSocket', target }, timeoutMs, () =>
      this.live.find((session) => session.isOpen && predicate(session)),
    );
  }

  /**
   * Handles an upgrade on a WebSocket path and returns the status answered. Order as on 4.5.7:
   * authentication first (raw 401 with `X-Error-Message`, or the `ws` library's plain 401 under
   * `'pre-4.2'`), then the handshake itself; scopes wait for each subscribe.
   */
  accept(req: IncomingMessage, socket: Socket, head: Buffer): number {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const requestId = randomUUID();
    const token = extractUpgradeToken(req.headers, query);
    if (token === undefined) return refuse(socket, upgradeRefusal('Missing access token', requestId, this.settings.errorTexts), 401);
    const config = this.standing.usableToken(token);
    if (!config) return refuse(socket, upgradeRefusal('Invalid access token', requestId, this.settings.errorTexts), 401);
    const problem = handshakeProblem(req);
    if (problem) return refuse(socket, plainRejection(400, problem.message, 'text/html', problem.headers), 400);

    const protocol = selectedProtocol(req.headers);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    socket.write(switchingProtocolsResponse(req.headers['sec-websocket-key'] ?? '', protocol, requestId));
    const identity = { token, accountId: config.accountId, scopes: [...(config.scopes ?? DEFAULT_SCOPES)] };
    const session = new WebSocketSession(this.registry.allocateId(), identity, req.headers, req.url ?? '/', protocol, socket, this.sessionSettings);
    this.live.push(session);
    this.total += 1;
    void session.closed.then(() => {
      const index = this.live.indexOf(session);
      if (index >= 0) this.live.splice(index, 1);
    });
    // `url.parse(req.url, true)`: a repeated key is an array, which the subscription then reads
    // as it reads a client message's fields (first `stream`; an array `tag` or `list` fails).
    const stream = streamingQueryValue(query, 'stream');
    const fromUrl = { stream, tag: streamingQueryValue(query, 'tag'), list: streamingQueryValue(query, 'list') };
    session.start(head, stream ? fromUrl : undefined);
    this.registry.recheck();
    return 101;
  }

  /**
   * A scripted failure (see `failNext`) answers the upgrade as a plain HTTP response. A 401
   * without a body of the test's is the streaming server's own refusal of a token (the raw 401
   * with `X-Error-Message: Invalid access token`), the only status it refuses an upgrade with.
   */
  answerScripted(socket: Socket, answer: ScriptedAnswer): number {
    if (answer.status === 401 && answer.isDefaultBody) {
      const refusal = upgradeRefusal('Invalid access token', randomUUID(), this.settings.errorTexts);
      return refuse(socket, withHeaders(refusal, answer.headers), 401);
    }
    return refuse(socket, plainRejection(answer.status, answer.body, answer.contentType, answer.headers), answer.status);
  }
}

/** Adds the test's headers at the end of a raw response's head. */
function withHeaders(response: string, headers: Record<string, string>): string {
  const headEnd = response.indexOf('\r\n\r\n');
  const extra = Object.entries(headers).map(([name, value]) => `\r\n${name}: ${value}`).join('');
  return `${response.slice(0, headEnd)}${extra}${response.slice(headEnd)}`;
}

function refuse(socket: Socket, response: string, status: number): number {
  socket.on('error', () => undefined);
  socket.end(response, () => socket.destroy());
  return status;
}
