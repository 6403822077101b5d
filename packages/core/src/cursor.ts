import { MastodonArgumentError } from './errors.js';
import type { MastodonEvent } from './events.js';
import { definedOnly } from './option-checks.js';
import { compareIds, maxId, statusIdAt } from './ids.js';
import { isStreamName, type StreamName, type StreamParams } from './stream-names.js';

/**
 * Everything needed to resume a stream with catch-up, as plain JSON. Persist
 * it (e.g. `JSON.stringify(stream.cursor())`) and pass it back as
 * `options.cursor`, even in another process.
 */
export interface StreamCursor {
  version: 1;
  stream: StreamName;
  params: StreamParams;
  /** Newest status id delivered to the consumer (for streams with a status timeline; on `direct`, of the newest conversation's last status); before any, the id of the moment the stream's coverage began. */
  lastStatusId?: string | undefined;
  /** Newest notification id delivered (`user`, `user:notification`). */
  lastNotificationId?: string | undefined;
  /** Epoch ms when the cursor was taken, by the server's clock as its last `Date` header showed it (ours before any connection). */
  takenAt: number;
}

/** Checks a cursor passed in by a user against the stream it is used for. */
export const assertCursorFits: (cursor: unknown, stream: StreamName, params: StreamParams) => asserts cursor is StreamCursor = (cursor, stream, params) => {
  const given = cursor as StreamCursor | null;
  // takenAt must be epoch ms between 2014 (before Mastodon) and 2286: anything else would backfill the whole timeline or skip the gap.
  // (Not bounded by this client's clock: a cursor carries the server's, and a client clock a day slow must still resume.)
  if (typeof given !== 'object' || given === null || given.version !== 1 || !isStreamName(given.stream) || !(given.takenAt > 14e11 && given.takenAt < 1e13)) {
    throw new MastodonArgumentError('options.cursor is not a tootstream cursor (version 1, a stream name, takenAt in epoch ms)');
  }
  const cursorLabel = labelOf(given.stream, given.params);
  const streamLabel = labelOf(stream, params);
  // Mastodon matches tags without case: a cursor taken on #Rust resumes #rust.
  if (cursorLabel.toLowerCase() !== streamLabel.toLowerCase()) throw new MastodonArgumentError(`options.cursor belongs to stream "${cursorLabel}", not "${streamLabel}"`);
  for (const id of [given.lastStatusId, given.lastNotificationId]) {
    // A leading zero would compare as a longer, so larger, id than every real one.
    if (id !== undefined && !(typeof id === 'string' && /^[1-9]\d*$/.test(id))) throw new MastodonArgumentError('options.cursor holds an id that is not a decimal string');
  }

};

/** `hashtag rust`, `list 42`, `user`: a stream and the parameter that tells its instances apart. */
const labelOf = (stream: string, params: StreamParams | undefined) => `${stream} ${params?.tag ?? params?.list ?? ''}`.trim();

/**
 * Where a stream is, for catch-up: the newest status and notification ids
 * delivered, and since when the stream has been covered (its first open, or
 * the moment a resumed cursor was taken).
 */
export interface ResumePoint {
  /** Called for every delivered event. */
  trackDelivered(event: MastodonEvent): void;
  /**
   * Refuses to page from past what the server can have issued: a resumed cursor's ids, or its `takenAt` when it has
   * no status id (tampered, or stamped by a clock gone wrong), would make each catch-up ask for nothing newer and lose
   * its gap without a word. What this stream tracked itself always passes. Called when the server's clock is known
   * from a `Date` header; a browser hides it, and the client's clock (a day slow, say) is no bound.
   */
  assertIssued(): void;
  /** The first connection opened at `epochMs` (kept only if nothing earlier covers the stream). */
  opened(epochMs: number): void;
  /**
   * The status to backfill from. Status ids are time-based, so when none was
   * delivered yet, "everything since the stream began" is itself a cursor.
   */
  statusCursor(): string | undefined;
  /** Since when the stream has been covered (epoch ms, server clock): its first open, or a resumed cursor's `takenAt`. */
  coverageStart(): number | undefined;
  notificationCursor(): string | undefined;
  toCursor(stream: StreamName, params: StreamParams, takenAt: number): StreamCursor;
}

/**
 * `serverNow` reads the server's clock (as its `Date` header showed it), which issued the ids.
 * (Closures rather than a class: local names minify where `this.#field` reads cannot.)
 */
export const resumePointFrom = (resumed: StreamCursor | undefined, serverNow: () => number): ResumePoint => {
  /** How far past the server's clock an id may point and still count as issued: clock skew, never a day. (Local and first: a minifier inlines it.) */
  const ISSUE_MARGIN_MS = 86_400_000;
  let lastStatusId = resumed?.lastStatusId;
  let lastNotificationId = resumed?.lastNotificationId;
  let coveredSince = resumed?.takenAt;
  let idCeiling = '0';

  /**
   * One bogus id (not decimal, or beyond anything the server can have issued:
   * status ids are snowflakes of its clock, other ids far smaller sequences)
   * must not move the cursor past every real id: each later catch-up would ask
   * for nothing newer and lose its gap without a word. The ceiling is
   * recomputed only when an id passes it, so the check costs no clock read.
   */
  const isIssued = (id: string): boolean =>
    /^[1-9]\d*$/.test(id) && (compareIds(id, idCeiling) <= 0 || compareIds(id, (idCeiling = statusIdAt(serverNow() + ISSUE_MARGIN_MS))) <= 0);

  const statusCursor = (): string | undefined => lastStatusId ?? (coveredSince === undefined ? undefined : statusIdAt(coveredSince));

  return {
    trackDelivered(event) {
      const payload = (event as { payload?: unknown }).payload as { id?: unknown; last_status?: { id?: unknown } | null } | null | undefined;
      // Conversations are paged by their newest status's id, so on `direct` that id is the status cursor.
      const id = event.event === 'conversation' ? payload?.last_status?.id : payload?.id;
      // Unvalidated payloads (validate: 'off') may lack an id; they cannot move a cursor.
      if (typeof id !== 'string' || !isIssued(id)) return;
      if (event.event === 'update' || event.event === 'conversation') lastStatusId = maxId(lastStatusId, id);
      else if (event.event === 'notification') lastNotificationId = maxId(lastNotificationId, id);
    },
    assertIssued() {
      if ([statusCursor(), lastNotificationId].some((id) => id && !isIssued(id))) {
        throw new MastodonArgumentError("options.cursor is more than a day ahead of the server's clock");
      }
    },
    opened(epochMs) {
      coveredSince ??= epochMs;
    },
    statusCursor,
    coverageStart: () => coveredSince,
    notificationCursor: () => lastNotificationId,
    toCursor(stream, params, takenAt) {
      // Before any status was delivered, the stream's coverage start is the cursor (as for a reconnect): `takenAt`
      // alone would skip a gap that began before it (an outage, statuses still queued behind a slow consumer).
      // An id not known is left out, not written as undefined.
      return definedOnly({ version: 1, stream, params: { ...params }, takenAt, lastStatusId: statusCursor(), lastNotificationId }) as StreamCursor;
    },
  };
};
