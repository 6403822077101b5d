import { onAbort, type Clock } from './clock.js';
import { MastodonApiError, MastodonNetworkError, MastodonStallError } from './errors.js';
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

/** The stream's settled time limits (ms; 0 disables): for the response headers, and for silence before the connection's first heartbeat (the other if unset) and from it on. */
export interface ConnectionLimits {
  connectTimeoutMs: number;
  stallTimeoutBeforeHeartbeatMs?: number | undefined;
  stallTimeoutMs: number;
}

/**
 * One HTTP response carrying an event stream. It reads at most
 * READ_AHEAD_CHUNKS ahead of `readChunk()`, which is what gives the iterator its
 * backpressure, and it runs the stall watchdog only while `readChunk()` waits, so
 * a slow consumer is never mistaken for a dead server.
 */
export interface SseConnection {
  /**
   * The server's clock minus ours, from the response's `Date` header (whole
   * seconds, so it errs early by up to a second); undefined without one.
   */
  readonly serverClockOffsetMs: number | undefined;
  /**
   * When bytes last came out of `fetch` into this connection (clock time; the
   * open time before any did). If the connection breaks, what `fetch` still
   * held is gone (WHATWG streams empty their queue on error), so a gap starts
   * here, not when the break is noticed.
   */
  lastReceivedAt: number;
  /**
   * The next chunk of bytes, or `null` when the server ended the body cleanly.
   * Throws MastodonStallError when the watchdog fired, MastodonNetworkError when
   * the connection broke.
   */
  readChunk(): Promise<Uint8Array | null>;
  /**
   * A heartbeat arrived (not the `:)` that opens every response: only a periodic
   * heartbeat shows that this server sends them). From now on the after-heartbeat
   * limit applies, and an armed watchdog is re-checked against it.
   */
  heartbeat(): void;
  /** Closes the socket at once; safe to call repeatedly. */
  closeNow(): void;
}

/**
 * Sends the request and checks the response. Throws MastodonApiError for an
 * HTTP error status, MastodonContentTypeError for a non-SSE body,
 * MastodonNetworkError when no response arrives and MastodonArgumentError
 * when the user's fetch resolves to something that is not a Response. If `parent` aborts, the
 * request is cancelled and whatever is thrown should be ignored by the caller.
 */
export const openStream = async (request: ConnectionRequest, parent: AbortSignal, limits: ConnectionLimits, observer: Pick<StreamObserver, 'callHook'>): Promise<SseConnection> => {
  const connectTimeoutMs = limits.connectTimeoutMs;
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
      // Without the chunk that reads the body (an app redeployed without its old chunks), the status alone decides: a
      // 401 taken for a network fault was retried for ever.
      throw await loadKitUser(() => import('./api-errors.js')).then<unknown, unknown>((chunk) => chunk.default(response, request), () => new MastodonApiError(response.status, undefined));
    }
    if (!response.body) throw new MastodonNetworkError('response has no body');
    // Without the header, get() gives null, which parses (as 'null') to NaN like any unreadable date.
    const serverDate = Date.parse(response.headers.get('date') as string);
    return reading(response.body.getReader(), controller, detachParent, request, Number.isNaN(serverDate) ? undefined : serverDate - request.clockSource.now(), limits, observer);
  } catch (error) {
    detachParent();
    controller.abort();
    response?.body?.cancel().catch(() => {});
    throw error;
  }
};

