import type {
  MastodonApiError,
  MastodonArgumentError,
  MastodonContentTypeError,
  MastodonEventTooLargeError,
  MastodonMalformedEventError,
  MastodonNetworkError,
  MastodonReconnectExhaustedError,
  MastodonStallError,
  TootstreamError,
} from './errors.js';
import type { StreamEndedError } from './stream-ended-error.js';

/**
 * Every error a stream reports or throws, discriminated by `code`: a `switch`
 * on `error.code` narrows to the class, with its fields. The stream hooks and
 * `onError` receive this type.
 *
 * @example
 * ```ts
 * client.user({
 *   onReconnecting: ({ error }) => {
 *     if (error.code === 'API') console.warn('HTTP', error.status, error.serverMessage);
 *     else if (error.code === 'NETWORK') console.warn(error.phase, error.reason);
 *   },
 * });
 * ```
 */
export type AnyTootstreamError =
  | MastodonArgumentError
  | MastodonNetworkError
  | MastodonApiError
  | MastodonContentTypeError
  | MastodonMalformedEventError
  | MastodonEventTooLargeError
  | MastodonStallError
  | MastodonReconnectExhaustedError
  | StreamEndedError
  /** A stream hook threw; the thrown value is its `cause`. */
  | (TootstreamError & { readonly code: 'HOOK_FAILED' });
