import type { AnyTootstreamError } from './error-union.js';

/** Where a stream is in its life. */
export type StreamState = 'idle' | 'connecting' | 'open' | 'catching-up' | 'reconnecting' | 'closed';

/** Why a stream stopped. */
export type CloseReason =
  /** The server ended the body and reconnect is off. */
  | 'ended'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The consumer left the loop (`break`, `return()`, `asyncDispose`), or `stream.close()` ended it. */
  | 'returned'
  /** A fatal error ended the iteration (it was thrown to the consumer). */
  | 'error';

/** What kinds of event a gap may have swallowed (`notifications_merged`: accepted notification requests were merged, Mastodon 4.3; refresh the notifications). */
export type GapKind = 'statuses' | 'notifications' | 'conversations' | 'deletes' | 'edits' | 'filters_changed' | 'announcements' | 'notifications_merged';

/** A stretch of time whose events could not (all) be recovered over REST. */
export interface GapInfo {
  /** `catch-up-off`: the stream has `catchUp: false`, so nothing was paged back; `kinds` names all it carries. */
  reason: 'not-recoverable' | 'budget-exhausted' | 'catch-up-failed' | 'catch-up-off';
  /** Which kinds of event may be missing. */
  kinds: readonly GapKind[];
  /** When the gap began (epoch ms on this client's clock, like `Date.now()`), if known: when the broken connection last received bytes (what was in flight after that is lost with it); for a stream resumed from a cursor, when the cursor was taken. */
  since: number | undefined;
  error?: AnyTootstreamError;
  /**
   * For `budget-exhausted` and `catch-up-failed`: where the walk over REST stopped, as the id it pages by (a status id
   * for `statuses` and, on `direct`, `conversations` by their last status; a notification id for `notifications`).
   * What it did not deliver is newer than this: page on yourself with `min_id=<afterId>` (until you meet what the
   * stream delivered live). Absent when no single id says it: a notification search (a stream that had delivered no
   * notification yet) that did not reach the gap's start, so older notifications are missing too.
   */
  afterId?: string | undefined;
}

/** One page of a catch-up run. */
export interface CatchUpProgress {
  route: 'statuses' | 'notifications' | 'conversations';
  page: number;
  /** Items fetched so far on this route in this run. */
  fetched: number;
  done: boolean;
}

/** Observability hooks. Each is optional; a hook that throws (or, if async, rejects) is reported to `onError`, never to the stream. */
export interface StreamHooks {
  onStateChange(state: StreamState): void;
  onConnecting(info: { attempt: number }): void;
  onOpen(info: { attempt: number }): void;
  /**
   * A comment line: `)` (the opening `:)`) or `thump` (Mastodon's 15 s heartbeat), in stream order: after
   * the events that came before it have been delivered (`stats.lastHeartbeatAt` is set on arrival).
   */
  onHeartbeat(comment: string): void;
  onReconnecting(info: { attempt: number; delayMs: number; error: AnyTootstreamError }): void;
  onStalled(info: { timeoutMs: number }): void;
  onCatchUpProgress(progress: CatchUpProgress): void;
  onGap(gap: GapInfo): void;
  onClose(info: { reason: CloseReason; error?: unknown }): void;
}

/** Counters and timestamps of a stream, readable at any time. */
export interface StreamStats {
  state: StreamState;
  /** Successful reconnections (connections opened after the first). */
  reconnects: number;
  /** Epoch ms of the last delivered event. */
  lastEventAt: number | undefined;
  /** Epoch ms of the last comment line (`:)` or `:thump`). */
  lastHeartbeatAt: number | undefined;
  /** Events delivered, live and catch-up. */
  eventsDelivered: number;
  /** Duplicates suppressed. */
  duplicatesDropped: number;
}
