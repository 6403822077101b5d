import { onAbort, sleep, untilAborted } from './clock.js';
import { resumePointFrom, type StreamCursor } from './cursor.js';
import { eventDeduplicator } from './dedupe.js';
import { MastodonMalformedEventError, MastodonReconnectExhaustedError, type TootstreamError } from './errors.js';
import { loadEventDecoder, type EventDecoder } from './event-decoder.js';
import { eventQueue } from './event-queue.js';
import type { MastodonEvent } from './events.js';
import { DEFAULT_CATCH_UP_POLICY, type CatchUpPolicy } from './options.js';
import { isRetryable, retryBudget } from './reconnect-policy.js';
import { oneAtATime } from './one-at-a-time.js';
import type { SessionContext } from './session-context.js';
import { openStream, type SseConnection } from './sse-connection.js';
import { createSseParser, type SseParser } from './sse-parser.js';
import { kindsCarried } from './stream-names.js';
import { StreamEndedError } from './stream-ended-error.js';
import type { CloseReason, GapInfo } from './stream-hooks.js';
import type { Backfill } from './catch-up-run.js';
import type { AnyTootstreamError } from './error-union.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** One iteration of a stream, as the iterator a `for await` loop drives. */
export interface StreamSession extends AsyncIterator<MastodonEvent, undefined> {
  next(): Promise<IteratorResult<MastodonEvent, undefined>>;
  return(): Promise<IteratorResult<MastodonEvent, undefined>>;
  /** The resume state, as plain JSON, stamped at `clientTime` (now) by the server's clock. */
  cursor(clientTime?: number): StreamCursor;
  /** Where a later loop goes on from: this loop's cursor as of its last bytes (its gap starts there); none while it runs (a loop beside it consumes on its own) or if it never opened (no gap). */
  resumeCursor(): StreamCursor | undefined;
}

/**
 * Starts one iteration of a stream: connects lazily, reads only as fast as the
 * consumer pulls, reconnects with backoff, backfills gaps, drops duplicates.
 * (Closures rather than a class: local names minify where `this.#field` reads cannot.)
 */
