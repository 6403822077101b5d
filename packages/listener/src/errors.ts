import { TootstreamError, type TootstreamErrorCode } from '@tootstream/core';

/*
 * Mastodon.py's exception hierarchy, with the same names and the same
 * inheritance, so ported `except` clauses become `instanceof` checks one to
 * one. Each class also extends core's TootstreamError, so `isTootstreamError`
 * and `code` work on it too; the core error it was made from is its `cause`.
 * No message ever contains the access token.
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
  constructor(code: TootstreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'MastodonError';
  }
}

/** A bad argument, rejected before any request (`local` + `remote`, `#tag`, empty tag or list id). */
export class MastodonIllegalArgumentError extends MastodonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'MastodonIllegalArgumentError';
  }
}

/** The server is older than the feature needs (only with `versionCheckMode` `'created'` or `'changed'`). */
export class MastodonVersionError extends MastodonError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
    this.name = 'MastodonVersionError';
  }
}

/** Input/output failed (Mastodon.py: `MastodonIOError`). */
export class MastodonIOError extends MastodonError {
  constructor(code: TootstreamErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'MastodonIOError';
  }
}

/** Connecting or reading failed below HTTP: refused, reset, DNS, TLS, connect timeout, body cut off. */
export class MastodonNetworkError extends MastodonIOError {
  /** The low-level reason (e.g. `ECONNREFUSED`), when known. */
  readonly reason: string;

  constructor(message: string, options?: { cause?: unknown; reason?: string; code?: TootstreamErrorCode }) {
    super(options?.code ?? 'NETWORK', message, options);
    this.name = 'MastodonNetworkError';
    this.reason = options?.reason ?? message;
  }
}

/** No byte arrived for longer than `timeout` seconds. */
export class MastodonReadTimeout extends MastodonNetworkError {
  constructor(message = 'Timed out while reading from server.', options?: { cause?: unknown }) {
    super(message, { ...options, code: 'STALLED', reason: 'read timeout' });
    this.name = 'MastodonReadTimeout';
  }
}

/** Fields shared by the HTTP error classes. */
export interface HttpErrorDetails {
  /** HTTP status code. */
  status: number;
  /** The server's own `error` text, when the body had one. */
  serverMessage?: string | undefined;
  /** Milliseconds the server asked us to wait, if it did. */
  retryAfterMs?: number | undefined;
}

/** The server answered with an HTTP error (Mastodon.py: `MastodonAPIError`). */
export class MastodonAPIError extends MastodonError {
  readonly status: number;
  /** The server's `error` text (Mastodon.py's `error_text`). */
  readonly serverMessage: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super('API', message, options);
    this.name = 'MastodonAPIError';
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** HTTP 404. */
export class MastodonNotFoundError extends MastodonAPIError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonNotFoundError';
  }
}

/** HTTP 401: missing, invalid or revoked token, or a scope it lacks. */
export class MastodonUnauthorizedError extends MastodonAPIError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonUnauthorizedError';
  }
}

/** HTTP 5xx. */
export class MastodonServerError extends MastodonAPIError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonServerError';
  }
}

/** HTTP 500. */
export class MastodonInternalServerError extends MastodonServerError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonInternalServerError';
  }
}

/** HTTP 502. */
export class MastodonBadGatewayError extends MastodonServerError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonBadGatewayError';
  }
}

/** HTTP 503. */
export class MastodonServiceUnavailableError extends MastodonServerError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonServiceUnavailableError';
  }
}

/** HTTP 504. */
export class MastodonGatewayTimeoutError extends MastodonServerError {
  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super(message, details, options);
    this.name = 'MastodonGatewayTimeoutError';
  }
}

/**
 * HTTP 429. As in Mastodon.py it is not a `MastodonAPIError` subclass, but it
 * carries the same fields.
 */
export class MastodonRatelimitError extends MastodonError {
  readonly status: number;
  readonly serverMessage: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: HttpErrorDetails, options?: { cause?: unknown }) {
    super('API', message, options);
    this.name = 'MastodonRatelimitError';
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Why an event was rejected; the same strings as Mastodon.py. */
export type MalformedEventReason = 'Missing field' | 'Bad JSON' | 'Malformed UTF-8' | 'received bad update' | 'Failed validation';

/**
 * An event that could not be dispatched (Mastodon.py:
 * `MastodonMalformedEventError(reason, *details)`). By default it is reported
 * to `onError` and the stream goes on; see `malformedEvents`.
 */
export class MastodonMalformedEventError extends MastodonError {
  readonly reason: MalformedEventReason;
  /** Mastodon.py's extra arguments: the missing field name, the bad data, the bad status. */
  readonly details: readonly unknown[];

  constructor(reason: MalformedEventReason, details: readonly unknown[] = [], options?: { cause?: unknown }) {
    super('MALFORMED_EVENT', `${reason}${describeDetail(details[0])}`, options);
    this.name = 'MastodonMalformedEventError';
    this.reason = reason;
    this.details = details;
  }
}

function describeDetail(detail: unknown): string {
  if (typeof detail !== 'string') return '';
  return `: ${detail.length > 80 ? `${detail.slice(0, 80)}…` : detail}`;
}
