import { TootstreamError, type TootstreamErrorCode, type ValidationIssue } from '@tootstream/core';
import type { CauseOption, MalformedEventReason, NetworkErrorCode } from './error-types.js';
import type { HttpErrorDetails } from './http-error-details.js';

export type { HttpErrorDetails, MalformedEventReason, NetworkErrorCode };

/*
 * Mastodon.py's exception hierarchy, with the same names and the same inheritance, so ported
 * `except` clauses become `instanceof` checks one to one. Each class also extends core's
 * TootstreamError, so `isTootstreamError` and `code` work on it too; the core error it was made
 * from is its `cause`. An echoed access token is redacted from messages (as core's). The classes are as small as
 * they can be (most have no body; the names are set once, at the end of the file): every byte
 * here ships to every browser that streams, whether or not an error ever happens.
 */


/**
 * Base class of every error of this package (Mastodon.py: `MastodonError`).
 *
 * @example
 * ```ts
 * try { await mastodon.streamUser(listener); }
 * catch (error) { if (error instanceof MastodonError) console.log(error.name, error.code); }
 * ```
 */
export class MastodonError extends TootstreamError {
  constructor(code: TootstreamErrorCode, message: string, options?: CauseOption) {
    super(code, message, options);
    // Core sets its own name; ours is the one on the prototype of the class that was instantiated (see NAMES below).
    this.name = (Object.getPrototypeOf(this) as Error).name;
  }
}

/**
 * A bad argument, rejected before any request (`local` + `remote`, `#tag`, empty tag or list id).
 *
 * @example
 * ```ts
 * try { await mastodon.streamHashtag('#rust', listener); }
 * catch (error) { if (error instanceof MastodonIllegalArgumentError) console.error(error.message); }
 * ```
 */
export class MastodonIllegalArgumentError extends MastodonError {
  declare readonly code: 'INVALID_ARGUMENT';
  constructor(message: string, options?: CauseOption) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/**
 * The server is older than the feature needs (only with `versionCheckMode` `'created'` or `'changed'`).
 *
 * @example
 * ```ts
 * const strict = new Mastodon({ apiBaseUrl, accessToken, versionCheckMode: 'created' });
 * strict.streamDirect(listener).catch((error) => { if (error instanceof MastodonVersionError) useAnotherFeed(); });
 * ```
 */
export class MastodonVersionError extends MastodonError {
  declare readonly code: 'INVALID_ARGUMENT';
  constructor(message: string, options?: CauseOption) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/**
 * Input/output failed (Mastodon.py: `MastodonIOError`).
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonIOError) console.warn('connection trouble', error.message); } }
 * ```
 */
export class MastodonIOError extends MastodonError {}

/**
 * Connecting or reading failed below HTTP: refused, reset, DNS, TLS, connect timeout, body cut off.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonNetworkError) console.warn(error.reason); } }
 * ```
 */
export class MastodonNetworkError extends MastodonIOError {
  /** `NETWORK`, or what core said ended the stream: `STREAM_ENDED`, `EVENT_TOO_LARGE`, `STALLED` (a {@link MastodonReadTimeout}). */
  declare readonly code: NetworkErrorCode;
  /** The low-level reason, e.g. `connect ECONNREFUSED 127.0.0.1:443`, when known; else the message. */
  declare readonly reason: string;
  /** Before the response headers (`connect`) or while reading the body (`read`), as core's `MastodonNetworkError.phase`, which core's `isMastodonNetworkError` promises. */
  declare readonly phase: 'connect' | 'read';

  constructor(message: string, options?: CauseOption & { reason?: string; code?: NetworkErrorCode; phase?: 'connect' | 'read' }) {
    super(options?.code ?? 'NETWORK', message, options);
    this.reason = options?.reason ?? message;
    this.phase = options?.phase ?? 'connect';
  }
}

/**
 * No byte arrived for longer than `timeout` seconds after the response headers, or for 45 s (if that is shorter) once the
 * connection has sent a heartbeat (silence before the headers is a `MastodonNetworkError`).
 *
 * @example
 * ```ts
 * await mastodon.streamUser(listener, { timeout: 60 }).catch((error) => { if (error instanceof MastodonReadTimeout) console.warn('silent for a minute'); });
 * ```
 */
export class MastodonReadTimeout extends MastodonNetworkError {
  declare readonly code: 'STALLED';

  constructor(message = 'Timed out while reading from server.', options?: CauseOption) {
    super(message, { ...options, code: 'STALLED', reason: 'read timeout', phase: 'read' });
  }
}

/**
 * The server answered with an HTTP error (Mastodon.py: `MastodonAPIError`).
 *
 * @example
 * ```ts
 * await mastodon.streamList('42', listener).catch((error) => { if (error instanceof MastodonAPIError) console.error(error.status, error.serverMessage, error.requestId); });
 * ```
 */
export class MastodonAPIError extends MastodonError {
  declare readonly code: 'API';
  declare readonly status: number;
  /** The server's `error` text (Mastodon.py's `error_text`). */
  declare readonly serverMessage: string | undefined;
  declare readonly retryAfterMs: number | undefined;
  /** The answer's `X-Request-Id`, to quote to the server's admins. */
  declare readonly requestId: string | undefined;
  /** The URL that answered, after any redirect: a 401 from a host other than the one asked names it. */
  declare readonly url: string | undefined;

