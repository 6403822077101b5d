import { onAbort, type Clock } from './clock.js';
import { MastodonNetworkError, MastodonStallError } from './errors.js';
import { loadKitUser } from './chunk-loader.js';
import { toNetworkError } from './http-errors.js';
import type { StreamObserver } from './stream-observer.js';

/** Everything needed to open one SSE connection. */
export interface ConnectionRequest {
  streamUrl: URL;
  requestHeaders: Record<string, string>;
  fetchStream: typeof fetch;
  clockSource: Clock;
}

/**
 * How many chunks reading runs ahead of the consumer. Node's fetch (undici)
 * pauses its HTTP parser whenever a chunk arrives with no read waiting, and
 * on every resume copies what its socket buffered meanwhile; a consumer slower
 * than the server, pulling one chunk at a time, made that happen for every
 * chunk, and the dead copies (30–40 MB between two collections in the
 * slow-consumer bench) set peak RSS. Reading on until this many chunks wait,
 * and resuming only once all are taken, pauses the parser once per this many
 * chunks instead. Counted in chunks, not bytes, to keep the bundle small: a
 * chunk is one socket read, at most 64 KB.
 */
/** The stall limit before the connection's first heartbeat, and from it on (ms; 0 disables). */
export type StallLimits = readonly [beforeHeartbeatMs: number, afterHeartbeatMs: number];

const READ_AHEAD_CHUNKS = 4;

/**
 * One HTTP response carrying an event stream. It reads at most
 * READ_AHEAD_CHUNKS ahead of `readChunk()`, which is what gives the iterator its
 * backpressure, and it runs the stall watchdog only while `readChunk()` waits, so
 * a slow consumer is never mistaken for a dead server.
 */
export class SseConnection {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #ahead: Uint8Array[] = [];
  /** The read in flight; it settles into `#ahead` or `#end`. */
  #pending: Promise<void> | undefined;
  /** Set once the body ended: returns null (ended cleanly or cancelled) or throws the stall or read error. */
  #end: (() => null) | undefined;
  readonly #controller: AbortController;
  readonly #detachParent: () => void;
  readonly #clock: Clock;
  /** A user's fetch may quote the request in a failed read's text; its token is cut from the error. */
  readonly #requestHeaders: Record<string, string>;
  #closed = false;
  #watchdog: unknown;
  /** Silence while `readChunk()` waits that counts as a dead connection; 0 disables the watchdog. */
  #stallTimeoutMs: number;
  /** The limit from the first heartbeat on (see {@link heartbeat}). */
  readonly #stallTimeoutAfterHeartbeatMs: number;
  /** Told when the watchdog gives the connection up. */
  readonly #observer: Pick<StreamObserver, 'stallDetected'>;
  /** When `readChunk()` began waiting (clock time); undefined while it does not wait. */
  #readStartedAt: number | undefined;
  /**
   * The server's clock minus ours, from the response's `Date` header (whole
   * seconds, so it errs early by up to a second); undefined without one.
   */
  declare readonly serverClockOffsetMs: number | undefined;
  /**
   * When bytes last came out of `fetch` into this connection (clock time; the
   * open time before any did). If the connection breaks, what `fetch` still
   * held is gone (WHATWG streams empty their queue on error), so a gap starts
   * here, not when the break is noticed.
   */
  declare lastReceivedAt: number;

  private constructor(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    controller: AbortController,
    detachParent: () => void,
    clock: Clock,
    requestHeaders: Record<string, string>,
    serverClockOffsetMs: number | undefined,
    [stallTimeoutMs, stallTimeoutAfterHeartbeatMs]: StallLimits,
    observer: Pick<StreamObserver, 'stallDetected'>,
  ) {
    this.#reader = reader;
    this.#controller = controller;
    this.#detachParent = detachParent;
    this.#clock = clock;
    this.#requestHeaders = requestHeaders;
    this.serverClockOffsetMs = serverClockOffsetMs;
    this.lastReceivedAt = clock.now();
    this.#stallTimeoutMs = stallTimeoutMs;
    this.#stallTimeoutAfterHeartbeatMs = stallTimeoutAfterHeartbeatMs;
    this.#observer = observer;
    // A device that slept kept its timers but lost its connections: the watchdog's
    // timer would only fire up to `stallTimeoutMs` after waking. Browsers announce
    // a wake (or a network change) with these events; the check then runs at once,
    // and the time slept counts, since the clock is wall-clock time.
    this.#listenForWake('addEventListener');
  }

