// Loaded on demand with rest.ts: only the listener's own REST checks quote a server's body.

/** What stands in for a credential in text that came from a server. */
export const REDACTED = '[redacted]';
/** Mastodon's tokens are 43 characters; shorter ones are only recognised after `Bearer`. */
const MIN_BARE_TOKEN_LENGTH = 8;

/**
 * Removes the credential a request carried from text its response sent back
 * (a body that echoes `Authorization`, as some proxies and debugging servers
 * do), so the token never reaches an error message, a log or
 * `JSON.stringify(error)`: the exact `token`, and any `Bearer …` value. Core
 * does the same for its own errors; this package cannot import that helper
 * (only core's public exports), so it is written out again here.
 *
 * @example
 * ```ts
 * redactCredentials('{"error":"bad token Bearer abc123"}', 'abc123'); // '{"error":"bad token Bearer [redacted]"}'
 * ```
 */
export function redactCredentials(text: string, token: string | undefined): string {
  // A token this short (a test's) would match ordinary words; after `Bearer` it is still caught.
  const withoutToken = token !== undefined && token.length >= MIN_BARE_TOKEN_LENGTH ? text.replaceAll(token, REDACTED) : text;
  // RFC 6750 token characters, so the quotes or brackets around an echoed header stay.
  return withoutToken.replace(/\bBearer\s+[\w.~+/-]+=*/gi, `Bearer ${REDACTED}`);
}
