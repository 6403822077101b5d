import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConnectionRegistry } from './connection-registry.js';
import { ContentStore } from './content-store.js';
import type { FakeMastodon } from './fake-mastodon-api.js';
import { defaultLists, defaultTokens } from './identities.js';
import { Publisher, type NotifyOptions, type PostStatusOptions } from './publisher.js';
import { handleRest, isRestPath, RateLimitCounter, sendRestJson, type RestContext } from './rest-routes.js';
import { ScriptedFailures, type RequestKind } from './scripted-failures.js';
import { SseConnection, type WriterSettings } from './sse-connection.js';
import { sendHealth, sendPreflight, sendScripted, sendStreamingError, startEventStream } from './streaming-responses.js';
import { isStreamPath, resolveStream } from './streaming-route.js';
import type {
  ConnectionFilter,
  FakeConnection,
  FakeMastodonOptions,
  FakeToken,
  PublishTarget,
  RecordedRequest,
  ScriptedFailure,
  StreamName,
} from './types.js';

const HEALTH_PATH = '/api/v1/streaming/health';
const everyConnection: ConnectionFilter = () => true;

/**
 * Starts a fake Mastodon 4.5.7 server on 127.0.0.1 (streaming SSE + REST catch-up endpoints).
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
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly registry = new ConnectionRegistry();
  private readonly store = new ContentStore();
  private readonly failures = new ScriptedFailures();
  private readonly rateLimits = new RateLimitCounter();
  private readonly tokens: Map<string, FakeToken>;
  private readonly lists: Record<string, string>;
  private readonly publisher: Publisher;
  private readonly writer: WriterSettings;
  private readonly restContext: RestContext;
  private readonly streamingPrefix: string;
  private readonly log: RecordedRequest[] = [];
  private boundPort = 0;
  private healthy = true;
  private trickling = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private finishRestart: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: FakeMastodonOptions) {
    this.tokens = new Map(Object.entries(options.tokens ?? defaultTokens()).map(([token, config]) => [token, { ...config }]));
    this.lists = { ...(options.lists ?? defaultLists()) };
    this.streamingPrefix = (options.streamingPath ?? '').replace(/\/$/, '');
    this.publisher = new Publisher(this.registry, this.store, this.tokens, options.filtersChanged ?? 'drop');
    this.writer = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 15_000,
      heartbeat: options.heartbeatStyle === 'double' ? ':thump\n\n' : ':thump\n',
      eventWrites: options.eventWrites ?? 'two',
      isTrickling: () => this.trickling,
    };
    this.restContext = {
      baseUrl: () => this.url,
      instanceFacts: () => ({
        domain: `127.0.0.1:${this.boundPort}`,
        streamingUrl: options.advertisedStreamingUrl ?? `ws://127.0.0.1:${this.boundPort}${this.streamingPrefix}`,
      }),
      instanceV2Enabled: options.instanceV2 ?? true,
      tokens: this.tokens,
      lists: this.lists,
      store: this.store,
    };
    this.http = createServer((req, res) => this.handle(req, res));
    this.http.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  get connections(): ReadonlyArray<FakeConnection> {
    return this.registry.connections;
  }

  get totalConnections(): number {
    return this.registry.total;
  }

  get requests(): ReadonlyArray<RecordedRequest> {
    return this.log;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        const address = this.http.address();
        this.boundPort = typeof address === 'object' && address ? address.port : port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.finishRestart?.();
      this.registry.dispose();
      this.failures.clear();
      this.destroyAllSockets();
      if (!this.http.listening) return resolve();
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  waitForConnection(predicate: ConnectionFilter = everyConnection, options: { timeoutMs?: number } = {}): Promise<FakeConnection> {
    return this.registry.waitForConnection(predicate, options.timeoutMs ?? 5_000);
  }

  waitForConnectionCount(count: number, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.registry.waitForCount(count, options.timeoutMs ?? 5_000);
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
  }

  dropConnections(filter: ConnectionFilter = everyConnection, options: { midFrame?: boolean } = {}): void {
    for (const connection of this.pick(filter)) connection.drop(options.midFrame ?? false);
  }

  stall(filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.stall();
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
    if (this.closing) return Promise.reject(new Error('FakeMastodon: restart() after close()'));
    return new Promise<void>((resolve, reject) => {
      this.finishRestart = resolve;
      const closed = new Promise<void>((done) => this.http.close(() => done()));
      this.destroyAllSockets();
      this.http.closeAllConnections();
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        this.finishRestart = undefined;
        if (this.closing) return resolve();
        void closed.then(() => (this.closing ? resolve() : this.listen(this.boundPort).then(resolve, reject)));
      }, options.downMs);
    });
  }

  private pick(filter: ConnectionFilter): SseConnection[] {
    return this.registry.connections.filter((connection) => !connection.isClosed && filter(connection));
  }

  private destroyAllSockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      url: req.url ?? '/',
      query: Object.fromEntries(target.searchParams),
      headers: req.headers,
      status: 0,
    };
    this.log.push(record);
    try {
      this.route(req, res, target.pathname, target.searchParams);
    } catch {
      // A bug in a handler must not crash the test process; answer like the server's catch-all.
      if (!res.headersSent) sendStreamingError(res, 500, 'An unexpected error occurred');
      else res.destroy();
    } finally {
      record.status = res.statusCode;
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    if (req.method === 'OPTIONS') return sendPreflight(req, res);
    const streamingPath = this.streamingRelative(path);
    const kind: RequestKind = streamingPath !== undefined && isStreamPath(streamingPath) ? 'streaming' : isRestPath(path) ? 'rest' : 'other';
    const scripted = this.failures.take(kind);
    if (scripted) return sendScripted(res, scripted.status, scripted.body, scripted.contentType, scripted.headers);
    if (streamingPath === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) return sendHealth(res, this.healthy);
    if (kind === 'streaming') return this.openStream(req, res, streamingPath ?? '', query);
    if (handleRest(req, res, path, query, this.restContext, this.rateLimits)) return;
    if (path === '/favicon.ico') {
      res.writeHead(404);
      return void res.end();
    }
    // Without a prefix everything else reaches the streaming process; with one, Rails answers.
    if (streamingPath !== undefined || this.streamingPrefix === '') {
      return sendStreamingError(res, 400, 'Unknown channel requested');
    }
    sendRestJson(res, 404, { error: 'Record not found' });
  }

  /** The path relative to the streaming mount point, or undefined when outside it. */
  private streamingRelative(path: string): string | undefined {
    if (this.streamingPrefix === '') return path;
    if (path === this.streamingPrefix || path.startsWith(`${this.streamingPrefix}/`)) return path.slice(this.streamingPrefix.length) || '/';
    return undefined;
  }

  private openStream(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    const resolved = resolveStream(path, query, req.headers, this.tokens, this.lists);
    if ('error' in resolved) return sendStreamingError(res, resolved.status, resolved.error);
    const connection = new SseConnection(this.registry.allocateId(), resolved, req.headers, req.url ?? path, res, this.writer);
    startEventStream(res);
    this.registry.add(connection);
    connection.open(this.options.subscribeDelayMs ?? 0, () => this.registry.recheck());
  }
}
