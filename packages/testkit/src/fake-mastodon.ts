import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { ConnectionRegistry } from './connection-registry.js';
import { ContentStore } from './content-store.js';
import type { FakeMastodon } from './fake-mastodon-api.js';
import { HttpListener } from './http-listener.js';
import { defaultLists, defaultTokens } from './identities.js';
import { Publisher, type NotifyOptions, type PostStatusOptions } from './publisher.js';
import { RequestRouter } from './request-router.js';
import type { RestContext } from './rest-routes.js';
import { parseReads, type RecordedChunk } from './reads-format.js';
import { ScriptedFailures } from './scripted-failures.js';
import type { SseConnection, WriterSettings } from './sse-connection.js';
import type { ScreeningContext } from './status-screening.js';
import { ScriptedReplays, type ReplayOptions } from './stream-replayer.js';
import { mergeTimelinesAccess, openTimelinesAccess, type TimelinesAccess } from './timelines-access.js';
import type {
  ConnectionFilter,
  FakeConnection,
  FakeMastodonOptions,
  FakeToken,
  FakeWebSocket,
  PublishTarget,
  RecordedRequest,
  ScriptedFailure,
  StreamName,
  WebSocketFilter,
} from './types.js';
import { UpdateDelay } from './update-delay.js';
import type { TimelinesAccessOptions } from './viewer-types.js';
import { ViewerDirectory, type FakeViewer } from './viewers.js';
import { WebSocketEndpoint } from './websocket-endpoint.js';

const everyConnection: ConnectionFilter = () => true;
const everySocket: WebSocketFilter = () => true;

/**
 * Starts a fake Mastodon 4.5.7 server on 127.0.0.1 (streaming SSE and WebSocket, plus the REST
 * catch-up endpoints).
 *
 * @example
 * const server = await createFakeMastodon({ heartbeatIntervalMs: 100 });
 * const response = await fetch(`${server.url}/api/v1/streaming/public`, {
 *   headers: { Authorization: 'Bearer peer-test-token' },
 * });
 * await server.waitForConnection((c) => c.stream === 'public');
 * server.postStatus({ content: '<p>hello</p>' });
 * await server.close();
 */
