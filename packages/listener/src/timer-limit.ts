import type { Clock } from '@tootstream/core';

// Loaded with the on-demand modules that set their own timers (the run itself uses its clock, core's by default, which caps them too).

/**
 * The longest delay a runtime's timer holds (2^31 - 1 ms, ~24.8 days).
 * Browsers, Deno and Node fire a longer one after 1 ms instead, which would
 * turn a generous `requestTimeout` into an instant timeout.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The runtime's timers and time, for a client given no `clock` (core's `systemClock` cannot be imported by an
 * on-demand chunk). Looked up per call, as core's are, so fake timers installed later are used.
 */
export const runtimeClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, Math.min(delayMs, MAX_TIMER_MS)),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
