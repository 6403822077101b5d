// Loaded on demand (see toListenerError): the mapping of errors a server that
// answered can cause. A stream that never meets one never loads this.
import type { MastodonApiError, MastodonMalformedEventError as CoreMalformedEventError, TootstreamError } from '@tootstream/core';
import { CONNECT_FAILED_PREFIX } from './error-mapping.js';
import {
  MastodonAPIError,
  MastodonBadGatewayError,
  MastodonError,
  MastodonGatewayTimeoutError,
  MastodonInternalServerError,
  MastodonMalformedEventError,
  MastodonNotFoundError,
  MastodonRatelimitError,
  MastodonServerError,
  MastodonServiceUnavailableError,
  MastodonUnauthorizedError,
  type HttpErrorDetails,
} from './errors.js';

// Node's http.STATUS_CODES is not available in browsers or Deno; these are the ones Mastodon and its proxies send.
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const CLASS_BY_STATUS: Readonly<Record<number, typeof MastodonAPIError | typeof MastodonRatelimitError>> = {
  401: MastodonUnauthorizedError,
  404: MastodonNotFoundError,
  429: MastodonRatelimitError,
  500: MastodonInternalServerError,
  502: MastodonBadGatewayError,
  503: MastodonServiceUnavailableError,
  504: MastodonGatewayTimeoutError,
};

/**
 * Builds the Mastodon.py-named error for an HTTP error status (used for the
 * stream connect and for REST calls of this package).
 */
export function httpError(prefix: string, details: HttpErrorDetails, cause?: unknown): MastodonError {
  const phrase = REASON_PHRASES[details.status] ?? `HTTP ${details.status}`;
  const message = `${prefix}${phrase}${details.serverMessage ? ` (${details.serverMessage})` : ''}`;
  const type = CLASS_BY_STATUS[details.status] ?? (details.status >= 500 ? MastodonServerError : MastodonAPIError);
  return new type(message, details, cause === undefined ? undefined : { cause });
}

/** The core errors that `toListenerErrorNow` leaves to this chunk. */
export function fromServerError(error: TootstreamError): MastodonError {
  switch (error.code) {
    case 'API': {
      const { status, serverMessage, retryAfterMs, requestId } = error as MastodonApiError;
      return httpError(CONNECT_FAILED_PREFIX, { status, serverMessage, retryAfterMs, requestId }, error);
    }
    case 'UNEXPECTED_CONTENT_TYPE':
      return new MastodonAPIError(`${CONNECT_FAILED_PREFIX}${error.message}`, { status: 200 }, { cause: error });
    case 'MALFORMED_EVENT':
      return fromCoreMalformed(error as CoreMalformedEventError);
    default:
      return new MastodonError(error.code, error.message, { cause: error });
  }
}

/**
 * Core reports one kind of malformed event; Mastodon.py distinguishes a
 * missing `data:` line from bad JSON. Core delivers a missing data line as
 * empty data (the SSE parser cannot tell the two apart), so empty data is
 * reported as the missing field.
 */
function fromCoreMalformed(error: CoreMalformedEventError): MastodonMalformedEventError {
  const options = { cause: error };
  if ((error.issues[0] as { message?: unknown } | undefined)?.message === 'Malformed UTF-8') {
    return new MastodonMalformedEventError('Malformed UTF-8', [error.data], options);
  }
  if (error.data.trim() === '') return new MastodonMalformedEventError('Missing field', ['data', { event: error.eventName }], options);
  if (error.issues.length > 0) return new MastodonMalformedEventError('Failed validation', [error.data, error.issues], options);
  return new MastodonMalformedEventError('Bad JSON', [error.data], options);
}
