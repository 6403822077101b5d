/**
 * One error hierarchy for everything @tootstream/core throws or reports.
 * Every error has a stable `code` (safe to switch on and to log) and, where
 * there is one, the underlying `cause`. No message contains the token: an echo of it is redacted (see redact.ts).
 */

const BRAND = Symbol.for('tootstream.error');

// Fields are `declare`d and set in the constructors: class field declarations would
// ship a second copy of every name to each browser for no behavioural difference.
// `name` alone is a field: `name="…"` is shorter than `this.name="…"` in every constructor, and a
// field is defined right after `super()` returns, where the assignment was, so `name` is still an
// own property of each error. Marked internal, it stays out of the declarations (Error's `name: string` stays).

/** Stable machine-readable error codes. */
export type TootstreamErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NETWORK'
  | 'API'
  | 'UNEXPECTED_CONTENT_TYPE'
  | 'MALFORMED_EVENT'
  | 'EVENT_TOO_LARGE'
  | 'STALLED'
  | 'STREAM_ENDED'
  | 'HOOK_FAILED'
  | 'RECONNECT_EXHAUSTED';

/**
 * Base class of every tootstream error.
 *
 * @example
 * ```ts
 * try { for await (const e of client.user()) {} }
 * catch (error) { if (isTootstreamError(error)) console.log(error.code); }
 * ```
 */
export class TootstreamError extends Error {
  declare readonly code: TootstreamErrorCode;
  declare readonly [BRAND]: true;
  /** @internal */ override name = 'TootstreamError';

