// Loaded on demand: core reconnects by itself, so a run restarts its own
// iteration only after a malformed event under `malformedEvents: 'abort'`
// with `reconnectAsync`, which most streams never see.
import { RECONNECT_BACKOFF } from './defaults.js';
import { MAX_TIMER_MS } from './timer-limit.js';
import type { ResolvedStreamOptions } from './stream-options.js';

/**
 * The wait before restarting a run that core could not continue (after a
 * malformed-event abort): the same backoff shape as the reconnect policy.
 */
export function restartDelay(policy: ResolvedStreamOptions['reconnect'], attempt: number, random: () => number): number {
  const floor = policy === false ? RECONNECT_BACKOFF.minWaitMs : (policy.minDelayMs ?? RECONNECT_BACKOFF.minWaitMs);
  const first = policy === false ? floor : (policy.initialDelayMs ?? floor);
  const cap = policy === false ? first : (policy.maxDelayMs ?? first);
  const bound = Math.min(cap, first * RECONNECT_BACKOFF.factor ** (attempt - 1));
  return floor + random() * Math.max(0, bound - floor);
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no timer or listener behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, MAX_TIMER_MS));
    signal.addEventListener('abort', done, { once: true });
  });
}
