// Loaded on demand, with the modules that import it (error-mapping-server.ts, dispatch-unknown.ts); like them it
// imports nothing the entry loads (README: "What loads up front"): the error class comes in as an argument.
import type { MastodonMalformedEventError } from './errors.js';

/** What the message of {@link missingDataError} says, since the reason alone would claim more than is known. */
const MISSING_OR_EMPTY = 'Missing field: data (no data line, or an empty one)';

/**
 * The error for an event that must carry data and arrived with none: Mastodon.py's `Missing field` / `data`
 * (listener-port.md §7, §12 case 12). Core delivers an `event:` line without a `data:` line as empty data, exactly
 * like a single empty `data:` line (for which Mastodon.py would say `Bad JSON`): nothing past core's parser can tell
 * the two apart, so the reason stays the one case 12 asks for and the message names both. Data of blanks, or of
 * several empty lines, came from a data line and is not this error (JSON.parse fails on it: `Bad JSON`).
 *
 * @example
 * ```ts
 * missingDataError(MastodonMalformedEventError, 'update').message; // 'Missing field: data (no data line, or an empty one)'
 * ```
 */
export function missingDataError(Malformed: typeof MastodonMalformedEventError, eventName: string, options?: { cause?: unknown }): MastodonMalformedEventError {
  const error = new Malformed('Missing field', ['data', { event: eventName }], options);
  error.message = MISSING_OR_EMPTY;
  return error;
}
