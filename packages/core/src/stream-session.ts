import { onAbort, sleep, untilAborted } from './clock.js';
import { ResumePoint, type StreamCursor } from './cursor.js';
import { EventDeduplicator } from './dedupe.js';
import { MastodonMalformedEventError, MastodonReconnectExhaustedError, type TootstreamError } from './errors.js';
import { loadEventDecoder, type EventDecoder } from './event-decoder.js';
import { EventQueue } from './event-queue.js';
import type { MastodonEvent } from './events.js';
import { DEFAULT_CATCH_UP_POLICY, type CatchUpPolicy } from './options.js';
import { isRetryable, resolveReconnectPolicy, RetryBudget } from './reconnect-policy.js';
import { oneAtATime } from './one-at-a-time.js';
import type { SessionContext } from './session-context.js';
import { SseConnection, type StallLimits } from './sse-connection.js';
import { createSseParser, type SseParser } from './sse-parser.js';
import { kindsCarried } from './stream-names.js';
import { StreamEndedError } from './stream-observer.js';
import type { CloseReason } from './stream-hooks.js';
import type { Backfill } from './catch-up-run.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * One iteration of a stream: connects lazily, reads only as fast as the
 * consumer pulls, reconnects with backoff, backfills gaps, drops duplicates.
 */
export class StreamSession implements AsyncIterator<MastodonEvent, undefined> {
  readonly #context: SessionContext;
  readonly #lifetime = new AbortController();
  #decoder: EventDecoder | undefined;
  readonly #dedupe: EventDeduplicator | undefined;
  readonly #retries: RetryBudget | undefined; // undefined when reconnecting is off
  readonly #catchUpPolicy: CatchUpPolicy | undefined;
  readonly #stallLimits: StallLimits;
  readonly #detachUserSignal: () => void;
  readonly #queue = new EventQueue();
  #connection: SseConnection | undefined;
  #parser: SseParser | undefined;
  #backfill: Backfill | undefined;
  #finished = false;
  #terminalError: unknown;
  #lastFailure: TootstreamError | undefined;
  /** Where the current gap begins: the last bytes received before the connection broke, or the first failed attempt. */
  #disconnectedAt: number | undefined;
  /** A resume cursor's `takenAt` (server clock; `#disconnectedAt` is on this client's), until its catch-up has run. */
  #resumedFrom: number | undefined;
  #connections = 0;
  #openedAt = 0;
  // Coverage times feed `min_id` (status ids are the server's milliseconds), so they are kept on the server's clock, as its last Date header gave it.
  #serverClockOffsetMs = 0;
  #needsCatchUp = false;
  readonly #resumePoint: ResumePoint;

  constructor(context: SessionContext) {
    this.#context = context;
    context.liveSessions.add(this);
    const { settledOptions: options } = context;
    this.#dedupe = options.dedupe === false ? undefined : new EventDeduplicator(options.dedupe?.capacity ?? options.dedupeCapacity);
    this.#retries = options.reconnect === false ? undefined : new RetryBudget(resolveReconnectPolicy(options.reconnect));
    this.#catchUpPolicy = options.catchUp === false ? undefined : ({ ...DEFAULT_CATCH_UP_POLICY, ...options.catchUp } as CatchUpPolicy); // settled: no field is undefined
    const stall = options.stallTimeoutMs;
    this.#stallLimits = [options.stallTimeoutBeforeHeartbeatMs ?? stall, stall];
    this.#resumedFrom = options.cursor?.takenAt;
    this.#needsCatchUp = this.#resumedFrom !== undefined;
    this.#resumePoint = new ResumePoint(options.cursor, () => this.#context.clockSource.now() + this.#serverClockOffsetMs);
    this.#detachUserSignal = onAbort(options.signal, () => this.#finish('aborted'));
    if (options.signal?.aborted) this.#finish('aborted');
  }

  /** Pulls one at a time (see {@link oneAtATime}). */
  readonly next = oneAtATime(() => this.#pull());

  async #pull(): Promise<IteratorResult<MastodonEvent, undefined>> {
    for (;;) {
      const value = this.#queue.nextEvent();
      if (value !== undefined) {
        // The cursor moves when the consumer gets an event, not when it is queued: a cursor persisted after handling
        // one event of a network read (or a catch-up page) must not cover the rest of it. A reconnect's catch-up
        // starts with the queue empty, so it asks for nothing that is still waiting here.
        this.#resumePoint.trackDelivered(value);
        this.#context.streamObserver.delivered(this.#context.clockSource.now());
        return { done: false, value };
      }
      if (this.#finished) {
        const error = this.#terminalError;
        this.#terminalError = undefined;
        if (error !== undefined) throw error;
        return DONE;
      }
      await this.#advance();
    }
  }

