/** Who a request is, as Rack::Attack tells requests apart. */
export interface RateLimitSubject {
  /** A token Doorkeeper knows (revoked ones too); unknown tokens count as none. */
  token?: string | undefined;
  /** The token's user; undefined without a known token and for app tokens, which have none. */
  userId?: string;
  /** The client's address. */
  ip: string;
  /** Carries `page`, `min_id`, `max_id` or `since_id` (Rack::Attack's `paging_request?`). */
  paging: boolean;
}

interface Throttle {
  limit: number;
  periodMs: number;
  discriminator: (subject: RateLimitSubject) => string | undefined;
}

const MINUTE = 60_000;
const anonymous = (subject: RateLimitSubject) => subject.userId === undefined;

// The API throttles of Mastodon 4.5's config/initializers/rack_attack.rb, in its order (which
// decides ties in Api::RateLimitHeaders' min_by). Every route of this fake is under /api.
const THROTTLES: readonly Throttle[] = [
  { limit: 1_500, periodMs: 5 * MINUTE, discriminator: (s) => s.userId && `user:${s.userId}` },
  { limit: 300, periodMs: 5 * MINUTE, discriminator: (s) => s.token && `token:${s.token}` },
  { limit: 300, periodMs: 5 * MINUTE, discriminator: (s) => (anonymous(s) ? `ip:${s.ip}` : undefined) },
  { limit: 300, periodMs: 15 * MINUTE, discriminator: (s) => (s.paging && s.userId ? `paging-user:${s.userId}` : undefined) },
  { limit: 300, periodMs: 15 * MINUTE, discriminator: (s) => (s.paging && anonymous(s) ? `paging-ip:${s.ip}` : undefined) },
];

/**
 * Rails adds the window's remaining seconds to the request time and writes it with microseconds
 * (`(request_time + reset_period_offset).iso8601(6)`), so the reset keeps the request's fraction.
 */
function resetStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

function headersOf(limit: number, remaining: number, resetMs: number): Record<string, string> {
  return { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(Math.max(0, remaining)), 'X-RateLimit-Reset': resetStamp(resetMs) };
}

/**
 * Per-throttle request counts for realistic `X-RateLimit-*` headers, in Rack::Attack's windows
 * (aligned to multiples of the period). The limit is never enforced by counting (tests would
 * have to make 300 requests); {@link exhaustNext} scripts the 429.
 *
 * @example
 * const limits = new RateLimitCounter();
 * limits.headers({ token: 'peer-test-token', userId: '1001', ip: '127.0.0.1', paging: false });
 * // { 'X-RateLimit-Limit': '300', 'X-RateLimit-Remaining': '299', … }
 */
export class RateLimitCounter {
  private readonly counts = new Map<string, number>();
  private readonly scripted: Array<{ resetInMs: number | undefined }> = [];

  /** Counts the request and returns the headers of the throttle with the fewest requests left. */
  headers(subject: RateLimitSubject): Record<string, string> {
    return this.mostLimited(subject, 1);
  }

  /** Queues `times` exhausted answers; `resetInMs` counts from each answer. */
  exhaustNext(times: number, resetInMs: number | undefined): void {
    for (let index = 0; index < times; index += 1) this.scripted.push({ resetInMs });
  }

  /** Headers of the 429 for this request when one is queued, else undefined. */
  takeExhausted(subject: RateLimitSubject): Record<string, string> | undefined {
    const next = this.scripted.shift();
    if (!next) return undefined;
    const current = this.mostLimited(subject, 0);
    const reset = next.resetInMs === undefined ? current['X-RateLimit-Reset']! : resetStamp(Date.now() + next.resetInMs);
    return { ...current, 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset };
  }

  private mostLimited(subject: RateLimitSubject, add: number): Record<string, string> {
    const now = Date.now();
    let best: { throttle: Throttle; remaining: number } | undefined;
    for (const [index, throttle] of THROTTLES.entries()) {
      const who = throttle.discriminator(subject);
      if (!who) continue;
      const key = `${index}:${Math.floor(now / throttle.periodMs)}:${who}`;
      const count = (this.counts.get(key) ?? 0) + add;
      this.counts.set(key, count);
      const remaining = throttle.limit - count;
      if (!best || remaining < best.remaining) best = { throttle, remaining };
    }
    // Every request matches the per-token or the per-address throttle.
    const { throttle, remaining } = best!;
    const periodEnd = (Math.floor(now / throttle.periodMs) + 1) * throttle.periodMs;
    return headersOf(throttle.limit, remaining, periodEnd + (now % 1000));
  }
}
