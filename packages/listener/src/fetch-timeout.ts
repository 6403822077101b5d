import type { Clock } from '@tootstream/core';

// Loaded on demand (through instance-checks.ts): streams bound their header wait with core's connectTimeoutMs.
/**
 * Wraps `fetch` so that a request whose response headers do not arrive
 * within `timeoutMs` fails (Mastodon.py's connect timeout, `request_timeout`).
 * Core's stall watchdog starts only once a response is there, so without this
 * a server that accepts the connection and never answers would hang a stream
 * forever. The caller's signal aborts the request until its headers arrive;
 * the body is then the reader's to stop (`readBoundedText` takes the same
 * signal). So nothing of this wrapper outlives the call: no timer, and no
 * listener on a signal the caller may keep for a long time. The timer is the client's `clock`'s, so a test's
 * virtual clock drives `requestTimeout` as it drives core's timers.
 *
 * @example
 * ```ts
 * const fetchWithTimeout = withHeaderTimeout(globalThis.fetch, 300_000, runtimeClock);
 * const response = await fetchWithTimeout(url, { signal });
 * const { text } = await readBoundedText(response, 16_384, 300_000, runtimeClock, signal);
 * ```
 */
export function withHeaderTimeout(fetchImpl: typeof fetch, timeoutMs: number, clock: Clock): typeof fetch {
  // Without a timeout the signal is still the caller's only until the headers arrive: Node's fetch crashes the process
  // when a fetch it rejected (a response with more than five content codings) has its signal aborted later.
  const timed = timeoutMs > 0 && Number.isFinite(timeoutMs);
  return async (input, init) => {
    const controller = new AbortController();
    const parent = init?.signal;
    const forward = () => controller.abort(parent?.reason);
    if (parent?.aborted) forward();
    else parent?.addEventListener('abort', forward);
    const timer = timed
      ? clock.setTimeout(() => {
          controller.abort(new DOMException(`No response headers within ${timeoutMs} ms`, 'TimeoutError'));
        }, timeoutMs)
      : undefined;
    try {
      return await fetchImpl(input, { ...init, signal: controller.signal });
    } finally {
      clock.clearTimeout(timer);
      parent?.removeEventListener('abort', forward);
    }
  };
}
