// Loaded with the error-body reader: only text a server sent back is redacted.

/** What stands in for a credential in text that came from a server. */
export const REDACTED = '[redacted]';
/** Mastodon's tokens are 43 characters; shorter ones are only recognised after `Bearer`. */
const MIN_BARE_TOKEN_LENGTH = 8;

/**
 * Removes the credential a request carried from text its response sent back
 * (an error body or header that echoes `Authorization`, as some proxies and
 * debugging servers do), so the token never reaches an error message, a log
 * or `JSON.stringify(error)`: the exact token, and any `Bearer …` value.
 */
export function redactCredentials(text: string, requestHeaders: Record<string, string>): string {
  const token = /^Bearer\s+(\S+)/i.exec(requestHeaders.Authorization ?? '')?.[1];
  // A token this short (a test's) would match ordinary words; after `Bearer` it is still caught.
  const withoutToken = token === undefined || token.length < MIN_BARE_TOKEN_LENGTH ? text : text.replaceAll(token, REDACTED);
  // RFC 6750 token characters, so the quotes or brackets around an echoed header stay.
  return withoutToken.replace(/\bBearer\s+[\w.~+/-]+=*/gi, `Bearer ${REDACTED}`);
}
