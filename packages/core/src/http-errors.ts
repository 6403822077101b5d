import { MastodonNetworkError } from './errors.js';

/**
 * Finds the most specific reason in an error's `cause` chain. undici wraps
 * the interesting part (`ECONNREFUSED`, `other side closed`) in a generic
 * `TypeError: fetch failed` / `terminated`.
 */
export const describeNetworkFailure = (error: unknown): string => {
  let message: string | undefined;
  let code: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current != null; depth++) {
    if (typeof current !== 'object') {
      message = String(current);
      break;
    }
    const layer = current as { code?: unknown; message?: unknown; cause?: unknown };
    // The innermost layer is the most specific: it wins.
    // Trimmed: OpenSSL's reasons end with a line break, which would split the log line before the code.
    if (typeof layer.message === 'string' && layer.message.trim()) message = layer.message.trim();
    if (typeof layer.code === 'string') code = layer.code;
    current = layer.cause;
  }
  if (message === undefined) return code ?? 'unknown network failure';
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
};

/**
 * Wraps a failure of `fetch` or of a body read in a {@link MastodonNetworkError}. A user's fetch (a logging or
 * retrying wrapper) may quote the request it failed on, so the token of `requestHeaders` is cut from the text; a
 * token shorter than redact.ts's bare minimum (a test's) would match ordinary words and is left, as there.
 */
export const toNetworkError = (error: unknown, phase: 'connect' | 'read', requestHeaders?: Record<string, string>): MastodonNetworkError => {
  const token = requestHeaders?.Authorization?.slice(7);
  const reason = describeNetworkFailure(error);
  if (!token || token.length < 8 || !quotes(error, token)) return new MastodonNetworkError(reason, { cause: error, phase });
  // Some layer of the failure quotes the token, and a logger prints an error's whole cause chain: it stands in as text only.
  const safe = reason.replaceAll(token, '[redacted]');
  return new MastodonNetworkError(safe, { cause: new Error(safe), phase });
};

/**
 * Whether `text` is anywhere a logger could print from `error`: walked breadth-first up to a bounded number of values,
 * the messages, causes, fields and headers of its layers. A user's fetch (a logging or retrying wrapper) may reject with
 * the `Request` or the `RequestInit` it failed on, whose headers hold the token, and fetch's invalid-URL error keeps
 * the URL it could not parse as `input`.
 */
const quotes = (error: unknown, text: string): boolean => {
  const pending: unknown[] = [error];
  try {
    for (let visited = 0; visited < pending.length && visited < 1_000; visited++) {
      const value = pending[visited];
      if (typeof value == 'string' && value.includes(text)) return true;
      if (typeof value == 'object' && value !== null) {
        const { message, cause, headers } = value as Record<string, unknown>;
        pending.push(...(value instanceof Headers ? value.values() : [message, cause, headers, ...Object.values(value)]));
      }
    }
  } catch {
    // A getter or a proxy that throws hides what it holds: taken as holding it.
    return true;
  }
  return false;
};
