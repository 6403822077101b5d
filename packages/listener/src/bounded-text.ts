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
 * aborted by `AbortSignal.timeout`. The body is always released.
 *
 * @example
 * ```ts
 * const { text, complete } = await readBoundedText(response, 16_384, 300_000);
 * ```
 */
export async function readBoundedText(response: Response, maxBytes: number, timeoutMs: number): Promise<BoundedText> {
  const reader = response.body?.getReader();
  if (reader === undefined) return { text: '', complete: true };
  const timeout = new DOMException(`The response body did not finish within ${timeoutMs} ms`, 'TimeoutError');
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        reader.cancel(timeout).catch(() => {});
      }, timeoutMs)
    : undefined;
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw timeout;
      if (done) return { text: text + decoder.decode(), complete: true };
      size += value.length;
      if (size > maxBytes) return { text: text + decoder.decode(value.subarray(0, maxBytes - (size - value.length))), complete: false };
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}
