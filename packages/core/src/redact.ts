// Loaded with the error-body reader: only text a server sent back is redacted.

/** What stands in for a credential in text that came from a server. */
export const REDACTED = '[redacted]';

/**
 * Removes the credential a request carried from text its response sent back
 * (an error body or header that echoes `Authorization`, as some proxies and
 * debugging servers do), so the token never reaches an error message, a log
 * or `JSON.stringify(error)`: the exact token, and any `Bearer …` value.
 */
export function redactCredentials(text: string, requestHeaders: Record<string, string>): string {
  const token = /^Bearer\s+(\S+)/i.exec(requestHeaders.Authorization ?? '')?.[1];
  const withoutToken = token === undefined ? text : text.replaceAll(token, REDACTED);
  // RFC 6750 token characters, so the quotes or brackets around an echoed header stay.
  return withoutToken.replace(/\bBearer\s+[\w.~+/-]+=*/gi, `Bearer ${REDACTED}`);
}