/** The connection over a checked response's body. (Closures rather than a class: local names minify where `this.#field` reads cannot.) */
const reading = (
  reader: ReadableStreamDefaultReader<Uint8Array>,
  controller: AbortController,
  detachParent: () => void,
  // Its clock, and its headers: a user's fetch may quote the request in a failed read's text, whose token is cut from the error.
  { clockSource: clock, requestHeaders }: ConnectionRequest,
  serverClockOffsetMs: number | undefined,
  limits: ConnectionLimits,
  observer: Pick<StreamObserver, 'callHook'>,
): SseConnection => {
  /**
   * How many chunks reading runs ahead of the consumer. Node's fetch (undici)
   * pauses its HTTP parser whenever a chunk arrives with no read waiting, and
   * on every resume copies what its socket buffered meanwhile; a consumer slower
   * than the server, pulling one chunk at a time, made that happen for every
   * chunk, and the dead copies (30–40 MB between two collections in the
   * slow-consumer bench) set peak RSS. Reading on until this many chunks wait,
   * and resuming only once all are taken, pauses the parser once per this many
   * chunks instead. Counted in chunks, not bytes, to keep the bundle small: a
   * chunk is one socket read, at most 64 KB. (A local constant, first in its function: a minifier inlines it, where a module's one stays a variable.)
   */
  const READ_AHEAD_CHUNKS = 4;
  const ahead: Uint8Array[] = [];
  /** The read in flight; it settles into `ahead` or `end`. */
  let pending: Promise<void> | undefined;
  /** Set once the body ended: returns null (ended cleanly or cancelled) or throws the stall or read error. */
  let end: (() => null) | undefined;
  let closed = false;
  let watchdog: unknown;
  const afterHeartbeatMs = limits.stallTimeoutMs;
  /** Silence while `readChunk()` waits that counts as a dead connection; 0 disables the watchdog. */
  let stallTimeoutMs = limits.stallTimeoutBeforeHeartbeatMs ?? afterHeartbeatMs;
  /** When `readChunk()` began waiting (clock time); undefined while it does not wait. */
  let readStartedAt: number | undefined;

  /** Starts a read unless one is in flight; the promise never rejects. */
  const readAhead = (): Promise<void> =>
    (pending ??= reader.read().then(
      ({ done, value }) => {
        pending = undefined;
        if (done) {
          end ??= () => null;
        } else {
          connection.lastReceivedAt = clock.now();
          if (ahead.push(value) < READ_AHEAD_CHUNKS) void readAhead();
        }
      },
      (error: unknown) => {
        pending = undefined;
        end ??= () => {
          throw toNetworkError(error, 'read', requestHeaders);
        };
      },
    ));

  /**
   * One timer serves every read: when it fires it checks how long the
   * current read has been pending and re-arms for the rest, instead of a
   * timer being set and cleared for every chunk.
   */
  const armWatchdog = (delayMs: number): void => {
    watchdog = clock.setTimeout(checkWatchdog, delayMs);
  };

  const checkWatchdog = (): void => {
    watchdog = undefined;
    let startedAt = readStartedAt;
    const timeoutMs = stallTimeoutMs;
    // No read pending (a slow consumer is not a dead server): the next read re-arms it.
    if (closed || startedAt === undefined || timeoutMs === 0) return;
    const now = clock.now();
    // A wall clock set back (NTP, by hand) would keep the wait negative for as long as the step: count from now.
    if (now < startedAt) readStartedAt = startedAt = now;
    const waited = now - startedAt;
    if (waited < timeoutMs) return armWatchdog(timeoutMs - waited);
    end = () => {
      throw new MastodonStallError(timeoutMs);
    };
    observer.callHook('onStalled', { timeoutMs });
    connection.closeNow();
  };

  /** Runs the watchdog's check now, if it is armed. */
  const checkNow = (): void => {
    if (watchdog === undefined) return;
    clock.clearTimeout(watchdog);
    checkWatchdog();
  };

  // A device that slept kept its timers but lost its connections: the watchdog's
  // timer would only fire up to `stallTimeoutMs` after waking. Browsers announce
  // a wake (or a network change) with these events; the check then runs at once,
  // and the time slept counts, since the clock is wall-clock time.
  const listenForWake = (method: 'addEventListener' | 'removeEventListener'): void => {
    globalThis[method]?.('online', checkNow);
    globalThis.document?.[method]('visibilitychange', checkNow);
  };

  const connection: SseConnection = {
    serverClockOffsetMs,
    lastReceivedAt: clock.now(),
    async readChunk() {
      for (;;) {
        const chunk = ahead.shift();
        if (chunk) {
          // Reading resumes only once everything read ahead is taken (READ_AHEAD_CHUNKS).
          if (!ahead.length) void readAhead();
          return chunk;
        }
        if (end) return end();
        if (stallTimeoutMs > 0) {
          readStartedAt = clock.now();
          if (watchdog === undefined) armWatchdog(stallTimeoutMs);
        }
        await readAhead();
        readStartedAt = undefined;
      }
    },
    heartbeat() {
      if (stallTimeoutMs === afterHeartbeatMs) return;
      stallTimeoutMs = afterHeartbeatMs;
      checkNow();
    },
    closeNow() {
      if (closed) return;
      closed = true;
      if (watchdog !== undefined) clock.clearTimeout(watchdog);
      watchdog = undefined;
      listenForWake('removeEventListener');
      detachParent();
      reader.cancel().catch(() => {});
      controller.abort();
    },
  };
  listenForWake('addEventListener');
  return connection;
};
