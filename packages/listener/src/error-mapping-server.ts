// Loaded on demand (in the rare-paths.ts chunk; see toListenerError): the mapping of errors a server that
// answered can cause. A stream that meets none of its chunk's paths never loads this. Like
// every on-demand module it imports nothing the entry loads (README: "What loads up front"):
// the error classes come in as `errors`.
import type { MastodonApiError, MastodonContentTypeError, MastodonMalformedEventError as CoreMalformedEventError, TootstreamError } from '@tootstream/core';
import type { ErrorClasses, HttpErrorDetails, MastodonAPIError, MastodonError, MastodonMalformedEventError } from './errors.js';
import { missingDataError } from './missing-data.js';

// Node's http.STATUS_CODES is not available in browsers or Deno; these are the ones Mastodon and its proxies send.
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  410: 'Gone',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const CLASS_BY_STATUS: Readonly<Record<number, keyof ErrorClasses>> = {
  401: 'MastodonUnauthorizedError',
  404: 'MastodonNotFoundError',
  429: 'MastodonRatelimitError',
  500: 'MastodonInternalServerError',
  502: 'MastodonBadGatewayError',
  503: 'MastodonServiceUnavailableError',
  504: 'MastodonGatewayTimeoutError',
};

/**
 * Builds the Mastodon.py-named error for an HTTP error status (used for the
 * stream connect and for REST calls of this package).
 */
export function httpError(errors: ErrorClasses, prefix: string, details: HttpErrorDetails, cause?: unknown): MastodonError {
  const { status, serverMessage } = details;
  const phrase = REASON_PHRASES[status] ?? `HTTP ${status}`;
  // A proxy's body is often its reason phrase alone: "Forbidden (Forbidden)" says nothing twice.
  const message = `${prefix}${phrase}${serverMessage && serverMessage.toLowerCase() !== phrase.toLowerCase() ? ` (${serverMessage})` : ''}`;
  // Every class named here takes (message, details, options), as MastodonAPIError does.
  const type = errors[CLASS_BY_STATUS[status] ?? (status >= 500 ? 'MastodonServerError' : 'MastodonAPIError')] as typeof MastodonAPIError;
  return new type(message, details, cause === undefined ? undefined : { cause });
}

/** The core errors that `toListenerErrorNow` leaves to this chunk; `prefix` is Mastodon.py's for a failed connect. */
export function fromServerError(error: TootstreamError, errors: ErrorClasses, prefix: string): MastodonError {
  switch (error.code) {
    case 'API': {
      const { status, serverMessage, retryAfterMs, requestId, url } = error as MastodonApiError;
      return httpError(errors, prefix, { status, serverMessage, retryAfterMs, requestId, url }, error);
    }
    case 'UNEXPECTED_CONTENT_TYPE':
      // A core older than the status field answered 200, the only 2xx Mastodon's streaming server sends.
      return new errors.MastodonAPIError(`${prefix}${error.message}`, { status: (error as MastodonContentTypeError).status ?? 200, url: (error as MastodonContentTypeError).url }, { cause: error });
    case 'EVENT_TOO_LARGE':
      // A drop like a network failure, but only a server that is sending data causes it.
      return new errors.MastodonNetworkError(error.message, { cause: error, code: 'EVENT_TOO_LARGE', phase: 'read' });
    case 'MALFORMED_EVENT':
      return fromCoreMalformed(error as CoreMalformedEventError, errors.MastodonMalformedEventError);
    default:
      return new errors.MastodonError(error.code, error.message, { cause: error });
  }
}

/**
 * Core reports one kind of malformed event; Mastodon.py distinguishes a
 * missing `data:` line from bad JSON. Core delivers a missing data line as
 * empty data, as it does a single empty `data:` line, so empty data is
 * reported as the missing field (see {@link missingDataError}). Data that is
 * not empty (blanks, several empty lines) came from a data line: bad JSON.
 */
function fromCoreMalformed(error: CoreMalformedEventError, Malformed: typeof MastodonMalformedEventError): MastodonMalformedEventError {
  const options = { cause: error };
  if ((error.issues[0] as { message?: unknown } | undefined)?.message === 'Malformed UTF-8') {
    return new Malformed('Malformed UTF-8', [error.data], options);
  }
  if (error.data === '') return missingDataError(Malformed, error.eventName, options);
  if (error.issues.length > 0) return new Malformed('Failed validation', [error.data, error.issues], options);
  return new Malformed('Bad JSON', [error.data], options);
}
