/**
 * The one rule for every duration the testkit takes (options such as `heartbeatIntervalMs`,
 * arguments such as `restart({ downMs })` and every wait's `timeoutMs`), and the timers that
 * apply it:
 *
 * - a number of ms ≥ 0; fractions are rounded up to the next whole ms (a timer counts whole ms,
 *   and rounding down would fire early: 2.5 would otherwise be 2);
 * - `Infinity` means never: no timer is started at all;
 * - a finite value above {@link MAX_TIMER_DELAY_MS} (~24.8 days) is clamped to it, as core
 *   clamps its timers: a runtime fires a longer timer after 1 ms instead;
 * - a negative number or NaN is a RangeError, anything else but a number a TypeError, thrown by
 *   the call that was given it, naming the option and showing the value;
 * - 0 keeps the meaning each option documents (heartbeats off, deliver at once, …).
 */

/** The longest delay a runtime's timer holds (2^31 − 1 ms, ~24.8 days). */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Stops a timer started here; calling it again, or after the timer fired, does nothing. */
export type CancelTimer = () => void;

const nothingToCancel: CancelTimer = () => undefined;

/**
 * How a refused value reads in the testkit's argument errors: text quoted, so `'30'` is not
 * mistaken for 30; an object or function by its type.
 *
 * @example
 * shown('30') // "'30'"
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) return `a ${typeof value}`;
  return String(value);
}

/**
 * Returns `value` if it is a valid duration, else throws. `name` is how the error names it,
 * with its call (`'FakeMastodon.failNext: delayMs'`).
 *
 * @example
 * const downMs = checkDuration('FakeMastodon.restart: downMs', options.downMs);
 */
export function checkDuration(name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of ms (Infinity = never), got ${shown(value)}`);
  if (Number.isNaN(value) || value < 0) throw new RangeError(`${name} must be ≥ 0 ms (Infinity = never), got ${value}`);
  return value;
}

/**
 * {@link checkDuration} for an optional setting: `undefined` (left out) gives `fallback`.
 *
 * @example
 * const heartbeatIntervalMs = optionalDuration('createFakeMastodon: heartbeatIntervalMs', options.heartbeatIntervalMs, 15_000);
 */
export function optionalDuration(name: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkDuration(name, value);
}

/** The delay a timer is actually given: whole ms, at most the runtime's limit. */
function timerDelay(delayMs: number): number {
  return Math.min(Math.ceil(delayMs), MAX_TIMER_DELAY_MS);
}

/**
 * Runs `callback` once after `delayMs` on the global `setTimeout`, read at each call, so
 * `vi.useFakeTimers()` drives it: the server's own behaviour (restart downtime, delayed answers
 * and subscribes, reorder mode, WebSocket close timeouts) follows a faked clock on purpose.
 * `Infinity` starts no timer.
 *
 * @example
 * const cancel = runAfter(downMs, () => listen());
 * cancel(); // on close()
 */
export function runAfter(delayMs: number, callback: () => void): CancelTimer {
  if (delayMs === Infinity) return nothingToCancel;
  const timer = setTimeout(callback, timerDelay(delayMs));
  return () => clearTimeout(timer);
}

/**
 * Runs `callback` every `intervalMs` on the global `setInterval` (faked by
 * `vi.useFakeTimers()`, as heartbeats and WebSocket pings should be). 0 and `Infinity` start no
 * timer: both interval options document 0 as "off".
 *
 * @example
 * const stopHeartbeat = runEvery(heartbeatIntervalMs, () => write(':thump\n'));
 */
export function runEvery(intervalMs: number, callback: () => void): CancelTimer {
  if (intervalMs === 0 || intervalMs === Infinity) return nothingToCancel;
  const timer = setInterval(callback, timerDelay(intervalMs));
  return () => clearInterval(timer);
}

// Captured when the testkit is loaded, before a test can call vi.useFakeTimers(): the faked
// functions replace the globals, not these references. Timers faked before the testkit is first
// imported (in a setup file) are captured instead; the README's "Waits" says so.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetImmediate = globalThis.setImmediate;
const realClearImmediate = globalThis.clearImmediate;

/**
 * Runs `callback` on the event loop's next check phase, on the real `setImmediate`: pacing output
 * (a trickled stream, writes queued behind a stall) is not a timer a test drives, and a faked one
 * never fired while the test's clock stood still.
 *
 * @example
 * const cancel = onNextRealCheckPhase(() => writeNextPiece());
 */
export function onNextRealCheckPhase(callback: () => void): CancelTimer {
  const immediate = realSetImmediate(callback);
  return () => realClearImmediate(immediate);
}

/**
 * Resolves on the event loop's next check phase (see {@link onNextRealCheckPhase}).
 *
 * @example
 * await nextRealCheckPhase(); // the listening socket's close has run
 */
export function nextRealCheckPhase(): Promise<void> {
  return new Promise((resolve) => onNextRealCheckPhase(resolve));
}

/**
 * Runs `callback` once after `timeoutMs` of real time, whatever `vi.useFakeTimers()` did to the
 * globals: a wait's timeout guards against a hung test, so it must neither fire when the test
 * moves a fake clock nor stand still while the test waits. `Infinity` starts no timer.
 *
 * @example
 * const cancel = runAfterRealTime(timeoutMs, () => reject(new Error('timed out')));
 */
export function runAfterRealTime(timeoutMs: number, callback: () => void): CancelTimer {
  if (timeoutMs === Infinity) return nothingToCancel;
  const timer = realSetTimeout(callback, timerDelay(timeoutMs));
  return () => realClearTimeout(timer);
}