  constructor(message: string, { status, serverMessage, retryAfterMs, requestId, url }: HttpErrorDetails, options?: CauseOption) {
    super('API', message, options);
    Object.assign(this, { status, serverMessage, retryAfterMs, requestId, url });
  }
}

/**
 * HTTP 404. Mastodon's streaming server sent it before 4.2 for a list that is missing or another
 * account's; from 4.2 on that is a 401 ({@link MastodonUnauthorizedError}, `Not authorized to stream this list`).
 *
 * @example
 * ```ts
 * await mastodon.streamList('42', listener).catch((error) => {
 *   const noSuchList = error instanceof MastodonNotFoundError || (error instanceof MastodonUnauthorizedError && error.serverMessage === 'Not authorized to stream this list');
 *   if (noSuchList) forgetList('42');
 * });
 * ```
 */
export class MastodonNotFoundError extends MastodonAPIError {}

/**
 * HTTP 401: missing, invalid or revoked token, or a scope it lacks; on a list stream (Mastodon 4.2 and later) also
 * a list that is missing or another account's (`serverMessage` `Not authorized to stream this list`).
 *
 * @example
 * ```ts
 * await mastodon.streamUser(listener).catch((error) => { if (error instanceof MastodonUnauthorizedError) askForANewToken(); });
 * ```
 */
export class MastodonUnauthorizedError extends MastodonAPIError {}

/**
 * HTTP 5xx.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonServerError) console.warn('server trouble', error.status); } }
 * ```
 */
export class MastodonServerError extends MastodonAPIError {}

/**
 * HTTP 500.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonInternalServerError) reportToAdmin(error); } }
 * ```
 */
export class MastodonInternalServerError extends MastodonServerError {}

/**
 * HTTP 502.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonBadGatewayError) console.warn('proxy answered 502'); } }
 * ```
 */
export class MastodonBadGatewayError extends MastodonServerError {}

/**
 * HTTP 503.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonServiceUnavailableError) console.warn('retry after', error.retryAfterMs); } }
 * ```
 */
export class MastodonServiceUnavailableError extends MastodonServerError {}

/**
 * HTTP 504.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonGatewayTimeoutError) console.warn('proxy timed out'); } }
 * ```
 */
export class MastodonGatewayTimeoutError extends MastodonServerError {}

/**
 * HTTP 429. As in Mastodon.py it is not a `MastodonAPIError` subclass, but it
 * carries the same fields.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onAbort(error: Error) { if (error instanceof MastodonRatelimitError) console.warn('rate limited; retry after', error.retryAfterMs); } }
 * ```
 */
export class MastodonRatelimitError extends MastodonError {
  declare readonly code: 'API';
  declare readonly status: number;
  declare readonly serverMessage: string | undefined;
  declare readonly retryAfterMs: number | undefined;
  declare readonly requestId: string | undefined;
  declare readonly url: string | undefined;

  // MastodonAPIError's constructor, written out again: gzip stores the repeat in a few bytes, where a shared helper
  // function cost 10 B more. Every field is set, to undefined when not given.
  constructor(message: string, { status, serverMessage, retryAfterMs, requestId, url }: HttpErrorDetails, options?: CauseOption) {
    super('API', message, options);
    Object.assign(this, { status, serverMessage, retryAfterMs, requestId, url });
  }
}

/**
 * An event that could not be dispatched (Mastodon.py:
 * `MastodonMalformedEventError(reason, *details)`). By default it is reported
 * to `onError` and the stream goes on; see `malformedEvents`.
 *
 * @example
 * ```ts
 * class Logger extends StreamListener { override onError(error: Error) { if (error instanceof MastodonMalformedEventError) console.warn(error.reason, error.details); } }
 * ```
 */
export class MastodonMalformedEventError extends MastodonError {
  declare readonly code: 'MALFORMED_EVENT';
  declare readonly reason: MalformedEventReason;
  /** Mastodon.py's extra arguments: the missing field name, the bad data, the bad status. */
  declare readonly details: readonly unknown[];

  /** The fields of core's `MastodonMalformedEventError`, which core's `isMastodonMalformedEventError` promises: copied from the core error this one was made from (its `cause`), else empty. */
  declare readonly eventName: string;
  declare readonly data: string;
  declare readonly issues: readonly ValidationIssue[];

  constructor(reason: MalformedEventReason, details: readonly unknown[] = [], options?: CauseOption) {
    const detail = details[0];
    super('MALFORMED_EVENT', typeof detail === 'string' ? `${reason}: ${detail.length > 80 ? `${detail.slice(0, 80)}…` : detail}` : reason, options);
    this.reason = reason;
    this.details = details;
    ({ eventName: this.eventName = '', data: this.data = '', issues: this.issues = [] } = (options?.cause ?? {}) as Partial<MastodonMalformedEventError>);
  }
}

/**
 * Every class by its name. Minifiers rename classes, so each name is written
 * out once here and put on its prototype. The on-demand modules that make
 * these errors get this record from the code that loads them: an on-demand
 * module that imported this file would split the entry into shared chunks,
 * whose import and export lists every browser would download (README: "What loads up front").
 */
export const ERRORS = {
  MastodonError,
  MastodonIllegalArgumentError,
  MastodonVersionError,
  MastodonIOError,
  MastodonNetworkError,
  MastodonReadTimeout,
  MastodonAPIError,
  MastodonNotFoundError,
  MastodonUnauthorizedError,
  MastodonServerError,
  MastodonInternalServerError,
  MastodonBadGatewayError,
  MastodonServiceUnavailableError,
  MastodonGatewayTimeoutError,
  MastodonRatelimitError,
  MastodonMalformedEventError,
};
for (const [name, type] of Object.entries(ERRORS)) type.prototype.name = name;

/** The type of {@link ERRORS}, for the on-demand modules that are given it. */
export type ErrorClasses = typeof ERRORS;
