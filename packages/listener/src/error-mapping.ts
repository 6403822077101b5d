import { isTootstreamError, type MastodonApiError, type MastodonMalformedEventError as CoreMalformedEventError, type MastodonNetworkError as CoreNetworkError } from '@tootstream/core';
import {
  MastodonAPIError,
  MastodonBadGatewayError,
  MastodonError,
  MastodonGatewayTimeoutError,
  MastodonIllegalArgumentError,
  MastodonInternalServerError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonNotFoundError,
  MastodonRatelimitError,
  MastodonReadTimeout,
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

/** Mastodon.py's message prefix for a failed stream connect. */
export const CONNECT_FAILED_PREFIX = 'Could not connect to streaming server: ';

/**
 * Builds the Mastodon.py-named error for an HTTP error status (used for the
 * stream connect and for REST calls of this package).
 */
export function httpError(prefix: string, details: HttpErrorDetails, cause?: unknown): MastodonError {
  const phrase = REASON_PHRASES[details.status] ?? `HTTP ${details.status}`;
  const message = `${prefix}${phrase}${details.serverMessage ? ` (${details.serverMessage})` : ''}`;
  const options = cause === undefined ? undefined : { cause };
  switch (details.status) {
    case 401:
      return new MastodonUnauthorizedError(message, details, options);
    case 404:
      return new MastodonNotFoundError(message, details, options);
    case 429:
      return new MastodonRatelimitError(message, details, options);
    case 500:
      return new MastodonInternalServerError(message, details, options);
    case 502:
      return new MastodonBadGatewayError(message, details, options);
    case 503:
      return new MastodonServiceUnavailableError(message, details, options);
    case 504:
      return new MastodonGatewayTimeoutError(message, details, options);
    default:
      return details.status >= 500 ? new MastodonServerError(message, details, options) : new MastodonAPIError(message, details, options);
  }
}

/**
 * Translates what core throws or reports into Mastodon.py's error classes.
 * Errors that are already ours, and errors thrown by user code, pass through
 * unchanged: a handler's own error must reach the caller as it was thrown.
 */
export function toListenerError(error: unknown): Error {
  if (error instanceof MastodonError) return error;
  if (!isTootstreamError(error)) return error instanceof Error ? error : new Error(String(error));
  switch (error.code) {
    case 'INVALID_ARGUMENT':
      return new MastodonIllegalArgumentError(error.message, { cause: error });
    case 'API': {
      const api = error as MastodonApiError;
      return httpError(CONNECT_FAILED_PREFIX, { status: api.status, serverMessage: api.serverMessage, retryAfterMs: api.retryAfterMs }, error);
    }
    case 'UNEXPECTED_CONTENT_TYPE':
      return new MastodonAPIError(`${CONNECT_FAILED_PREFIX}${error.message}`, { status: 200 }, { cause: error });
    case 'STALLED':
      return new MastodonReadTimeout(undefined, { cause: error });
    case 'NETWORK': {
      const network = error as CoreNetworkError;
      // Core says which phase failed only in its message; Mastodon.py's texts differ per phase.
      const duringRead = network.message.startsWith('Network error while reading');
      const message = duringRead ? 'Server ceased communication.' : `${CONNECT_FAILED_PREFIX}${network.reason}`;
      return new MastodonNetworkError(message, { cause: error, reason: network.reason });
    }
    case 'STREAM_ENDED':
      return new MastodonNetworkError('Server ended the stream.', { cause: error, code: 'STREAM_ENDED' });
    case 'EVENT_TOO_LARGE':
      return new MastodonNetworkError(error.message, { cause: error, code: 'EVENT_TOO_LARGE' });
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
