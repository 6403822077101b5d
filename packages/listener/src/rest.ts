// Loaded on demand (through instance-checks.ts): plain REST requests of this
// package, which a stream without version checks or feed warnings never makes.
import { readBoundedText } from './bounded-text.js';
import { httpError } from './error-mapping-server.js';
import { MastodonNetworkError } from './errors.js';

/** Largest health body read: the answer is `OK`, an error's JSON, or a proxy's page, of which an excerpt is kept. */
const MAX_HEALTH_BODY_BYTES = 16_384;
/** Largest instance document accepted (`/api/v2/instance` is a few kilobytes on real servers). */
const MAX_INSTANCE_BODY_BYTES = 1_048_576;

/**
 * `GET {streaming base}/api/v1/streaming/health`: true iff the body is
 * exactly `OK` or `success` (as Mastodon.py). HTTP errors become the
 * Mastodon.py error classes, transport failures (a body still arriving after
 * `timeoutMs` included) `MastodonNetworkError`.
 */
export async function fetchStreamHealth(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, timeoutMs: number): Promise<boolean> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'GET', headers, credentials: 'omit' });
  } catch (cause) {
    throw new MastodonNetworkError(`Could not reach the streaming health endpoint: ${describe(cause)}`, { cause });
  }
  let body: string;
  try {
    // A cut-off body is not `OK` either, so the excerpt is enough.
    body = (await readBoundedText(response, MAX_HEALTH_BODY_BYTES, timeoutMs)).text;
  } catch (cause) {
    throw new MastodonNetworkError(`The streaming health response broke off: ${describe(cause)}`, { cause });
  }
  if (!response.ok) throw httpError('Streaming health check failed: ', { status: response.status, serverMessage: errorText(body) });
  return body === 'OK' || body === 'success';
}

/**
 * The first instance document that one of `urls` (v2, then v1) returns, or
 * `undefined`: then nothing is assumed about the instance. A document that is
 * too large, or still arriving after `timeoutMs`, counts as not returned.
 */
export async function fetchInstance(fetchImpl: typeof fetch, urls: readonly URL[], headers: Record<string, string>, timeoutMs: number): Promise<unknown> {
  for (const url of urls) {
    try {
      const response = await fetchImpl(url, { method: 'GET', headers, credentials: 'omit' });
      if (response.ok) {
        const { text, complete } = await readBoundedText(response, MAX_INSTANCE_BODY_BYTES, timeoutMs);
        if (complete) return JSON.parse(text) as unknown;
        continue;
      }
      await response.body?.cancel().catch(() => {});
    } catch {
      // Try the next one; a failed lookup must never stop a stream.
    }
  }
  return undefined;
}

function errorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === 'string') return parsed.error;
  } catch {
    // Not JSON: a proxy's page. Keep a short excerpt.
  }
  const trimmed = body.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
