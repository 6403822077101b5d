import type { Clock } from '@tootstream/core';

// Loaded on demand with rest.ts: only the listener's own REST checks read whole bodies.

/** What {@link readBoundedText} got: the text, and whether the body ended within `maxBytes`. */
export interface BoundedText {
  text: string;
  complete: boolean;
}

/**
 * Reads a body as text without trusting the server to end it: reading stops
 * after `maxBytes` (then `complete` is false), and a body still arriving
 * after `timeoutMs` rejects with a `TimeoutError` DOMException, like a fetch
 * aborted by `AbortSignal.timeout`. When `signal` aborts, it rejects with the
 * signal's reason, as `fetch` does. The body is always released, and no
 * timer or listener is left behind.
 *
 * @example
 * ```ts
 * const { text, complete } = await readBoundedText(response, 16_384, 300_000, runtimeClock, signal);
 * ```
 */
export async function readBoundedText(response: Response, maxBytes: number, timeoutMs: number, clock: Clock, signal?: AbortSignal): Promise<BoundedText> {
  const reader = response.body?.getReader();
  if (reader === undefined) return { text: '', complete: true };
  /** Why reading was stopped early (the deadline or the caller's abort): a cancelled read just reports `done`. */
  let stopped: { reason: unknown } | undefined;
  const stopReading = (reason: unknown) => {
    stopped ??= { reason };
    reader.cancel(reason).catch(() => {});
  };
  const timer = Number.isFinite(timeoutMs)
    ? clock.setTimeout(() => stopReading(new DOMException(`The response body did not finish within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
    : undefined;
  const onAbort = () => stopReading(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort);
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) throw stopped.reason;
      if (done) return { text: text + decoder.decode(), complete: true };
      size += value.length;
      if (size > maxBytes) return { text: text + decoder.decode(value.subarray(0, maxBytes - (size - value.length))), complete: false };
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => {});
  }
}
