import { isTootstreamError, type MastodonNetworkError as CoreNetworkError } from '@tootstream/core';
import { ERRORS, MastodonError, MastodonIllegalArgumentError, MastodonNetworkError, MastodonReadTimeout } from './errors.js';

/** Mastodon.py's message prefix for a failed stream connect. */
export const CONNECT_FAILED_PREFIX = 'Could not connect to streaming server: ';

/** What a handler or hook is handed: an Error as it is, anything else thrown as the text of an Error. */
export const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));

/**
 * Translates what core throws or reports into Mastodon.py's error classes, for
 * the errors that can happen while the network is down (argument errors,
 * network failures, stalls, ends): these must never depend on loading code.
 * Returns `undefined` for the rest (HTTP statuses, malformed or oversized events), which
 * {@link toListenerError} maps with code loaded on demand. Errors that are
 * already ours, and errors thrown by user code, pass through unchanged: a
 * handler's own error must reach the caller as it was thrown.
 */
export const toListenerErrorNow = (error: unknown): Error | undefined => {
  if (error instanceof MastodonError || !isTootstreamError(error)) return asError(error);
  const cause = { cause: error };
  switch (error.code) {
    case 'INVALID_ARGUMENT':
      return new MastodonIllegalArgumentError(error.message, cause);
    case 'STALLED':
      return new MastodonReadTimeout(undefined, cause);
    case 'NETWORK': {
      const { reason, phase } = error as CoreNetworkError;
      // Mastodon.py's texts differ per phase.
      return new MastodonNetworkError(phase === 'read' ? 'Server ceased communication.' : CONNECT_FAILED_PREFIX + reason, { ...cause, reason, phase });
    }
    case 'STREAM_ENDED':
      return new MastodonNetworkError('Server ended the stream.', { ...cause, code: 'STREAM_ENDED' });
  }
  return undefined;
};

/**
 * {@link toListenerErrorNow}, plus the errors that only a reachable server
 * causes (an HTTP status, a malformed or oversized event): their mapping (reason phrases,
 * the status → class table, the malformed-event analysis) is a lazily loaded
 * chunk. If that chunk cannot load, the error still arrives as a `MastodonError`.
 */
export const toListenerError = async (error: unknown): Promise<Error> => {
  const now = toListenerErrorNow(error);
  if (now !== undefined) return now;
  try {
    return (await import('./rare-paths.js')).fromServerError(error as MastodonError, ERRORS, CONNECT_FAILED_PREFIX);
  } catch {
    return new MastodonError((error as MastodonError).code, (error as MastodonError).message, { cause: error });
  }
};
