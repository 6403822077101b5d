import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { AccountStanding } from './account-standing.js';
import { ConnectionRegistry } from './connection-registry.js';
import { optionalDuration } from './durations.js';
import { describeServerState } from './wait-diagnostics.js';
import { ContentStore } from './content-store.js';
import { HttpListener } from './http-listener.js';
import { defaultLists, defaultTokens } from './identities.js';
import { Publisher } from './publisher.js';
import { RelationshipCleanup } from './relationship-cleanup.js';
import { RequestRouter } from './request-router.js';
import type { RestContext } from './rest-routes.js';
import { ScriptedFailures } from './scripted-failures.js';
import type { WriterSettings } from './sse-connection.js';
import type { ScreeningContext } from './status-screening.js';
import { ScriptedReplays } from './stream-replayer.js';
import { StreamingMetrics } from './streaming-metrics.js';
import { mergeTimelinesAccess, openTimelinesAccess, type TimelinesAccess } from './timelines-access.js';
import type { FakeMastodonOptions, FakeToken } from './types.js';
import { UpdateDelay } from './update-delay.js';
import { ViewerDirectory } from './viewers.js';
import { SourceTexts } from './source-texts.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { WebSocketEndpoint } from './websocket-endpoint.js';

/** The state the public methods switch at runtime; the parts read it on every use. */
export interface RuntimeSwitches {
  healthy: boolean;
  trickling: boolean;
  timelinesAccess: TimelinesAccess;
}

/** Every collaborator of one fake server, wired together. */
export interface ServerParts {
  switches: RuntimeSwitches;
  listener: HttpListener;
  registry: ConnectionRegistry;
  store: ContentStore;
  failures: ScriptedFailures;
  replays: ScriptedReplays;
  tokens: Map<string, FakeToken>;
  standing: AccountStanding;
  publisher: Publisher;
  ws: WebSocketEndpoint;
  router: RequestRouter;
  viewers: ViewerDirectory;
  updateDelay: UpdateDelay;
}

/**
 * Builds the parts of a fake server from its options, defaults applied. Kept apart from the
 * public class so that class is only the API surface.
 *
 * @example
 * const parts = assembleServer(options);
 * await parts.listener.listen(0);
 */
