import type { FakeConnection, FakeWebSocket, RecordedRequest } from './types.js';

/**
 * The timeout of every `waitFor…` helper when the test gives none. Below the 5 s test timeout of
 * vitest and jest, with a second to spare for the test's own setup, so a wait that fails rejects
 * with its explanation before the runner kills the test with a bare "timed out".
 */
export const DEFAULT_WAIT_TIMEOUT_MS = 4_000;

/** How many of the latest stream requests, and of the other requests, a timeout message lists. */
const RECENT_REQUESTS = 5;

/** What a timeout message reads from the server. */
export interface ServerSnapshot {
  connections: ReadonlyArray<FakeConnection>;
  webSockets: ReadonlyArray<FakeWebSocket>;
  requests: ReadonlyArray<RecordedRequest>;
}

function describeConnection(connection: FakeConnection): string {
  const target = connection.tag === undefined ? (connection.list === undefined ? '' : ` list ${connection.list}`) : ` #${connection.tag}`;
  const state = connection.isSubscribed ? '' : ', not yet subscribed';
  return `#${connection.id} ${connection.stream}${target} (account ${connection.accountId}${state})`;
}

function describeSocket(socket: FakeWebSocket): string {
  const streams = socket.subscriptions.map((subscription) => subscription.label.join(':')).join(', ') || 'no subscriptions';
  return `#${socket.id} [${streams}] (account ${socket.accountId})`;
}

function describeRequest(request: RecordedRequest): string {
  return `${request.method} ${request.path} → ${request.status || 'unanswered'}`;
}

function isStreamRequest(request: RecordedRequest): boolean {
  return request.path.includes('/api/v1/streaming');
}

/**
 * The state a test needs when a wait times out: what is open, and how the latest stream
 * requests (and the latest others, when there are any) were answered. A timeout is almost always a client that never connected or was
 * refused (wrong token, path or scope), and only the server saw the 4xx.
 *
 * @example
 * describeServerState({ connections: [], webSockets: [], requests: [] })
 * // 'open SSE streams: none; open WebSockets: none; no streaming request arrived'
 */
export function describeServerState(snapshot: ServerSnapshot): string {
  const streams = snapshot.connections.map(describeConnection).join(', ') || 'none';
  const sockets = snapshot.webSockets.map(describeSocket).join(', ') || 'none';
  const recent = snapshot.requests.filter(isStreamRequest).slice(-RECENT_REQUESTS);
  const requests =
    recent.length === 0
      ? 'no streaming request arrived'
      : `latest streaming requests: ${recent.map(describeRequest).join(', ')}`;
  // A bot's wait for its reply times out on the REST call before it: a 404 from a route the fake
  // does not serve (verify_credentials), a 422, a scope's 403. Only the server saw those answers.
  const recentOther = snapshot.requests.filter((request) => !isStreamRequest(request)).slice(-RECENT_REQUESTS);
  const otherRequests = recentOther.length === 0 ? '' : `; latest other requests: ${recentOther.map(describeRequest).join(', ')}`;
  return `open SSE streams: ${streams}; open WebSockets: ${sockets}; ${requests}${otherRequests}`;
}
