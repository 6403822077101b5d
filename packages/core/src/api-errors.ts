import { MAX_ERROR_BODY_BYTES, MAX_ERROR_BODY_WAIT_MS, readBodyText } from './bounded-body.js';
import type { MastodonApiError, MastodonArgumentError, MastodonContentTypeError } from './errors.js';
import { redactCredentials } from './redact.js';
import type { ConnectionRequest } from './sse-connection.js';
import { kit } from './up-front-kit.js';

export { useKit } from './up-front-kit.js';

// Only an HTTP error response, or a 200 that is not an event stream, needs this
// module, so the connection imports it on demand and a healthy stream never loads it.

/**
 * The typed error for a streaming response that cannot be read as a stream:
 * {@link toApiError} for an error status, else a `MastodonContentTypeError`
 * whose content type (server text, like an error body) is redacted and bounded.
 * A user's `fetch` that resolved to something else (no headers to read) is an
 * argument error: retrying would get the same.
 */
// The default export: the up-front code reads it off the loaded namespace, where no build shortens a name (chunk-loader.ts).
export default function toResponseError(response: Response, request: Pick<ConnectionRequest, 'clockSource' | 'requestHeaders' | 'streamUrl'>): Promise<MastodonApiError> | MastodonContentTypeError | MastodonArgumentError {
  // Duck-typed, not instanceof: a fetch from another realm or the undici package answers with its own Response class.
  if (typeof response?.headers?.get != 'function') return new kit.ArgumentError('fetch did not resolve to a Response');
  if (!response.ok) return toApiError(response, request);
  const contentType = response.headers.get('content-type');
  return new kit.ContentTypeError(contentType === null ? null : redactCredentials(contentType, request.requestHeaders).slice(0, 200), answeredUrl(response, request), response.status);
}

/**
 * Where the answer came from: the response's URL after redirects (empty for a `Response` a custom `fetch` made up), else
 * the one asked; without the token, which a server may echo into a redirect's target.
 */
function answeredUrl(response: Response, request: Pick<ConnectionRequest, 'streamUrl' | 'requestHeaders'>): string {
  return redactCredentials(response.url || request.streamUrl.href, request.requestHeaders);
}

/**
 * Reads at most {@link MAX_ERROR_BODY_BYTES} of an error body, for at most
 * {@link MAX_ERROR_BODY_WAIT_MS} (a proxy's page that trickles on must not
 * hold the stream), and builds the typed error. What the server sent back
 * is redacted of the request's credential: some servers echo it. `signal` (a
 * REST request's caller's) stops the read: a REST request's own signal lets go
 * of the body once its headers are in.
 */
export async function toApiError(
  response: Response,
  request: Pick<ConnectionRequest, 'clockSource' | 'requestHeaders' | 'streamUrl'> & { signal?: AbortSignal | undefined },
): Promise<MastodonApiError> {
  const { clockSource: clock, requestHeaders: headers, signal } = request;
  const text = await readBodyText(response, { maxBytes: MAX_ERROR_BODY_BYTES, timeoutMs: MAX_ERROR_BODY_WAIT_MS, clock, signal }, 'partial');
  let serverMessage: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    // Cut as a page's title is: a hostile server's 16 KiB `error` would otherwise be a 16 KiB log line on every retry.
    if (typeof body?.error === 'string') serverMessage = redactCredentials(body.error, headers).slice(0, 200);
  } catch {
    // A web server's or a proxy's HTML page (a wrong url, nginx's 502): its title says what happened, where its markup
    // would fill the log line. `[^<>]` keeps the search linear on a hostile page.
    const trimmed = text.trim();
    const said = trimmed.startsWith('<') ? /<title[^<>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim() : trimmed;
    serverMessage = said ? redactCredentials(said, headers).slice(0, 200) : undefined;
  }
  return new kit.ApiError(response.status, serverMessage, retryDelayFrom(response.headers, clock.now()), { url: answeredUrl(response, request), ...requestIdOf(response, headers) });
}

/** The answer's `X-Request-Id`, what an instance's admins ask for, as an error's option (none when it sent none). */
export const requestIdOf = (response: Response, headers: Record<string, string>): { requestId?: string } => {
  const echoedId = response.headers.get('x-request-id');
  return echoedId === null ? {} : { requestId: redactCredentials(echoedId, headers).slice(0, 200) };
};

/**
 * `Retry-After` (seconds or an HTTP date) as proxies send it, else Mastodon's own
 * `X-RateLimit-Reset` on a 429 (Mastodon itself sends no `Retry-After`). A date is
 * the server's: it is measured from the answer's `Date` where one is readable (a
 * browser hides it cross-origin), so a client clock that is off neither gives up on
 * a short wait nor retries at once; else from `clientNowMs`.
 */
export function retryDelayFrom(headers: Headers, clientNowMs: number): number | undefined {
  const serverNow = Date.parse(headers.get('date') ?? '');
  const nowMs = Number.isNaN(serverNow) ? clientNowMs : serverNow;
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers.get('x-ratelimit-reset');
  const remaining = headers.get('x-ratelimit-remaining');
  if (reset !== null && remaining === '0') {
    const date = Date.parse(reset);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  return undefined;
}