  async return(): Promise<IteratorResult<MastodonEvent, undefined>> {
    this.#finish('returned');
    return DONE;
  }

  /** The resume state, as plain JSON, stamped at `clientTime` (now) by the server's clock. */
  cursor(clientTime = this.#context.clockSource.now()): StreamCursor {
    const { name, params } = this.#context.resolvedRequest;
    return this.#resumePoint.toCursor(name, params, clientTime + this.#serverClockOffsetMs);
  }

  /** Where a later loop goes on from: this loop's cursor as of its last bytes (its gap starts there); none while it runs (a loop beside it consumes on its own) or if it never opened (no gap). */
  resumeCursor(): StreamCursor | undefined {
    return this.#finished && this.#connections > 0 ? this.cursor(this.#disconnectedAt) : undefined;
  }

  async #advance(): Promise<void> {
    if (this.#connection === undefined || this.#parser === undefined) {
      await this.#connect();
      return;
    }
    if (this.#backfill !== undefined) {
      await this.#deliverBackfill(this.#backfill);
      return;
    }
    const connection = this.#connection;
    let chunk: Uint8Array | null;
    try {
      chunk = await connection.readChunk();
      if (chunk === null) {
        this.#onConnectionLost(new StreamEndedError());
        return;
      }
      const switchingParser = this.#parser.feed(chunk);
      if (switchingParser !== undefined) await switchingParser;
    } catch (error) {
      this.#onConnectionLost(error);
    }
  }

  async #connect(): Promise<void> {
    for (;;) {
      if (this.#finished) return;
      if (this.#lastFailure !== undefined && !(await this.#waitBeforeRetry(this.#lastFailure))) return;
      this.#context.streamObserver.attemptStarted(this.#attemptNumber());
      try {
        const decoder = (this.#decoder ??= await loadEventDecoder(this.#context.resolvedRequest.streamLabel, this.#context.settledOptions.validate));
        // The decoder may have loaded a chunk: a stream closed meanwhile must not call accessToken() any more.
        if (this.#finished) return;
        const attempt = await untilAborted(this.#context.prepareAttempt(this.#lifetime.signal), this.#lifetime.signal);
        const connection = await SseConnection.openStream(attempt.connectionRequest, this.#lifetime.signal, this.#context.settledOptions.connectTimeoutMs, this.#stallLimits, this.#context.streamObserver);
        if (this.#finished) return connection.closeNow();
        this.#connection = connection;
        this.#parser = createSseParser(
          {
            onSseMessage: (eventName, data) => this.#accept(decoder.decodeMessage(eventName, data, 'live')),
            onComment: (text) => {
              if (this.#finished) return;
              if (text !== ')') connection.heartbeat();
              this.#context.streamObserver.heartbeatArrived(this.#context.clockSource.now());
              this.#queue.queueReport(() => this.#context.streamObserver.heartbeat(text));
            },
            onInvalidUtf8: (eventName, data, issue) => this.#accept(new MastodonMalformedEventError(eventName, data, [issue])),
          },
          this.#context.settledOptions.maxEventBytes,
          { reportInvalidUtf8: this.#context.settledOptions.invalidUtf8 === 'report' },
        );
        this.#serverClockOffsetMs = connection.serverClockOffsetMs ?? this.#serverClockOffsetMs;
        // Before the connection counts as opened: a refused cursor leaves no coverage (and no resume cursor) behind.
        if (connection.serverClockOffsetMs !== undefined) this.#resumePoint.assertIssued();
        this.#connections++;
        this.#openedAt = this.#context.clockSource.now();
        this.#resumePoint.opened(this.#openedAt + this.#serverClockOffsetMs);
        this.#context.streamObserver.opened(this.#attemptNumber(), this.#connections > 1);
        if (this.#needsCatchUp) await this.#catchUp(attempt.apiBase, attempt.connectionRequest.requestHeaders, decoder);
        this.#needsCatchUp = false;
        return;
      } catch (error) {
        // A failure after the connection opened (its catch-up's REST chunk did not load) must not leave it open behind the next one.
        this.#closeConnection();
        if (this.#finished) return;
        if (this.#retries === undefined || !isRetryable(error)) {
          this.#finishWithError(error);
          return;
        }
        this.#recordFailure(error);
      }
    }
  }

  /** Sleeps the backoff delay; false when the stream ended meanwhile or the policy gave up. */
  async #waitBeforeRetry(failure: TootstreamError): Promise<boolean> {
    const retries = this.#retries;
    if (retries === undefined) return false;
    const delayMs = retries.spend(this.#context.clockSource.now(), this.#context.randomSource, (failure as { retryAfterMs?: number }).retryAfterMs);
    if (delayMs === undefined) {
      this.#finishWithError(new MastodonReconnectExhaustedError(retries.spent, { cause: failure }));
      return false;
    }
    this.#context.streamObserver.retryScheduled({ attempt: retries.spent, delayMs, error: failure });
    await sleep(delayMs, this.#lifetime.signal, this.#context.clockSource);
    return !this.#finished;
  }

  #recordFailure(failure: TootstreamError): void {
    const now = this.#context.clockSource.now();
    this.#lastFailure = failure;
    this.#retries?.failedAt(now);
    // Before the first open nothing was covered (coverage starts when the stream opens): no gap.
    if (this.#connections > 0) {
      this.#disconnectedAt ??= now;
      this.#needsCatchUp = true;
    }
  }

  #onConnectionLost(error: unknown): void {
    const lastReceivedAt = this.#connection?.lastReceivedAt;
    this.#closeConnection();
    if (this.#finished) return;
    const retries = this.#retries;
    // A clean end is retryable: it ends the loop only when reconnecting is off.
    if (retries === undefined || !isRetryable(error)) {
      if (error instanceof StreamEndedError) this.#finish('ended');
      else this.#finishWithError(error);
      return;
    }
    retries.lost(this.#openedAt, this.#context.clockSource.now());
    this.#disconnectedAt = lastReceivedAt;
    this.#recordFailure(error);
  }

  #accept(decoded: MastodonEvent | MastodonMalformedEventError): void {
    if (this.#finished) return; // A malformed event under 'throw' ended the session mid-read: the rest of the read is dropped.
    if (decoded instanceof Error) {
      if (this.#context.settledOptions.malformedEvents === 'throw') {
        this.#closeConnection();
        this.#finishWithError(decoded);
        return;
      }
      this.#queue.queueReport(() => this.#context.streamObserver.errorOccurred(decoded));
      return;
    }
    if (this.#dedupe !== undefined && !this.#dedupe.admit(decoded)) {
      this.#context.streamObserver.duplicate();
      return;
    }
    if (decoded.source === 'live') this.#retries?.delivered();
    this.#queue.queueEvent(decoded);
  }

  /** Starts the REST backfill; its batches are delivered as the consumer pulls, before the live connection is read. */
  async #catchUp(apiBase: string, headers: Record<string, string>, decoder: EventDecoder): Promise<void> {
    const { streamObserver, resolvedRequest } = this.#context;
    const since = this.#resumedFrom === undefined ? this.#disconnectedAt : this.#resumedFrom - this.#serverClockOffsetMs;
    // Nothing is paged back, but the consumer may refetch what the gap held: it is told, as a gap of everything.
    if (!this.#catchUpPolicy) {
      streamObserver.gapFound({ reason: 'catch-up-off', kinds: kindsCarried(resolvedRequest.name), since });
      this.#disconnectedAt = this.#resumedFrom = undefined;
      return;
    }
    streamObserver.catchingUp();
    const rest = await this.#context.loadRest();
    if (this.#finished) return;
    this.#backfill = rest.catchUp({ ...this.#context /* its request, clock and observer */, apiBase, requestHeaders: headers, catchUpPolicy: this.#catchUpPolicy, signal: this.#lifetime.signal, decoder, gapSince: since, resumePoint: this.#resumePoint });
  }

  async #deliverBackfill(backfill: Backfill): Promise<void> {
    const batch = await backfill.next();
    if (this.#finished) return;
    if (batch !== undefined) for (const decoded of batch) this.#accept(decoded);
    else {
      this.#backfill = this.#disconnectedAt = this.#resumedFrom = undefined;
      this.#context.streamObserver.opened(this.#attemptNumber(), false, true);
    }
  }

  #attemptNumber(): number {
    return (this.#retries?.spent ?? 0) + 1;
  }

  #closeConnection(): void {
    this.#connection?.closeNow();
    this.#connection = this.#parser = this.#backfill = undefined;
  }

  #finishWithError(error: unknown): void {
    this.#terminalError = error;
    this.#finish('error', error);
  }

  #finish(reason: CloseReason, error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#context.liveSessions.delete(this);
    if (reason === 'returned' || reason === 'aborted') this.#queue.discardAll();
    this.#closeConnection();
    this.#lifetime.abort();
    this.#detachUserSignal();
    this.#context.streamObserver.sessionClosed(reason, error);
  }
}
