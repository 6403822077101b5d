import type { RandomSource } from './clock.js';
import { isTootstreamError, type TootstreamError, type TootstreamErrorCode } from './errors.js';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy, type StreamOptions } from './options.js';

/**
 * Whether a failure is worth retrying. Client errors are fatal: a retry
 * cannot fix them (bad request, unknown channel, revoked token, missing list,
 * a tag too long for the server's URL limit), except 408 and 429, which ask
 * for one. So is a 200 that is not an event stream: a wrong host or a proxy
 * answers the same way every time. The network, 5xx, clean ends and stalls are transient.
 */
export const isRetryable = (error: unknown): error is TootstreamError => {
  // Anything else thrown (a bug, a user's hook) is not a failure of the connection.
  if (!isTootstreamError(error)) return false;
  // The codes of transient failures (a reconnect's rare path: a fresh array each time costs nothing that matters), except
  // network errors that are the same every time, so retried would loop forever: Deno refusing the host (no --allow-net
  // for it), and a port fetch never connects to (the fetch standard's bad ports, such as 6000: Node says `bad port`,
  // Deno `Requests to port 6000 are blocked`; a browser says no more than `Failed to fetch`, and is retried).
  if (error.code !== 'API') {
    return (
      (['NETWORK', 'STALLED', 'STREAM_ENDED', 'EVENT_TOO_LARGE'] as TootstreamErrorCode[]).includes(error.code) &&
      !['NotCapable', 'PermissionDenied'].includes((error.cause as Error | undefined)?.name as string) &&
      !/^bad port$|port \d+ are blocked/.test((error as TootstreamError & { reason?: string }).reason as string)
    );
  }
  const status = (error as TootstreamError & { status: number }).status;
  return status < 400 || status > 499 || status === 408 || status === 429;
};

/**
 * The longest server-requested `Retry-After` a stream honours when `maxDelayMs`
 * is shorter: an hour, as long as a maintenance window a server announces (a
 * shorter cap knocked every few minutes through it). One absurd header from a
 * proxy would otherwise park the stream for the longest timer a runtime has (24.8 days).
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * The wait before attempt number `attempt` (1-based): exponential bound,
 * capped, with full jitter, never below `minDelayMs`, and never shorter than
 * a server-requested `Retry-After` (up to the larger of `maxDelayMs` and
 * {@link MAX_RETRY_AFTER_MS}); with full jitter, past it by up to half of it
 * (at most the bound).
 */
export const backoffDelay = (policy: ReconnectPolicy, attempt: number, random: RandomSource, retryAfterMs?: number): number => {
  const bound = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1));
  const floor = Math.min(policy.minDelayMs, bound);
  const jittered = policy.jitter === 'full';
  const asked = honouredRetryAfter(policy, retryAfterMs);
  // Past the server's wait too: every client it told to wait the same time (a restarted server's herd, one rate-limit
  // window) would otherwise come back at the same instant, and the herd would never spread.
  return Math.round(Math.max(jittered ? floor + random() * (bound - floor) : bound, asked && asked + +jittered * random() * Math.min(bound, asked / 2)));
};

const honouredRetryAfter = (policy: ReconnectPolicy, retryAfterMs = 0) => Math.min(retryAfterMs, Math.max(policy.maxDelayMs, MAX_RETRY_AFTER_MS));

/**
 * The retries one stream has spent since its last healthy connection, held
 * against the policy's limits (`maxAttempts`, `maxElapsedMs`, `resetAfterMs`).
 */
export interface RetryBudget {
  /** Retries spent so far. */
  spent(): number;
  /** Starts the clock of `maxElapsedMs` at the first failure of a run of failures. */
  failedAt(now: number): void;
  /** A live event or a heartbeat arrived: the connection it came on was healthy, however short it lived. */
  delivered(): void;
  /**
   * A connection that delivered an event or a heartbeat, or stayed open for
   * `resetAfterMs`, earned a fresh budget. One that did none of these (a revoked
   * token's stream the server ends at once) is a failed attempt, so its reconnects back off.
   */
  lost(openedAt: number, now: number): void;
  /**
   * Spends one retry: the delay to wait before it, or `undefined` when the
   * policy gives up, which includes a server asking to wait past `maxElapsedMs`
   * (a Retry-After no retry can be made within). A delay that would end past
   * `maxElapsedMs` is cut to end at it, so the last retry is made within the
   * budget instead of up to `maxDelayMs` after it.
   */
  spend(now: number, random: RandomSource, retryAfterMs: number | undefined): number | undefined;
}

/**
 * A budget for a partial policy (settled: no field is set to `undefined`), the rest from the defaults; filled in here
 * rather than by a helper of its own, a function less in the bundle.
 * (Closures rather than a class: local names minify where `this.#field` reads cannot.)
 */
export const retryBudget = (partial: Exclude<StreamOptions['reconnect'], false>): RetryBudget => {
  const policy = { ...DEFAULT_RECONNECT_POLICY, ...partial } as ReconnectPolicy;
  let spent = 0;
  let failingSince: number | undefined;
  let delivered = false;
  return {
    spent: () => spent,
    failedAt(now) {
      failingSince ??= now;
    },
    delivered() {
      delivered = true;
    },
    lost(openedAt, now) {
      if (delivered || now - openedAt >= policy.resetAfterMs) {
        spent = 0;
        failingSince = undefined;
      }
      delivered = false;
    },
    spend(now, random, retryAfterMs) {
      const budgetLeft = policy.maxElapsedMs - now + (failingSince ?? now);
      if (spent >= policy.maxAttempts || honouredRetryAfter(policy, retryAfterMs) >= budgetLeft) return undefined;
      return Math.min(backoffDelay(policy, ++spent, random, retryAfterMs), budgetLeft);
    },
  };
};
