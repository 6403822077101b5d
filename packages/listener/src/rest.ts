// Loaded on demand (through instance-checks.ts): plain REST requests of this
// package, which a stream without version checks or feed warnings never makes.
import type { Clock } from '@tootstream/core';
import { readBoundedText } from './bounded-text.js';
import { httpError } from './error-mapping-server.js';
import type { ErrorClasses, MastodonNetworkError } from './errors.js';
import { redactCredentials } from './redact.js';

/** Largest health body read: the answer is `OK`, an error's JSON, or a proxy's page, of which an excerpt is kept. */
const MAX_HEALTH_BODY_BYTES = 16_384;
/** Largest instance document accepted (`/api/v2/instance` is a few kilobytes on real servers). */
const MAX_INSTANCE_BODY_BYTES = 1_048_576;

/** How this package makes a REST request. */
export interface RestRequest {
  /** The client's `fetch`, already bounded by the header timeout. */
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** The access token the headers carry, if any: kept out of error messages. */
  token: string | undefined;
  /** `requestTimeout` in ms, for the body after the headers. */
  timeoutMs: number;
  /** Cancels the request, body included (a stream's run passes its own, so close() leaves no socket or timer behind). */
  signal?: AbortSignal | undefined;
  /** The client's clock (its `clock` option, else the runtime's): the request's timers, and `now` for a `Retry-After` given as a date. */
  clock: Clock;
}

/**
 * `GET {streaming base}/api/v1/streaming/health`: true iff the body is
 * exactly `OK` or `success` (as Mastodon.py). HTTP errors become the
 * Mastodon.py error classes (of `errors`, the entry's), transport failures (a
 * body still arriving after `request.timeoutMs` included) `MastodonNetworkError`.
 */
export async function fetchStreamHealth(url: string, request: RestRequest, errors: ErrorClasses): Promise<boolean> {
  let response: Response;
  try {
    response = await send(url, request);
  } catch (cause) {
    throw networkError(errors, 'Could not reach the streaming health endpoint: ', cause, request.token);
  }
  let body: string;
  try {
    // A cut-off body is not `OK` either, so the excerpt is enough.
    body = (await readBoundedText(response, MAX_HEALTH_BODY_BYTES, request.timeoutMs, request.clock, request.signal)).text;
  } catch (cause) {
    throw networkError(errors, 'The streaming health response broke off: ', cause, request.token);
  }
  if (!response.ok) {
    // A server or proxy may echo `Authorization` as its request id: it is redacted like the body (core does the same).
    const echoedId = response.headers.get('x-request-id');
    const requestId = echoedId === null ? undefined : redactCredentials(echoedId, request.token).slice(0, 200);
    throw httpError(errors, 'Streaming health check failed: ', {
      status: response.status,
      serverMessage: errorText(body, request.token),
      retryAfterMs: retryDelayFrom(response.headers, request.clock.now()),
      requestId,
      // After redirects, without the token a server may echo into a redirect's target; a fetch that fills in no url
      // (a test double) leaves the one asked.
      url: redactCredentials(response.url || String(url), request.token),
    });
  }
  return body === 'OK' || body === 'success';
}

/**
 * The wait a 429 or 503 asks for, as core computes it for stream errors (its function is not among
 * the exports this package may use): `Retry-After` in seconds or as a date (proxies), else Mastodon's
 * `X-RateLimit-Reset` once `X-RateLimit-Remaining` is 0. A date is the server's, so it is measured
 * from the answer's `Date` where that is readable, else from the client's clock.
 */
function retryDelayFrom(headers: Headers, clientNowMs: number): number | undefined {
  const serverNow = Date.parse(headers.get('date') ?? '');
  const nowMs = Number.isNaN(serverNow) ? clientNowMs : serverNow;
  const retryAfter = headers.get('retry-after')?.trim();
  const reset = headers.get('x-ratelimit-remaining') === '0' ? headers.get('x-ratelimit-reset') : null;
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const until = [retryAfter, reset].map((date) => Date.parse(date ?? '')).find((time) => !Number.isNaN(time));
  return until === undefined ? undefined : Math.max(0, until - nowMs);
}

