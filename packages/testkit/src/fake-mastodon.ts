import type { AccountAction } from './account-standing.js';
import type { FakeMastodon } from './fake-mastodon-api.js';
import type { ConversationOverrides, NotificationJson, StatusNotificationJson } from './entity-json.js';
import { checkNotifyOptions, type NotifyOptions, type StatusNotifyOptions } from './notify-options.js';
import type { StreamingEventName } from './payload.js';
import type { DeleteStatusOptions, PostStatusOptions } from './status-options.js';
import { parseReads, type RecordedChunk } from './reads-format.js';
import { assembleServer, type ServerParts } from './server-assembly.js';
import type { SseConnection } from './sse-connection.js';
import type { ReplayOptions } from './stream-replayer.js';
import type { StatusOverrides } from './status-overrides.js';
import { mergeTimelinesAccess } from './timelines-access.js';
import type { ConnectionFilter, FakeConnection, FakeMastodonOptions, FakeWebSocket, PublishTarget } from './types.js';
import type { RecordedRequest, ScriptedFailure, StreamName, WebSocketFilter } from './types.js';
import type { TimelinesAccessOptions } from './viewer-types.js';
import type { FakeViewer } from './viewers.js';
import { checkDuration, nextRealCheckPhase, optionalDuration } from './durations.js';
import { checkConnectionCount, checkPredicate, waitTimeout } from './wait-arguments.js';
import { checkFakeMastodonOptions, checkTimelinesAccessOptions } from './fake-mastodon-option-names.js';
import { CONVERSATION_OVERRIDES, DELETE_STATUS_OPTIONS, DROP_CONNECTIONS_OPTIONS, FAIL_NEXT_OPTIONS, POST_STATUS_OPTIONS, PUBLISH_TARGET_OPTIONS, RATE_LIMIT_NEXT_OPTIONS } from './method-option-names.js';
import { REPLAY_OPTIONS, RESTART_OPTIONS, STALL_OPTIONS, STALL_WEBSOCKETS_OPTIONS, WAIT_FOR_REQUEST_OPTIONS } from './method-option-names.js';
import { checkOptionNames, checkOptionalOptionNames } from './option-names.js';

// As in core: a runtime without Symbol.asyncDispose gets the registered symbol that `using` polyfills look up.
const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

/** `restart()`'s down time when the test gives none: short, in the range the repository's own restart tests pick (50 to 300 ms). */
const DEFAULT_RESTART_DOWN_MS = 100;

const everyConnection: ConnectionFilter = () => true;
const everySocket: WebSocketFilter = () => true;
// A plain wait is for a stream the test can publish into, not one it stalled (it may wait for the replacement).
const deliveringConnection: ConnectionFilter = (connection) => !connection.isStalled;
// masto.js subscribes from `open`: a wait that resolved on the open let a test publish too early.
const subscribedSocket: WebSocketFilter = (socket) => socket.subscriptions.length > 0 && !socket.isStalled;

