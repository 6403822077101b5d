// Loaded on demand (through instance-checks.ts): streams bound their header wait with core's connectTimeoutMs.
/**
 * Wraps `fetch` so that a request whose response headers do not arrive
 * within `timeoutMs` fails (Mastodon.py's connect timeout, `request_timeout`).
 * Core's stall watchdog starts only once a response is there, so without this
 * a server that accepts the connection and never answers would hang a stream
 * forever. The caller's own signal keeps working for the whole response,
 * body included.
 *
 * @example
 * ```ts
 * const fetchWithTimeout = withHeaderTimeout(globalThis.fetch, 300_000);
 * ```
 */
export function withHeaderTimeout(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return fetchImpl;
  return (input, init) => {
    const controller = new AbortController();
    const parent = init?.signal;
    const forward = () => controller.abort(parent?.reason);
    if (parent?.aborted) forward();
    else parent?.addEventListener('abort', forward, { once: true });
    const timer = setTimeout(() => {
      controller.abort(new DOMException(`No response headers within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    return fetchImpl(input, { ...init, signal: controller.signal }).then(
      (response) => {
        clearTimeout(timer);
        return response;
      },
      (error: unknown) => {
        clearTimeout(timer);
        parent?.removeEventListener('abort', forward);
        throw error;
      },
    );
  };
}