  constructor(code: TootstreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * A bad argument, rejected before any request is made.
 *
 * @example
 * ```ts
 * try { client.hashtag('#rust'); }
 * catch (error) { if (error instanceof MastodonArgumentError) console.error(error.message); }
 * ```
 */
export class MastodonArgumentError extends TootstreamError {
  declare readonly code: 'INVALID_ARGUMENT';
  /** @internal */ override name = 'MastodonArgumentError';
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/**
 * Connecting or reading failed below HTTP (refused, reset, DNS, TLS, terminated).
 *
 * @example
 * ```ts
 * client.user({ onReconnecting: ({ error }) => { if (isMastodonNetworkError(error)) console.log(error.phase, error.reason); } });
 * ```
 */
export class MastodonNetworkError extends TootstreamError {
  declare readonly code: 'NETWORK';
  /** @internal */ override name = 'MastodonNetworkError';
  /** The low-level reason, unwrapped from undici's `cause` chain, as text (e.g. `connect ECONNREFUSED 127.0.0.1:443`, `other side closed (UND_ERR_SOCKET)`). */
  declare readonly reason: string;
  /** Whether the failure came before the response headers (`connect`) or while reading the body (`read`). */
  declare readonly phase: 'connect' | 'read';

  constructor(reason: string, options?: { cause?: unknown; phase?: 'connect' | 'read' }) {
    super('NETWORK', `Network error while ${options?.phase === 'read' ? 'reading the stream' : 'connecting'}: ${reason}`, options);
    this.reason = reason;
    this.phase = options?.phase ?? 'connect';
  }
}

/**
 * The server answered with an HTTP error status.
 *
 * @example
 * ```ts
 * try { for await (const event of client.user()) handle(event); }
 * catch (error) { if (error instanceof MastodonApiError && error.status === 401) askForANewToken(); }
 * ```
 */
export class MastodonApiError extends TootstreamError {
  declare readonly code: 'API';
  /** @internal */ override name = 'MastodonApiError';
  /** HTTP status code. */
  declare readonly status: number;
  /** The server's own `error` text, when its body had one. */
  declare readonly serverMessage: string | undefined;
  /** Milliseconds to wait before retrying (from `Retry-After` or `X-RateLimit-Reset`), if given. */
  declare readonly retryAfterMs: number | undefined;
  /** The server's `X-Request-Id`, to quote when reporting a problem to an instance's admins. */
  declare readonly requestId: string | undefined;
  /** The URL that answered, after any redirect (a 401 from another host than the one asked names it); never holds the token. */
  declare readonly url: string | undefined;

  constructor(status: number, serverMessage: string | undefined, retryAfterMs?: number, options?: { cause?: unknown; requestId?: string; url?: string }) {
    super('API', `Mastodon answered ${status}${serverMessage ? `: ${serverMessage}` : ''}`, options);
    this.status = status;
    this.serverMessage = serverMessage;
    this.retryAfterMs = retryAfterMs;
    this.requestId = options?.requestId;
    this.url = options?.url;
  }
}

/**
 * A 200 response that is not `text/event-stream` (a captive portal, a misrouted proxy).
 *
 * @example
 * ```ts
 * // Fatal, never retried: the loop throws it (a wrong host, a proxy, a captive portal).
 * try { for await (const event of client.user()) handle(event); }
 * catch (error) { if (error instanceof MastodonContentTypeError) console.error('not an event stream:', error.contentType); }
 * ```
 */
export class MastodonContentTypeError extends TootstreamError {
  declare readonly code: 'UNEXPECTED_CONTENT_TYPE';
  /** @internal */ override name = 'MastodonContentTypeError';
  declare readonly contentType: string | null;
  /** The URL that answered, after any redirect. */
  declare readonly url: string | undefined;
  /** The answer's HTTP status: a 2xx (a 204, or a 200 from a proxy's page), since an error status is a `MastodonApiError`. */
  declare readonly status: number | undefined;

  constructor(contentType: string | null, url?: string, status?: number) {
    super('UNEXPECTED_CONTENT_TYPE', `Expected text/event-stream, got ${contentType ?? 'no content type'}`);
    this.contentType = contentType;
    this.url = url;
    this.status = status;
  }
}

/** One reason a payload failed validation (the same shape for `'essentials'` and `'full'`). */
export interface ValidationIssue {
  /** Dot path of the offending value, e.g. `account.acct`; `''` for the payload itself. */
  readonly path: string;
  /** What the schema expected there, e.g. `string`. */
  readonly expected: string;
  /** What was found, e.g. `undefined`, `7` or `"text"`. */
  readonly received: string;
  readonly message: string;
}

/**
 * An event whose data could not be parsed or failed validation.
 *
 * @example
 * ```ts
 * client.public({}, { onError: (error) => { if (isMastodonMalformedEventError(error)) console.warn(error.eventName, error.issues); } });
 * ```
 */
export class MastodonMalformedEventError extends TootstreamError {
  declare readonly code: 'MALFORMED_EVENT';
  /** @internal */ override name = 'MastodonMalformedEventError';
  /** The wire event name. */
  declare readonly eventName: string;
  /** The raw `data` text, exactly as received. */
  declare readonly data: string;
  /** Why validation failed (with `validate: 'full'`, the first failing rule only); empty when JSON parsing failed. */
  declare readonly issues: readonly ValidationIssue[];

  constructor(eventName: string, data: string, issues: readonly ValidationIssue[], options?: { cause?: unknown }) {
    // The first issue is named, so a log line (the default onError's) says which field failed; cut, since what it
    // received is the server's text, which may be long.
    const first = issues[0];
    super('MALFORMED_EVENT', `Malformed "${eventName}" event (${first ? `${first.path || 'payload'}: ${first.message}`.slice(0, 200) : 'invalid JSON'})`, options);
    this.eventName = eventName;
    this.data = data;
    this.issues = issues;
  }
}

/**
 * An event (or line) grew beyond `maxEventBytes`; the connection is dropped instead of buffering on.
 *
 * @example
 * ```ts
 * client.public({}, { maxEventBytes: 256 * 1024, onReconnecting: ({ error }) => { if (error instanceof MastodonEventTooLargeError) console.warn(error.limit); } });
 * ```
 */
export class MastodonEventTooLargeError extends TootstreamError {
  declare readonly code: 'EVENT_TOO_LARGE';
  /** @internal */ override name = 'MastodonEventTooLargeError';
  declare readonly limit: number;

  constructor(limit: number) {
    super('EVENT_TOO_LARGE', `An event exceeded maxEventBytes (${limit} bytes)`);
    this.limit = limit;
  }
}

/**
 * No byte (event or heartbeat) arrived within the stall timeout while a read was pending.
 *
 * @example
 * ```ts
 * client.user({ onReconnecting: ({ error }) => { if (error instanceof MastodonStallError) console.warn(`silent for ${error.timeoutMs} ms`); } });
 * ```
 */
export class MastodonStallError extends TootstreamError {
  declare readonly code: 'STALLED';
  /** @internal */ override name = 'MastodonStallError';
  declare readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super('STALLED', `No data for ${timeoutMs} ms; the connection is presumed dead`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The reconnect policy ran out of attempts or time; `cause` is the last failure,
 * whose message ends this error's own (a log line that prints only the message
 * still says why).
 *
 * @example
 * ```ts
 * try { for await (const event of client.user({ reconnect: { maxAttempts: 5 } })) handle(event); }
 * catch (error) { if (error instanceof MastodonReconnectExhaustedError) console.error(`gave up after ${error.attempts} attempts`); }
 * ```
 */
export class MastodonReconnectExhaustedError extends TootstreamError {
  declare readonly code: 'RECONNECT_EXHAUSTED';
  /** @internal */ override name = 'MastodonReconnectExhaustedError';
  /** Reconnect attempts made since the last healthy connection (the first connection attempt is not counted). */
  declare readonly attempts: number;

  constructor(attempts: number, options?: { cause?: unknown }) {
    const lastFailure = (options?.cause as Error | undefined)?.message;
    super('RECONNECT_EXHAUSTED', `Gave up reconnecting after ${attempts} attempt${attempts == 1 ? '' : 's'}${lastFailure ? `: ${lastFailure}` : ''}`, options);
    this.attempts = attempts;
  }
}

/**
 * True for any tootstream error, even one from another realm or another copy
 * of this package (it checks a `Symbol.for` brand, not `instanceof`).
 *
 * @example
 * ```ts
 * if (isTootstreamError(error) && error.code === 'API') retryLater();
 * ```
 */
export const isTootstreamError = (value: unknown): value is TootstreamError =>
  typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;

/**
 * Cross-realm guard for {@link MastodonApiError}.
 *
 * @example
 * ```ts
 * if (isMastodonApiError(error) && error.status === 401) askForNewToken();
 * ```
 */
export const isMastodonApiError = (value: unknown): value is MastodonApiError => isTootstreamError(value) && value.code === 'API';

/**
 * Cross-realm guard for {@link MastodonNetworkError}.
 *
 * @example
 * ```ts
 * if (isMastodonNetworkError(error)) console.log(error.reason);
 * ```
 */
export const isMastodonNetworkError = (value: unknown): value is MastodonNetworkError => isTootstreamError(value) && value.code === 'NETWORK';

/**
 * Cross-realm guard for {@link MastodonMalformedEventError}.
 *
 * @example
 * ```ts
 * onError: (error) => { if (isMastodonMalformedEventError(error)) log(error.data); }
 * ```
 */
export const isMastodonMalformedEventError = (value: unknown): value is MastodonMalformedEventError =>
  isTootstreamError(value) && value.code === 'MALFORMED_EVENT';
