const RATE_LIMIT = 300;
const RATE_WINDOW_MS = 5 * 60 * 1000;

/** Rails writes the reset time with microseconds: `2026-11-28T11:25:00.000000Z`. */
function resetStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/**
 * Per-token request counts for realistic `X-RateLimit-*` headers. The limit is never enforced
 * by counting (tests would have to make 300 requests); {@link exhaustNext} scripts the 429.
 *
 * @example
 * const limits = new RateLimitCounter();
 * limits.headers('peer-test-token'); // { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '299', … }
 */
export class RateLimitCounter {
  private readonly windows = new Map<string, { start: number; used: number }>();
  private readonly scripted: Array<{ resetInMs: number | undefined }> = [];

  headers(key: string): Record<string, string> {
    const window = this.windowOf(key);
    window.used += 1;
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - window.used)),
      'X-RateLimit-Reset': resetStamp(window.start + RATE_WINDOW_MS),
    };
  }

  /** Queues `times` exhausted answers; `resetInMs` counts from each answer. */
  exhaustNext(times: number, resetInMs: number | undefined): void {
    for (let index = 0; index < times; index += 1) this.scripted.push({ resetInMs });
  }

  /** Headers of the 429 for this request when one is queued, else undefined. */
  takeExhausted(key: string): Record<string, string> | undefined {
    const next = this.scripted.shift();
    if (!next) return undefined;
    const window = this.windowOf(key);
    const reset = next.resetInMs === undefined ? window.start + RATE_WINDOW_MS : Date.now() + next.resetInMs;
    return { 'X-RateLimit-Limit': String(RATE_LIMIT), 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': resetStamp(reset) };
  }

  private windowOf(key: string): { start: number; used: number } {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= RATE_WINDOW_MS) {
      window = { start: now, used: 0 };
      this.windows.set(key, window);
    }
    return window;
  }
}
