// Loaded on demand: core reconnects by itself (stalls included), so a run
// restarts its own iteration only after a malformed event under
// `malformedEvents: 'abort'` with `reconnectAsync`, which most streams never
// see; the server has just answered then, so the chunk can load. Like every
// on-demand module it imports nothing the entry loads (README: "What loads up front").
import type { Clock, ReconnectPolicy } from '@tootstream/core';

/**
 * The wait before restarting a run that core could not continue (after a
 * malformed-event abort): the same backoff shape as the reconnect policy,
 * which `reconnectPolicyFor` (the only source of a run's policy) fills in
 * completely.
 */
export function restartDelay(policy: Partial<ReconnectPolicy>, attempt: number, random: () => number): number {
  const { minDelayMs: floor, initialDelayMs: first, maxDelayMs: cap, factor } = policy as ReconnectPolicy;
  const bound = Math.min(cap, first * factor ** (attempt - 1));
  return floor + random() * Math.max(0, bound - floor);
}

/** Resolves after `ms` on `clock` (core's caps what a runtime's timer cannot hold), or at once when `signal` aborts; leaves no timer or listener behind. */
export function sleep(ms: number, signal: AbortSignal, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The wait before restart number `attempt`: {@link restartDelay} slept on `clock`, cut short when `signal` aborts. */
export function waitBeforeRestart(policy: Partial<ReconnectPolicy>, attempt: number, random: () => number, signal: AbortSignal, clock: Clock): Promise<void> {
  return sleep(restartDelay(policy, attempt, random), signal, clock);
}