export function assembleServer(options: FakeMastodonOptions): ServerParts {
  // Checked before anything is built, so a bad value fails createFakeMastodon() rather than a later timer.
  const duration = (name: keyof FakeMastodonOptions, fallback: number): number => optionalDuration(`createFakeMastodon: ${name}`, options[name], fallback);
  const durations = {
    heartbeatIntervalMs: duration('heartbeatIntervalMs', 15_000),
    subscribeDelayMs: duration('subscribeDelayMs', 0),
    reorderUpdatesMs: duration('reorderUpdatesMs', 0),
    webSocketPingIntervalMs: duration('webSocketPingIntervalMs', 30_000),
    webSocketCloseTimeoutMs: duration('webSocketCloseTimeoutMs', 30_000),
    webSocketSubscribeDelayMs: duration('webSocketSubscribeDelayMs', 0),
  };
  const registry = new ConnectionRegistry();
  const failures = new ScriptedFailures();
  const replays = new ScriptedReplays();
  const tokens = new Map(Object.entries(options.tokens ?? defaultTokens()).map(([token, config]) => [token, { ...config }]));
  const lists = { ...(options.lists ?? defaultLists()) };
  const standing = new AccountStanding(tokens, options);
  const streamingPrefix = (options.streamingPath ?? '').replace(/\/$/, '');
  // The cleanup needs the publisher, made below; blocks and mutes only come once tests run.
  let cleanup: RelationshipCleanup | undefined;
  const viewers = new ViewerDirectory(options.viewers, (change) => cleanup?.apply(change));
  const store = new ContentStore(viewers.boosts);
  const switches: RuntimeSwitches = {
    healthy: true,
    trickling: false,
    timelinesAccess: mergeTimelinesAccess(openTimelinesAccess(), options.timelinesAccess),
  };
  const metrics = new StreamingMetrics();
  const updateDelay = new UpdateDelay(durations.reorderUpdatesMs);
  const screening: ScreeningContext = { viewers, timelinesAccess: () => switches.timelinesAccess, now: () => Date.now() };
  const ws = new WebSocketEndpoint(
    {
      pingIntervalMs: durations.webSocketPingIntervalMs,
      maxPayloadBytes: options.webSocketMaxPayloadBytes ?? 100 * 1024 * 1024,
      closeTimeoutMs: durations.webSocketCloseTimeoutMs,
      subscribeDelayMs: durations.webSocketSubscribeDelayMs,
      onEventSent: () => metrics.countSent('websocket'),
      errorTexts: options.streamingErrorTexts ?? 'current',
    },
    standing,
    lists,
    registry,
    screening,
  );
  const subscribers = () => [...registry.connections, ...ws.subscribers()];
  const publisher = new Publisher(subscribers, store, tokens, options.filtersChanged ?? 'drop', updateDelay, metrics, viewers, lists);
  cleanup = new RelationshipCleanup(store, lists, (target, statusId) => void publisher.publish(target, 'delete', statusId));
  const writer: WriterSettings = {
    heartbeatIntervalMs: durations.heartbeatIntervalMs,
    heartbeat: options.heartbeatStyle === 'double' ? ':thump\n\n' : ':thump\n',
    eventWrites: options.eventWrites ?? 'two',
    isTrickling: () => switches.trickling,
    onEventSent: () => metrics.countSent('eventsource'),
  };
  // The listener is created below; the REST routes only read the port once requests arrive.
  let listener: HttpListener | undefined;
  const port = (): number => listener?.port ?? 0;
  const restContext: RestContext = {
    baseUrl: () => `http://127.0.0.1:${port()}`,
    instanceFacts: () => ({
      domain: `127.0.0.1:${port()}`,
      streamingUrl: options.advertisedStreamingUrl ?? `ws://127.0.0.1:${port()}${streamingPrefix}`,
      timelinesAccess: switches.timelinesAccess,
    }),
    instanceV2Enabled: options.instanceV2 ?? true,
    tokens,
    standing,
    lists,
    store,
    timelinesAccess: () => switches.timelinesAccess,
    viewers,
    idempotencyKeys: new IdempotencyKeys(),
    canViewDisabledFeeds: (accountId) => viewers.settingsOf(accountId).canViewDisabledFeeds,
    postStatus: (partial, postOptions, sensitiveAsGiven) => publisher.postStatus(partial, postOptions, sensitiveAsGiven),
    sourceTexts: new SourceTexts(),
    deleteStatus: (id) => publisher.deleteStatus(id),
    editStatus: (id, changes, sensitiveAsGiven) => publisher.editStatus(id, changes, sensitiveAsGiven),
    notify: (accountId, notifyOptions) => publisher.notify(accountId, notifyOptions),
  };
  const router = new RequestRouter({
    streamingPrefix,
    webSocketPaths: options.webSocketPaths ?? 'streaming',
    streamingErrorTexts: options.streamingErrorTexts ?? 'current',
    subscribeDelayMs: durations.subscribeDelayMs,
    standing,
    lists,
    registry,
    writer,
    ws,
    failures,
    restContext,
    isHealthy: () => switches.healthy,
    screening,
    replays,
    renderMetrics: () =>
      metrics.render([
        ...ws.metricsConnections(),
        ...registry.connections.map((connection) => ({ transport: 'eventsource' as const, token: connection.token, accountId: connection.accountId, channels: connection.isSubscribed ? [connection] : [] })),
      ]),
  });
  registry.describeState = () => describeServerState({ connections: registry.connections, webSockets: ws.sockets, requests: router.log });
  const http = createServer((req, res) => router.handle(req, res));
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => router.upgrade(req, socket, head));
  listener = new HttpListener(http, () => ws.startPinging());
  return { switches, listener, registry, store, failures, replays, tokens, standing, publisher, ws, router, viewers, updateDelay };
}