/** An instance document, the URL that answered with it, and its text as received. */
export interface InstanceAnswer {
  document: unknown;
  url: string;
  text: string;
}

/**
 * The first instance document that one of `urls` (v2, then v1) returns, or
 * `undefined`: then nothing is assumed about the instance. A document that is
 * too large, or still arriving after the timeout, counts as not returned.
 * Rejects only when `request.signal` aborts (with its reason): a cancelled
 * lookup has no answer, not a missing one.
 */
export async function fetchInstance(urls: readonly URL[], request: RestRequest): Promise<InstanceAnswer | undefined> {
  for (const url of urls) {
    try {
      const response = await send(url, request);
      // A document a redirect brought from another origin is not the instance's: core's discovery, handed it, would
      // send the token where it points (fetch dropped the token on that hop for this reason).
      if (response.ok && !(response.redirected && (!URL.canParse(response.url) || new URL(response.url).origin !== url.origin))) {
        const { text, complete } = await readBoundedText(response, MAX_INSTANCE_BODY_BYTES, request.timeoutMs, request.clock, request.signal);
        if (complete) return { document: JSON.parse(text) as unknown, url: url.href, text };
      } else await response.body?.cancel().catch(() => {});
    } catch {
      // Try the next one; a failed lookup must never stop a stream.
    }
    request.signal?.throwIfAborted();
  }
  return undefined;
}

function send(url: string | URL, { fetch, headers, signal }: RestRequest): Promise<Response> {
  return fetch(url, { method: 'GET', headers, credentials: 'omit', ...(signal ? { signal } : {}) });
}

/**
 * The server's `error` text, else an excerpt of the body, without the token
 * the request was sent with: a server or proxy that echoes `Authorization`
 * must not put it into an error message.
 */
function errorText(body: string, token: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    // Cut as an excerpt is: a hostile server's 16 KiB `error` would otherwise be a 16 KiB log line on every retry.
    if (typeof parsed?.error === 'string') return redactCredentials(parsed.error, token).slice(0, 200);
  } catch {
    // Not JSON: a proxy's page. Keep a short excerpt.
  }
  // Redacted before it is cut, so no part of a token is left at the cut.
  const trimmed = redactCredentials(body, token).trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

/**
 * A transport failure as `MastodonNetworkError`, without the token: fetch's
 * TypeError for a header it cannot send quotes the header's value, and a user's
 * wrapping fetch may name the request it failed on. When any layer of the
 * failure's cause chain held a credential, the cause is replaced by an error
 * with the redacted text (loggers print the whole chain, stacks included).
 */
function networkError(errors: ErrorClasses, prefix: string, cause: unknown, token: string | undefined): MastodonNetworkError {
  const safe = redactCredentials(describe(cause), token);
  return new errors.MastodonNetworkError(prefix + safe, { cause: quotesCredential(cause, token) ? new Error(safe) : cause });
}

/**
 * Whether a logger printing `error` could print a credential: walked breadth-first up to a bounded number of values,
 * the messages, causes, fields and headers of its layers (a user's fetch may reject with the `Request` or `RequestInit`
 * it failed on; fetch's invalid-URL error keeps the URL it could not parse as `input`). Core's network errors take the
 * same walk (http-errors.ts); the listener may import only core's public exports, so it has its own.
 */
function quotesCredential(error: unknown, token: string | undefined): boolean {
  const pending: unknown[] = [error];
  try {
    for (let visited = 0; visited < pending.length && visited < 1_000; visited++) {
      const value = pending[visited];
      if (typeof value == 'string' && redactCredentials(value, token) !== value) return true;
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
}

/**
 * The most specific text of a fetch failure: undici wraps the reason (`connect ECONNREFUSED 127.0.0.1:443`) in a
 * generic `fetch failed`, so the innermost message of the first layers wins, with its code, as core's network errors
 * read it.
 */
function describe(error: unknown): string {
  let text = error instanceof Error ? error.message : String(error);
  for (let layer = error, depth = 0; depth < 5 && layer instanceof Error; depth++, layer = layer.cause) {
    const code = (layer as { code?: unknown }).code;
    // Trimmed: OpenSSL's reasons end with a line break, which would split the log line before the code.
    const message = layer.message.trim();
    if (message) text = typeof code == 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return text;
}