  /**
   * Sends the request and checks the response. Throws MastodonApiError for an
   * HTTP error status, MastodonContentTypeError for a non-SSE body,
   * MastodonNetworkError when no response arrives and MastodonArgumentError
   * when the user's fetch resolves to something that is not a Response. If `parent` aborts, the
   * request is cancelled and whatever is thrown should be ignored by the caller.
   */
  static async openStream(request: ConnectionRequest, parent: AbortSignal, connectTimeoutMs: number, stallLimits: StallLimits, observer: Pick<StreamObserver, 'stallDetected'>): Promise<SseConnection> {
    const controller = new AbortController();
    const detachParent = onAbort(parent, () => controller.abort(parent.reason));
    if (parent.aborted) controller.abort(parent.reason);
    // A server (or proxy) that accepts the connection but never answers would
    // otherwise hold the stream forever: the stall watchdog needs a body.
    let timedOut = false;
    const connectTimer =
      connectTimeoutMs > 0
        ? request.clockSource.setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, connectTimeoutMs)
        : undefined;
    let response: Response;
    try {
      response = await request.fetchStream(request.streamUrl, {
        headers: request.requestHeaders,
        signal: controller.signal,
        credentials: 'omit',
      });
    } catch (error) {
      detachParent();
      if (timedOut) throw new MastodonNetworkError(`no response headers within ${connectTimeoutMs} ms`, { cause: error, phase: 'connect' });
      throw toNetworkError(error, 'connect', request.requestHeaders);
    } finally {
      if (connectTimer !== undefined) request.clockSource.clearTimeout(connectTimer);
    }
    try {
      // The user's fetch may resolve to anything: api-errors.ts turns what is not a Response into an argument error.
      if (!response?.ok || !response.headers?.get?.('content-type')?.toLowerCase().startsWith('text/event-stream')) {
        throw await (await loadKitUser(() => import('./api-errors.js'))).default(response, request);
      }
      if (!response.body) throw new MastodonNetworkError('response has no body');
      // Without the header, get() gives null, which parses (as 'null') to NaN like any unreadable date.
      const serverDate = Date.parse(response.headers.get('date') as string);
      const offset = Number.isNaN(serverDate) ? undefined : serverDate - request.clockSource.now();
      return new SseConnection(response.body.getReader(), controller, detachParent, request.clockSource, request.requestHeaders, offset, stallLimits, observer);
    } catch (error) {
      detachParent();
      controller.abort();
      response?.body?.cancel().catch(() => {});
      throw error;
    }
  }

  /**
   * The next chunk of bytes, or `null` when the server ended the body cleanly.
   * Throws MastodonStallError when the watchdog fired, MastodonNetworkError when
   * the connection broke.
   */
  async readChunk(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.#ahead.shift();
      if (chunk) {
        // Reading resumes only once everything read ahead is taken (READ_AHEAD_CHUNKS).
        if (!this.#ahead.length) void this.#readAhead();
        return chunk;
      }
      if (this.#end) return this.#end();
      if (this.#stallTimeoutMs > 0) {
        this.#readStartedAt = this.#clock.now();
        if (this.#watchdog === undefined) this.#armWatchdog(this.#stallTimeoutMs);
      }
      await this.#readAhead();
      this.#readStartedAt = undefined;
    }
  }

  /** Starts a read unless one is in flight; the promise never rejects. */
  #readAhead(): Promise<void> {
    return (this.#pending ??= this.#reader.read().then(
      ({ done, value }) => {
        this.#pending = undefined;
        if (done) {
          this.#end ??= () => null;
        } else {
          this.lastReceivedAt = this.#clock.now();
          if (this.#ahead.push(value) < READ_AHEAD_CHUNKS) void this.#readAhead();
        }
      },
      (error: unknown) => {
        this.#pending = undefined;
        this.#end ??= () => {
          throw toNetworkError(error, 'read', this.#requestHeaders);
        };
      },
    ));
  }

  /**
   * One timer serves every read: when it fires it checks how long the
   * current read has been pending and re-arms for the rest, instead of a
   * timer being set and cleared for every chunk.
   */
  #armWatchdog(delayMs: number): void {
    this.#watchdog = this.#clock.setTimeout(this.#checkWatchdog, delayMs);
  }

  readonly #checkWatchdog = (): void => {
    this.#watchdog = undefined;
    let startedAt = this.#readStartedAt;
    const timeoutMs = this.#stallTimeoutMs;
    // No read pending (a slow consumer is not a dead server): the next read re-arms it.
    if (this.#closed || startedAt === undefined || timeoutMs === 0) return;
    const now = this.#clock.now();
    // A wall clock set back (NTP, by hand) would keep the wait negative for as long as the step: count from now.
    if (now < startedAt) this.#readStartedAt = startedAt = now;
    const waited = now - startedAt;
    if (waited < timeoutMs) return this.#armWatchdog(timeoutMs - waited);
    this.#end = () => {
      throw new MastodonStallError(timeoutMs);
    };
    this.#observer.stallDetected(timeoutMs);
    this.closeNow();
  };

  #listenForWake(method: 'addEventListener' | 'removeEventListener'): void {
    globalThis[method]?.('online', this.#checkNow);
    globalThis.document?.[method]('visibilitychange', this.#checkNow);
  }

  /**
   * A heartbeat arrived (not the `:)` that opens every response: only a periodic
   * heartbeat shows that this server sends them). From now on the after-heartbeat
   * limit applies, and an armed watchdog is re-checked against it.
   */
  heartbeat(): void {
    if (this.#stallTimeoutMs === this.#stallTimeoutAfterHeartbeatMs) return;
    this.#stallTimeoutMs = this.#stallTimeoutAfterHeartbeatMs;
    this.#checkNow();
  }

  /** Runs the watchdog's check now, if it is armed. */
  readonly #checkNow = (): void => {
    if (this.#watchdog === undefined) return;
    this.#clock.clearTimeout(this.#watchdog);
    this.#checkWatchdog();
  };

  /** Closes the socket at once; safe to call repeatedly. */
  closeNow(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#watchdog !== undefined) this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    this.#listenForWake('removeEventListener');
    this.#detachParent();
    this.#reader.cancel().catch(() => {});
    this.#controller.abort();
  }
}
