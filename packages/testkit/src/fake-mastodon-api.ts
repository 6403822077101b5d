import type { NotificationJson, StatusJson } from './entities.js';
import type { NotifyOptions, PostStatusOptions } from './publisher.js';
import type {
  ConnectionFilter,
  FakeConnection,
  PublishTarget,
  RecordedRequest,
  ScriptedFailure,
  StreamName,
} from './types.js';

/**
 * A running fake Mastodon 4.5.7 server (streaming API + the REST endpoints used for discovery
 * and catch-up) on 127.0.0.1. Create it with {@link createFakeMastodon}.
 */
export interface FakeMastodon {
  /** `http://127.0.0.1:PORT`; REST and streaming share this origin. */
  readonly url: string;
  readonly port: number;
  /** Currently open SSE streams. */
  readonly connections: ReadonlyArray<FakeConnection>;
  /** SSE requests answered with 200 so far. */
  readonly totalConnections: number;
  /** Every request received, in order. */
  readonly requests: ReadonlyArray<RecordedRequest>;

  /** Stops listening, destroys every socket and clears every timer. Idempotent. */
  close(): Promise<void>;

  /** Resolves with the first open, subscribed connection matching `predicate`. */
  waitForConnection(predicate?: ConnectionFilter, options?: { timeoutMs?: number }): Promise<FakeConnection>;
  /** Resolves once exactly `count` SSE streams are open. */
  waitForConnectionCount(count: number, options?: { timeoutMs?: number }): Promise<void>;

  /** Raw delivery of one event to connections on exactly that channel; returns the delivery count. */
  publish(target: StreamName | PublishTarget, event: string, payload?: unknown): number;
  /** Creates, stores and fans out a new status (`update`). */
  postStatus(partial?: Record<string, unknown>, options?: PostStatusOptions): StatusJson;
  /** Changes a stored status, sets `edited_at` and fans out `status.update`. */
  editStatus(id: string, changes?: Record<string, unknown>): StatusJson;
  /** Removes a stored status and fans out `delete` with the bare id; false if unknown. */
  deleteStatus(id: string): boolean;
  /** Creates a notification for `accountId` and sends it to its `user` and `user:notification` streams. */
  notify(accountId: string, options?: NotifyOptions): NotificationJson;
  /** Sends a `conversation` event to the `direct` streams of `accountId`. */
  conversation(accountId: string, partial?: Record<string, unknown>): Record<string, unknown>;
  /** Writes raw bytes (as one chunk) to live SSE connections. */
  pushRaw(bytes: string | Uint8Array, filter?: ConnectionFilter): void;

  /** Ends streams cleanly with the chunked terminator, like a token kill. */
  endStreams(filter?: ConnectionFilter): void;
  /** Ends the token's streams cleanly and answers later connects with 401 `Invalid access token`. */
  revokeToken(token: string): void;
  /** Destroys sockets without the terminator; `midFrame` writes half an event first. */
  dropConnections(filter?: ConnectionFilter, options?: { midFrame?: boolean }): void;
  /** Stops all output (events, heartbeats, terminator) to the connections; sockets stay open. */
  stall(filter?: ConnectionFilter): void;
  /** Undoes {@link stall}. */
  resume(filter?: ConnectionFilter): void;
  /** While on, SSE output is written one byte per chunk, one event-loop turn apart. */
  trickle(enabled: boolean): void;
  /** Scripts the answer to the next matching request(s). */
  failNext(failure: ScriptedFailure): void;
  /** Drops every connection, stops listening, and listens again on the same port after `downMs`. */
  restart(options: { downMs: number }): Promise<void>;
  /** Health endpoint answers 200 `OK` when healthy, 503 otherwise. */
  setHealthy(healthy: boolean): void;
}
