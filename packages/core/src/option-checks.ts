import { MastodonArgumentError } from './errors.js';
import type { StreamOptions } from './options.js';

/** The least value of each numeric stream option (in the options, `reconnect`, `catchUp` and `dedupe`). */
const LEAST = {
  maxEventBytes: 1,
  stallTimeoutMs: 0,
  stallTimeoutBeforeHeartbeatMs: 0,
  connectTimeoutMs: 0,
  capacity: 1,
  pageSize: 1,
  maxPages: 0,
  initialDelayMs: 0,
  factor: 1,
  maxDelayMs: 0,
  minDelayMs: 0,
  maxAttempts: 0,
  maxElapsedMs: 0,
  resetAfterMs: 0,
} as const;

/**
 * Checks a stream's numeric options when the stream is created, so a NaN, a
 * negative or a wrong type is a MastodonArgumentError up front instead of a
 * hot reconnect loop, an unbounded buffer or a catch-up that fails later.
 * Infinity passes where "no limit" makes sense (timers wait at most ~24.8
 * days, the longest a runtime's timer can).
 */
export function assertStreamOptions(options: StreamOptions): void {
  for (const group of [options, options.reconnect, options.catchUp, options.dedupe]) {
    if (!group) continue;
    for (const [name, value] of Object.entries(group)) {
      const least = LEAST[name as keyof typeof LEAST];
      if (least === undefined || (typeof value === 'number' && value >= least && (name !== 'pageSize' || Number.isInteger(value)))) continue;
      throw new MastodonArgumentError(`${name} must be a number >= ${least}${name === 'pageSize' ? ', whole' : ''} (got ${String(value)})`);
    }
  }
}
