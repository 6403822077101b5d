import type { Clock } from './clock.js';
import type { MastodonApiError } from './errors.js';
import { kit } from './up-front-kit.js';

// Only REST calls and HTTP error responses read whole bodies, so this module
// lives in their on-demand chunks: a healthy stream never loads it.

/** Largest HTTP error body read; the rest is not waited for. */
export const MAX_ERROR_BODY_BYTES = 16_384;
/** Longest wait for an HTTP error body; the status alone is enough to go on. */
export const MAX_ERROR_BODY_WAIT_MS = 5_000;
/** Largest instance document (`/api/v2/instance` is a few kilobytes on real servers). */
export const MAX_INSTANCE_BODY_BYTES = 1_048_576;
/** Allowance per requested item of a catch-up page (a real status is a few kilobytes); the page bound grows with `pageSize`. */
export const MAX_PAGE_BYTES_PER_ITEM = 262_144;

/** How much of a body is read, and for how long. */
export interface BodyLimits {
  maxBytes: number;
  /** Counted from the start of the read; a body that trickles on is cut off. */
  timeoutMs: number;
  clock: Clock;
  /** Stops the read (as if the body ended there): a REST request's signal follows the caller's only until its headers arrive. */
  signal?: AbortSignal | undefined;
}

/**
 * Reads a response body as text without trusting the server to end it: a
 * body that grows past `maxBytes` or is still arriving after `timeoutMs`
 * makes `'whole'` throw (MastodonApiError / MastodonNetworkError; a failed read or an abort of `signal` throws what the
 * read or the signal gave, for the caller, who knows the request's token, to wrap), while
 * `'partial'` (error bodies, where the status is what matters) returns what
 * arrived by then. The body is always released.
 */
export async function readBodyText(response: Response, limits: BodyLimits, wanted: 'whole' | 'partial'): Promise<string> {
  const { maxBytes, timeoutMs, clock, signal } = limits;
  const declared = Number(response.headers.get('content-length'));
  if (wanted === 'whole' && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(response.status, maxBytes);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  let timedOut = false;
  // Cancelling ends the pending read() with `done`, so the loop below stops at once.
  const timer = clock.setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, timeoutMs);
  const stop = () => reader.cancel().catch(() => {});
  if (signal?.aborted) void stop();
  signal?.addEventListener('abort', stop);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      if (wanted === 'whole' ? size > maxBytes : size >= maxBytes) {
        if (wanted === 'whole') throw tooLarge(response.status, maxBytes);
        break;
      }
    }
  } catch (error) {
    // The caller knows the request's token, which a user's fetch may have quoted in a read failure: it wraps the failure.
    if (wanted === 'whole') throw error;
    // A broken error body still leaves the status, which is what matters.
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
    reader.cancel().catch(() => {});
  }
  if (wanted === 'whole') signal?.throwIfAborted();
  if (timedOut && wanted === 'whole') throw new kit.NetworkError(`the response body did not finish within ${timeoutMs} ms`, { phase: 'read' });
  return decodeAtMost(chunks, Math.min(size, maxBytes));
}

function tooLarge(status: number, maxBytes: number): MastodonApiError {
  return new kit.ApiError(status, `the response body is larger than ${maxBytes} bytes`);
}

function decodeAtMost(chunks: Uint8Array[], length: number): string {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    const slice = chunk.subarray(0, length - offset);
    joined.set(slice, offset);
    offset += slice.length;
  }
  return new TextDecoder().decode(joined);
}
