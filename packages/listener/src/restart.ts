// Loaded on demand: core reconnects by itself (stalls included), so a run
// restarts its own iteration only after a malformed event under
// `malformedEvents: 'abort'` with `reconnectAsync`, which most streams never
// see; the server has just answered then, so the chunk can load. Like every
// on-demand module it imports nothing the entry loads (README: "What loads up front").
import type { ClientOptions, Clock, ReconnectPolicy } from '@tootstream/core';

/**
 * Core's `systemClock`, as far as {@link sleep} uses it, for a client given no clock: this chunk cannot import core's
 * (that would split the entry), and the entry would ship the default to every user for a path few reach. The same as
 * timer-limit.ts's `runtimeClock` (the instance checks'), written out for the reason below.
 */
const runtimeClock: Pick<Clock, 'setTimeout' | 'clearTimeout'> = {
  // Looked up per call, as core's are, so fake timers installed later are used; capped where runtimes wrap to 1 ms (at
  // timer-limit.ts's MAX_TIMER_MS, written out: importing it would put it into a chunk shared with the instance checks).
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, Math.min(delayMs, 2_147_483_647)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

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

/** Resolves after `ms` on `clock` (core's and ours cap what a runtime's timer cannot hold), or at once when `signal` aborts; leaves no timer or listener behind. */
export function sleep(ms: number, signal: AbortSignal, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>): Promise<void> {
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

/**
 * The wait before restart number `attempt`: {@link restartDelay} jittered by the client's `random` and slept on its
 * `clock` (the runtime's where it gives none, as core's defaults are), cut short when `signal` aborts.
 */
export function waitBeforeRestart(policy: Partial<ReconnectPolicy>, attempt: number, sources: Pick<ClientOptions, 'random' | 'clock'> | undefined, signal: AbortSignal): Promise<void> {
  return sleep(restartDelay(policy, attempt, sources?.random ?? Math.random), signal, sources?.clock ?? runtimeClock);
}
