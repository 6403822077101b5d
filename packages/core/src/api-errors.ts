import { MastodonApiError } from './errors.js';
import { MAX_ERROR_BODY_BYTES } from './options.js';

// Only an HTTP error response needs this module, so the connection imports it
// on demand and a healthy stream never loads it.

/** Reads at most {@link MAX_ERROR_BODY_BYTES} of an error body and builds the typed error. */
export async function toApiError(response: Response, clockNow: number): Promise<MastodonApiError> {
  const text = await readBoundedText(response);
  let serverMessage: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body?.error === 'string') serverMessage = body.error;
  } catch {
    serverMessage = text.trim() === '' ? undefined : text.trim().slice(0, 200);
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return new MastodonApiError(response.status, serverMessage, retryDelayFrom(response.headers, clockNow), requestId === undefined ? {} : { requestId });
}

/**
 * `Retry-After` (seconds or an HTTP date) as proxies send it, else Mastodon's own
 * `X-RateLimit-Reset` on a 429 (Mastodon itself sends no `Retry-After`).
 */
export function retryDelayFrom(headers: Headers, nowMs: number): number | undefined {
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

async function readBoundedText(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body that breaks off still leaves us the status, which is what matters.
  } finally {
    reader.cancel().catch(() => {});
  }
  const joined = new Uint8Array(Math.min(size, MAX_ERROR_BODY_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const slice = chunk.subarray(0, joined.length - offset);
    joined.set(slice, offset);
    offset += slice.length;
  }
  return new TextDecoder().decode(joined);
}