/**
 * Starts a fake Mastodon 4.5.7 server on 127.0.0.1 (streaming SSE and WebSocket, plus the REST
 * catch-up endpoints). An option name it does not know (a misspelling, also in a nested object)
 * rejects with a TypeError naming it and the option meant, rather than leaving the default.
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
  checkFakeMastodonOptions(options);
  const server = new FakeMastodonServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

class FakeMastodonServer implements FakeMastodon {
  private readonly parts: ServerParts;

  constructor(options: FakeMastodonOptions) {
    this.parts = assembleServer(options);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return this.parts.listener.port;
  }

  get connections(): ReadonlyArray<FakeConnection> {
    return this.parts.registry.connections;
  }

  get totalConnections(): number {
    return this.parts.registry.total;
  }

  get requests(): ReadonlyArray<RecordedRequest> {
    return this.parts.router.log;
  }

  get webSockets(): ReadonlyArray<FakeWebSocket> {
    return this.parts.ws.sockets;
  }

  get totalWebSockets(): number {
    return this.parts.ws.total;
  }

  listen(port: number): Promise<void> {
    return this.parts.listener.listen(port);
  }

  async close(): Promise<void> {
    await this.parts.listener.close(() => {
      this.parts.registry.dispose();
      this.parts.ws.dispose();
      this.parts.failures.clear();
      this.parts.replays.clear();
      this.parts.updateDelay.dispose();
    });
    // The HTTP server's close does not wait for upgraded sockets; their close events follow the
    // destroy within a tick, so after this `webSockets` is empty.
    await Promise.all(this.parts.ws.sockets.map((socket) => socket.closed));
    // The listening socket's handle goes a turn after the close callback: a leak check right after this saw it.
    await nextRealCheckPhase();
  }

  [asyncDispose](): Promise<void> {
    return this.close();
  }

  waitForConnection(predicate: ConnectionFilter = deliveringConnection, options: { timeoutMs?: number | undefined } = {}): Promise<FakeConnection> {
    checkPredicate('waitForConnection', predicate, "(c) => c.stream === 'public'");
    return this.parts.registry.waitForConnection(predicate, waitTimeout('waitForConnection', options), predicate === deliveringConnection ? 'a subscribed connection, not stalled' : 'a subscribed connection');
  }

  waitForConnectionCount(count: number, options: { timeoutMs?: number | undefined } = {}): Promise<void> {
    checkConnectionCount(count);
    return this.parts.registry.waitForCount(count, waitTimeout('waitForConnectionCount', options));
  }

  waitForWebSocket(predicate: WebSocketFilter = subscribedSocket, options: { timeoutMs?: number | undefined } = {}): Promise<FakeWebSocket> {
    checkPredicate('waitForWebSocket', predicate, "(s) => s.subscriptions.some((x) => x.stream === 'user')");
    return this.parts.ws.waitFor(predicate, waitTimeout('waitForWebSocket', options), predicate === subscribedSocket ? 'a WebSocket with a live subscription, not stalled' : 'a matching WebSocket');
  }

  waitForRequest(predicate: (request: RecordedRequest, index: number) => boolean = () => true, options: { timeoutMs?: number | undefined; fromNow?: boolean | undefined } = {}): Promise<RecordedRequest> {
    checkPredicate('waitForRequest', predicate, "(r) => r.method === 'POST' && r.path === '/api/v1/statuses'");
    const timeoutMs = waitTimeout('waitForRequest', options, WAIT_FOR_REQUEST_OPTIONS);
    const log = this.parts.router.log;
    // The log only grows, so a request's index says whether it arrived after the call.
    const firstIndex = options.fromNow === true ? log.length : 0;
    const target = `a matching request${options.fromNow === true ? ' arriving after the call' : ''}`;
    return this.parts.registry.waitFor({ method: 'waitForRequest', target }, timeoutMs, () =>
      log.find((request, index) => index >= firstIndex && request.status !== 0 && predicate(request, index)),
    );
  }

  publish(target: StreamName | PublishTarget, event: StreamingEventName | (string & {}), payload?: unknown): number {
    if (typeof target !== 'string') checkOptionNames('FakeMastodon.publish', target, PUBLISH_TARGET_OPTIONS, 'target');
    return this.parts.publisher.publish(target, event, payload);
  }

  // Copies: a test that adjusts a result (its expected value) must not change what REST serves.
  postStatus(partial?: StatusOverrides, options?: PostStatusOptions) {
    checkOptionalOptionNames('FakeMastodon.postStatus', options, POST_STATUS_OPTIONS);
    return structuredClone(this.parts.publisher.postStatus(partial, options));
  }

  editStatus(id: string, changes?: StatusOverrides) {
    return structuredClone(this.parts.publisher.editStatus(id, changes));
  }

  deleteStatus(id: string, options?: DeleteStatusOptions): boolean {
    checkOptionalOptionNames('FakeMastodon.deleteStatus', options, DELETE_STATUS_OPTIONS);
    return this.parts.publisher.deleteStatus(id, options);
  }

  notify(accountId: string, options?: StatusNotifyOptions): StatusNotificationJson;
  notify(accountId: string, options?: NotifyOptions): NotificationJson;
  notify(accountId: string, options?: NotifyOptions): NotificationJson {
    checkNotifyOptions(options);
    return structuredClone(this.parts.publisher.notify(accountId, options));
  }

  conversation(accountId: string, partial?: ConversationOverrides) {
    checkOptionalOptionNames('FakeMastodon.conversation', partial, CONVERSATION_OVERRIDES);
    return structuredClone(this.parts.publisher.conversation(accountId, partial));
  }

  pushRaw(bytes: string | Uint8Array, filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.write(bytes);
  }

  endStreams(filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.end();
  }

  revokeToken(token: string): void {
    const config = this.parts.tokens.get(token);
    if (config) config.revoked = true;
    this.endStreams((connection) => connection.token === token);
    this.killWebSockets((socket) => socket.token === token);
  }

  disableUser(accountId: string): void {
    this.barAccount(accountId, 'disabled');
  }

  suspendAccount(accountId: string): void {
    this.barAccount(accountId, 'suspended');
  }

  reinstateAccount(accountId: string): void {
    this.parts.standing.reinstate(accountId);
  }

  // Account actions kill every stream of the account, whatever token it used (protocol.md §10).
  private barAccount(accountId: string, action: AccountAction): void {
    this.parts.standing.apply(accountId, action);
    this.endStreams((connection) => connection.accountId === accountId);
    this.killWebSockets((socket) => socket.accountId === accountId);
  }

  killWebSockets(filter: WebSocketFilter = everySocket): void {
    for (const session of this.parts.ws.pick(filter)) session.kill();
  }

  dropWebSockets(filter: WebSocketFilter = everySocket): void {
    for (const session of this.parts.ws.pick(filter)) session.terminate();
  }

  stallWebSockets(filter: WebSocketFilter = everySocket, options: { keepPings?: boolean | undefined } = {}): void {
    checkOptionNames('FakeMastodon.stallWebSockets', options, STALL_WEBSOCKETS_OPTIONS);
    for (const session of this.parts.ws.pick(filter)) session.stall(options.keepPings ?? false);
  }

  resumeWebSockets(filter: WebSocketFilter = everySocket): void {
    for (const session of this.parts.ws.pick(filter)) session.resume();
  }

  pushRawWebSocket(bytes: Uint8Array, filter: WebSocketFilter = everySocket): void {
    for (const session of this.parts.ws.pick(filter)) session.writeRaw(bytes);
  }

  sweepWebSockets(): void {
    this.parts.ws.sweep();
  }

  dropConnections(filter: ConnectionFilter = everyConnection, options: { midFrame?: boolean | undefined } = {}): void {
    checkOptionNames('FakeMastodon.dropConnections', options, DROP_CONNECTIONS_OPTIONS);
    for (const connection of this.pick(filter)) connection.drop(options.midFrame ?? false);
  }

  stall(filter: ConnectionFilter = everyConnection, options: { keepHeartbeats?: boolean | undefined } = {}): void {
    checkOptionNames('FakeMastodon.stall', options, STALL_OPTIONS);
    for (const connection of this.pick(filter)) connection.stall(options.keepHeartbeats ?? false);
  }

  resume(filter: ConnectionFilter = everyConnection): void {
    for (const connection of this.pick(filter)) connection.resume();
  }

  trickle(enabled: boolean): void {
    this.parts.switches.trickling = enabled;
  }

  failNext(failure: ScriptedFailure): void {
    checkOptionNames('FakeMastodon.failNext', failure, FAIL_NEXT_OPTIONS);
    this.parts.failures.add(failure);
  }

  rateLimitNext(options: { times?: number | undefined; resetInMs?: number | undefined } = {}): void {
    checkOptionNames('FakeMastodon.rateLimitNext', options, RATE_LIMIT_NEXT_OPTIONS);
    const { resetInMs } = options;
    // It becomes the X-RateLimit-Reset time, which has to be a date: Infinity has no "never" there.
    if (resetInMs !== undefined && !Number.isFinite(checkDuration('FakeMastodon.rateLimitNext: resetInMs', resetInMs))) {
      throw new RangeError(`FakeMastodon.rateLimitNext: resetInMs must be finite (it becomes the X-RateLimit-Reset time), got ${resetInMs}`);
    }
    this.parts.router.rateLimits.exhaustNext(options.times ?? 1, resetInMs);
  }

  setHealthy(healthy: boolean): void {
    this.parts.switches.healthy = healthy;
  }

  restart(options: { downMs?: number | undefined } = {}): Promise<void> {
    checkOptionNames('FakeMastodon.restart', options, RESTART_OPTIONS);
    const downMs = optionalDuration('FakeMastodon.restart: downMs', options.downMs, DEFAULT_RESTART_DOWN_MS);
    // Dropped first, as the restart would, so that each is `isEnding` at once (waitForConnection passes over it).
    this.dropConnections();
    return this.parts.listener.restart(downMs);
  }

  viewer(accountId: string): FakeViewer {
    return this.parts.viewers.viewer(accountId);
  }

  setTimelinesAccess(changes: TimelinesAccessOptions): void {
    checkTimelinesAccessOptions('FakeMastodon.setTimelinesAccess', changes);
    this.parts.switches.timelinesAccess = mergeTimelinesAccess(this.parts.switches.timelinesAccess, changes);
  }

  setReorderUpdates(delayMs: number): void {
    this.parts.updateDelay.setDelay(checkDuration('FakeMastodon.setReorderUpdates: delayMs', delayMs));
  }

  replayNext(recording: string | readonly RecordedChunk[], options: ReplayOptions = {}): void {
    checkOptionNames('FakeMastodon.replayNext', options, REPLAY_OPTIONS);
    this.parts.replays.add(typeof recording === 'string' ? parseReads(recording) : recording, options);
  }

  private pick(filter: ConnectionFilter): SseConnection[] {
    return this.parts.registry.connections.filter((connection) => !connection.isClosed && filter(connection));
  }
}