export const startSession = (context: SessionContext): StreamSession => {
  const { settledOptions: options, clockSource: clock, streamObserver: observer, resolvedRequest: request } = context;
  const lifetime = new AbortController();
  const queue = eventQueue();
  const dedupe = options.dedupe === false ? undefined : eventDeduplicator(options.dedupe?.capacity ?? options.dedupeCapacity);
  const retries = options.reconnect === false ? undefined : retryBudget(options.reconnect); // undefined when reconnecting is off
  const catchUpPolicy = options.catchUp === false ? undefined : ({ ...DEFAULT_CATCH_UP_POLICY, ...options.catchUp } as CatchUpPolicy); // settled: no field is undefined
  let decoder: EventDecoder | undefined;
  let connection: SseConnection | undefined;
  let parser: SseParser | undefined;
  let backfill: Backfill | undefined;
  let finished = false;
  let terminalError: unknown;
  let lastFailure: TootstreamError | undefined;
  /** Where the current gap begins: the last bytes received before the connection broke, or the first failed attempt. */
  let disconnectedAt: number | undefined;
  /** A resume cursor's `takenAt` (server clock; `disconnectedAt` is on this client's), until its catch-up has run. */
  let resumedFrom = options.cursor?.takenAt;
  let connections = 0;
  let openedAt = 0;
  // Coverage times feed `min_id` (status ids are the server's milliseconds), so they are kept on the server's clock, as its last Date header gave it.
  let serverClockOffsetMs = 0;
  let needsCatchUp = resumedFrom !== undefined;
  const resumePoint = resumePointFrom(options.cursor, () => clock.now() + serverClockOffsetMs);

  const pull = async (): Promise<IteratorResult<MastodonEvent, undefined>> => {
    for (;;) {
      const value = queue.nextEvent();
      if (value !== undefined) {
        // The cursor moves when the consumer gets an event, not when it is queued: a cursor persisted after handling
        // one event of a network read (or a catch-up page) must not cover the rest of it. A reconnect's catch-up
        // starts with the queue empty, so it asks for nothing that is still waiting here.
        resumePoint.trackDelivered(value);
        observer.delivered(clock.now());
        return { done: false, value };
      }
      if (finished) {
        const error = terminalError;
        terminalError = undefined;
        if (error !== undefined) throw error;
        return DONE;
      }
      await advance();
    }
  };

  const cursor = (clientTime = clock.now()): StreamCursor => {
    return resumePoint.toCursor(request.name, request.params, clientTime + serverClockOffsetMs);
  };

  const advance = async (): Promise<void> => {
    if (connection === undefined || parser === undefined) {
      await connect();
      return;
    }
    if (backfill !== undefined) {
      await deliverBackfill(backfill);
      return;
    }
    const current = connection;
    let chunk: Uint8Array | null;
    try {
      chunk = await current.readChunk();
      if (chunk === null) {
        onConnectionLost(new StreamEndedError());
        return;
      }
      const switchingParser = parser.feed(chunk);
      if (switchingParser !== undefined) await switchingParser;
    } catch (error) {
      onConnectionLost(error);
    }
  };

  const connect = async (): Promise<void> => {
    for (;;) {
      if (finished) return;
      if (lastFailure !== undefined && !(await waitBeforeRetry(lastFailure))) return;
      observer.attemptStarted(attemptNumber());
      try {
        const loaded = (decoder ??= await loadEventDecoder(request.streamLabel, options.validate));
        // The decoder may have loaded a chunk: a stream closed meanwhile must not call accessToken() any more.
        if (finished) return;
        const attempt = await untilAborted(context.prepareAttempt(lifetime.signal), lifetime.signal);
        const opened = await openStream(attempt, lifetime.signal, options, observer);
        if (finished) return opened.closeNow();
        connection = opened;
        parser = createSseParser(
          {
            onSseMessage: (eventName, data) => accept(loaded.decodeMessage(eventName, data, 'live')),
            onComment: (text) => {
              if (finished) return;
              // A heartbeat (anything but the `:)` opener) means the server kept the connection for its interval (Mastodon:
              // 15 s), so it was healthy: a quiet stream that a proxy ends every 30 s must not back off as if it failed. And
              // what follows it was written after the catch-up's REST answers, which dedupe needs to know (see heartbeat()).
              if (text !== ')') {
                opened.heartbeat();
                retries?.delivered();
                dedupe?.heartbeat();
              }
              observer.heartbeatArrived(clock.now());
              queue.queueReport(() => observer.callHook('onHeartbeat', text));
            },
            onInvalidUtf8: (eventName, data, issue) => accept(new MastodonMalformedEventError(eventName, data, [issue])),
          },
          options.maxEventBytes,
          options.invalidUtf8 === 'report',
        );
        if (opened.serverClockOffsetMs !== undefined) {
          serverClockOffsetMs = opened.serverClockOffsetMs;
          // Before the connection counts as opened: a refused cursor leaves no coverage (and no resume cursor) behind.
          resumePoint.assertIssued();
        }
        connections++;
        openedAt = clock.now();
        resumePoint.opened(openedAt + serverClockOffsetMs);
        observer.opened(attemptNumber(), connections > 1);
        if (needsCatchUp) await catchUp(attempt.requestHeaders);
        needsCatchUp = false;
        return;
      } catch (error) {
        // A failure after the connection opened (a resumed cursor the server's clock refuses) must not leave it open behind the next one.
        closeConnection();
        if (finished) return;
        if (retries === undefined || !isRetryable(error)) {
          finishWithError(error);
          return;
        }
        recordFailure(error);
      }
    }
  };

  /** Sleeps the backoff delay; false when the stream ended meanwhile or the policy gave up. */
  const waitBeforeRetry = async (failure: TootstreamError): Promise<boolean> => {
    if (retries === undefined) return false;
    const delayMs = retries.spend(clock.now(), context.randomSource, (failure as { retryAfterMs?: number }).retryAfterMs);
    if (delayMs === undefined) {
      finishWithError(new MastodonReconnectExhaustedError(retries.spent(), { cause: failure }));
      return false;
    }
    observer.retryScheduled({ attempt: retries.spent(), delayMs, error: failure });
    await sleep(delayMs, lifetime.signal, clock);
    return !finished;
  };

  const recordFailure = (failure: TootstreamError): void => {
    const now = clock.now();
    lastFailure = failure;
    retries?.failedAt(now);
    // Before the first open nothing was covered (coverage starts when the stream opens): no gap.
    if (connections > 0) {
      disconnectedAt ??= now;
      needsCatchUp = true;
    }
  };

  const onConnectionLost = (error: unknown): void => {
    const lastReceivedAt = connection?.lastReceivedAt;
    closeConnection();
    if (finished) return;
    // A clean end is retryable: it ends the loop only when reconnecting is off.
    if (retries === undefined || !isRetryable(error)) {
      if (error instanceof StreamEndedError) finish('ended');
      else finishWithError(error);
      return;
    }
    retries.lost(openedAt, clock.now());
    disconnectedAt = lastReceivedAt;
    recordFailure(error);
  };

  const accept = (decoded: MastodonEvent | MastodonMalformedEventError): void => {
    if (finished) return; // A malformed event under 'throw' ended the session mid-read: the rest of the read is dropped.
    if (decoded instanceof Error) {
      if (options.malformedEvents === 'throw') {
        closeConnection();
        finishWithError(decoded);
        return;
      }
      queue.queueReport(() => observer.errorOccurred(decoded));
      return;
    }
    // Before dedupe: a live event the catch-up had delivered first still shows that its connection delivers.
    if (decoded.source === 'live') retries?.delivered();
    if (dedupe !== undefined && !dedupe.admit(decoded)) {
      observer.duplicate();
      return;
    }
    queue.queueEvent(decoded);
  };

  /** Starts the REST backfill; its batches are delivered as the consumer pulls, before the live connection is read. */
  const catchUp = async (headers: Record<string, string>): Promise<void> => {
    const since = resumedFrom === undefined ? disconnectedAt : resumedFrom - serverClockOffsetMs;
    // Nothing is paged back, but the consumer may refetch what the gap held: it is told, as a gap of everything.
    const skipCatchUp = (gap: Omit<GapInfo, 'kinds' | 'since'>): void => {
      observer.callHook('onGap', { ...gap, kinds: kindsCarried(request.name), since });
      disconnectedAt = resumedFrom = undefined;
    };
    if (!catchUpPolicy) return skipCatchUp({ reason: 'catch-up-off' });
    observer.catchingUp();
    // A REST chunk that does not load (an app redeployed without its old chunks) fails the backfill, as a REST answer
    // that fails it does: the live stream goes on. Retried as a connect failure, it never delivered again.
    const rest = await context.loadRest().catch((error: AnyTootstreamError) => {
      // Closed meanwhile: onClose was the last hook.
      if (finished) return;
      observer.errorOccurred(error);
      skipCatchUp({ reason: 'catch-up-failed', error });
      observer.opened(attemptNumber(), false, true);
    });
    if (finished || !rest) return;
    // The decoder is the one connect() loaded before this connection opened.
    backfill = rest.catchUp({ ...context /* its request, API base, clock and observer */, requestHeaders: headers, catchUpPolicy, signal: lifetime.signal, decoder: decoder as EventDecoder, gapSince: since, serverClockOffsetMs, resumePoint });
  };

  const deliverBackfill = async (current: Backfill): Promise<void> => {
    const batch = await current.next();
    if (finished) return;
    if (batch !== undefined) for (const decoded of batch) accept(decoded);
    else {
      backfill = disconnectedAt = resumedFrom = undefined;
      observer.opened(attemptNumber(), false, true);
    }
  };

  const attemptNumber = (): number => (retries?.spent() ?? 0) + 1;

  const closeConnection = (): void => {
    connection?.closeNow();
    connection = parser = backfill = undefined;
  };

  const finishWithError = (error: unknown): void => {
    terminalError = error;
    finish('error', error);
  };

  const finish = (reason: CloseReason, error?: unknown): void => {
    if (finished) return;
    finished = true;
    context.liveSessions.delete(session);
    if (reason === 'returned' || reason === 'aborted') queue.discardAll();
    closeConnection();
    lifetime.abort();
    detachUserSignal();
    observer.sessionClosed(reason, error);
  };

  const session: StreamSession = {
    /** Pulls one at a time (see {@link oneAtATime}). */
    next: oneAtATime(pull),
    async return() {
      finish('returned');
      return DONE;
    },
    cursor,
    resumeCursor: () => (finished && connections > 0 ? cursor(disconnectedAt) : undefined),
  };
  context.liveSessions.add(session);
  const detachUserSignal = onAbort(options.signal, () => finish('aborted'));
  if (options.signal?.aborted) finish('aborted');
  return session;
};