export async function createFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodon> {
  const server = new FakeMastodonServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

class FakeMastodonServer implements FakeMastodon {
  private readonly listener: HttpListener;
  private readonly registry = new ConnectionRegistry();
  private readonly store = new ContentStore();
  private readonly failures = new ScriptedFailures();
  private readonly replays = new ScriptedReplays();
  private readonly tokens: Map<string, FakeToken>;
  private readonly lists: Record<string, string>;
  private readonly publisher: Publisher;
  private readonly ws: WebSocketEndpoint;
  private readonly router: RequestRouter;
  private readonly viewers: ViewerDirectory;
  private readonly updateDelay: UpdateDelay;
  private timelinesAccess: TimelinesAccess;
  private healthy = true;
  private trickling = false;

  constructor(options: FakeMastodonOptions) {
    this.tokens = new Map(Object.entries(options.tokens ?? defaultTokens()).map(([token, config]) => [token, { ...config }]));
    this.lists = { ...(options.lists ?? defaultLists()) };
    const streamingPrefix = (options.streamingPath ?? '').replace(/\/$/, '');
    this.viewers = new ViewerDirectory(options.viewers);
    this.timelinesAccess = mergeTimelinesAccess(openTimelinesAccess(), options.timelinesAccess);
    this.updateDelay = new UpdateDelay(0);
    this.updateDelay.setDelay(options.reorderUpdatesMs ?? 0);
    const screening: ScreeningContext = { viewers: this.viewers, timelinesAccess: () => this.timelinesAccess, now: () => Date.now() };
    this.ws = new WebSocketEndpoint(
      {
        pingIntervalMs: options.webSocketPingIntervalMs ?? 30_000,
        maxPayloadBytes: options.webSocketMaxPayloadBytes ?? 100 * 1024 * 1024,
        closeTimeoutMs: options.webSocketCloseTimeoutMs ?? 30_000,
      },
      this.tokens,
      this.lists,
      this.registry,
      screening,
    );
    const subscribers = () => [...this.registry.connections, ...this.ws.subscribers()];
    this.publisher = new Publisher(subscribers, this.store, this.tokens, options.filtersChanged ?? 'drop', this.updateDelay);
    const writer: WriterSettings = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
      heartbeat: options.heartbeatStyle === 'double' ? ':thump\n\n' : ':thump\n',
      eventWrites: options.eventWrites ?? 'two',
      isTrickling: () => this.trickling,
    };
    const restContext: RestContext = {
      baseUrl: () => this.url,
      instanceFacts: () => ({
        domain: `127.0.0.1:${this.port}`,
        streamingUrl: options.advertisedStreamingUrl ?? `ws://127.0.0.1:${this.port}${streamingPrefix}`,
        timelinesAccess: this.timelinesAccess,
      }),
      instanceV2Enabled: options.instanceV2 ?? true,
      tokens: this.tokens,
      lists: this.lists,
      store: this.store,
    };
    this.router = new RequestRouter({
      streamingPrefix,
      webSocketPaths: options.webSocketPaths ?? 'streaming',
      subscribeDelayMs: options.subscribeDelayMs ?? 0,
      tokens: this.tokens,
      lists: this.lists,
      registry: this.registry,
      writer,
      ws: this.ws,
      failures: this.failures,
      restContext,
      isHealthy: () => this.healthy,
      screening,
      replays: this.replays,
    });
    const http = createServer((req, res) => this.router.handle(req, res));
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.router.upgrade(req, socket, head));
    this.listener = new HttpListener(http, () => this.ws.startPinging());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return this.listener.port;
  }

  get connections(): ReadonlyArray<FakeConnection> {
    return this.registry.connections;
  }

  get totalConnections(): number {
    return this.registry.total;
  }

  get requests(): ReadonlyArray<RecordedRequest> {
    return this.router.log;
  }

  get webSockets(): ReadonlyArray<FakeWebSocket> {
    return this.ws.sockets;
  }

  get totalWebSockets(): number {
    return this.ws.total;
  }

  listen(port: number): Promise<void> {
    return this.listener.listen(port);
  }

  close(): Promise<void> {
    return this.listener.close(() => {
      this.registry.dispose();
      this.ws.dispose();
      this.failures.clear();
      this.replays.clear();
      this.updateDelay.dispose();
    });
  }

  waitForConnection(predicate: ConnectionFilter = everyConnection, options: { timeoutMs?: number } = {}): Promise<FakeConnection> {
    return this.registry.waitForConnection(predicate, options.timeoutMs ?? 5_000);
  }

  waitForConnectionCount(count: number, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.registry.waitForCount(count, options.timeoutMs ?? 5_000);
  }

  waitForWebSocket(predicate: WebSocketFilter = everySocket, options: { timeoutMs?: number } = {}): Promise<FakeWebSocket> {
    return this.ws.waitFor(predicate, options.timeoutMs ?? 5_000);
  }

  publish(target: StreamName | PublishTarget, event: string, payload?: unknown): number {
    return this.publisher.publish(target, event, payload);
  }

  postStatus(partial?: Record<string, unknown>, options?: PostStatusOptions) {
    return this.publisher.postStatus(partial, options);
  }

  editStatus(id: string, changes?: Record<string, unknown>) {
    return this.publisher.editStatus(id, changes);
  }

  deleteStatus(id: string): boolean {
    return this.publisher.deleteStatus(id);
  }

  notify(accountId: string, options?: NotifyOptions) {
    return this.publisher.notify(accountId, options);
  }

  conversation(accountId: string, partial?: Record<string, unknown>) {
    return this.publisher.conversation(accountId, partial);
  }

  pushRaw(bytes: string | Uint8Array, filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.write(bytes);
  }

  endStreams(filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.end();
  }

  revokeToken(token: string): void {
    const config = this.tokens.get(token);
    if (config) config.revoked = true;
    this.endStreams((connection) => connection.token === token);
    this.killWebSockets((socket) => socket.token === token);
  }

  killWebSockets(filter: WebSocketFilter = everySocket): void {
    for (const session of this.ws.pick(filter)) session.kill();
  }

  dropWebSockets(filter: WebSocketFilter = everySocket): void {
    for (const session of this.ws.pick(filter)) session.terminate();
  }

  pushRawWebSocket(bytes: Uint8Array, filter: WebSocketFilter = everySocket): void {
    for (const session of this.ws.pick(filter)) session.writeRaw(bytes);
  }

  sweepWebSockets(): void {
    this.ws.sweep();
  }

  dropConnections(filter: ConnectionFilter = everyConnection, options: { midFrame?: boolean } = {}): void {
    for (const connection of this.pick(filter)) connection.drop(options.midFrame ?? false);
  }

  stall(filter: ConnectionFilter = everyConnection, options: { keepHeartbeats?: boolean } = {}): void {
    for (const connection of this.pick(filter)) connection.stall(options.keepHeartbeats ?? false);
  }

  resume(filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.resume();
  }

  trickle(enabled: boolean): void {
    this.trickling = enabled;
  }

  failNext(failure: ScriptedFailure): void {
    this.failures.add(failure);
  }

  setHealthy(healthy: boolean): void {
    this.healthy = healthy;
  }

  restart(options: { downMs: number }): Promise<void> {
    return this.listener.restart(options.downMs);
  }

  viewer(accountId: string): FakeViewer {
    return this.viewers.viewer(accountId);
  }

  setTimelinesAccess(changes: TimelinesAccessOptions): void {
    this.timelinesAccess = mergeTimelinesAccess(this.timelinesAccess, changes);
  }

  setReorderUpdates(delayMs: number): void {
    this.updateDelay.setDelay(delayMs);
  }

  replayNext(recording: string | readonly RecordedChunk[], options: ReplayOptions = {}): void {
    this.replays.add(typeof recording === 'string' ? parseReads(recording) : recording, options);
  }

  private pick(filter: ConnectionFilter): SseConnection[] {
    return this.registry.connections.filter((connection) => !connection.isClosed && filter(connection));
  }
}
