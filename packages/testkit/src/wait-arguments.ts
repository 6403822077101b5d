import { optionalDuration } from './durations.js';
import { WAIT_OPTIONS } from './method-option-names.js';
import { checkOptionNames, type OptionNameTable } from './option-names.js';
import { DEFAULT_WAIT_TIMEOUT_MS } from './wait-diagnostics.js';

// The arguments of the `waitFor…` methods, checked at the call: a wrong one would otherwise fail
// only later, from inside the wait ("predicate … threw"), or wait out its whole timeout.

/**
 * A wait's `timeoutMs`, checked with the option names (it throws at the call) and defaulted.
 *
 * @example
 * const timeoutMs = waitTimeout('waitForConnection', options);
 */
export function waitTimeout(method: string, options: { timeoutMs?: number | undefined }, names: OptionNameTable = WAIT_OPTIONS): number {
  checkOptionNames(`FakeMastodon.${method}`, options, names);
  return optionalDuration(`FakeMastodon.${method}: timeoutMs`, options.timeoutMs, DEFAULT_WAIT_TIMEOUT_MS);
}

/**
 * A wait's predicate: a function, or left out. `waitForConnection('public')` (the stream name for
 * the predicate) was taken as given and failed on the first connection with "predicate … threw".
 *
 * @example
 * checkPredicate('waitForConnection', predicate, "(c) => c.stream === 'public'");
 */
export function checkPredicate(method: string, predicate: unknown, example: string): void {
  if (predicate !== undefined && typeof predicate !== 'function') {
    const shown = typeof predicate === 'string' ? `'${predicate}'` : typeof predicate;
    throw new TypeError(`FakeMastodon.${method}: the predicate must be a function, such as ${example} (got ${shown})`);
  }
}

/**
 * The count `waitForConnectionCount` waits for: a count of connections can only be a whole
 * number from 0; any other waited out its whole timeout.
 *
 * @example
 * checkConnectionCount(0);
 */
export function checkConnectionCount(count: unknown): void {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new RangeError(`FakeMastodon.waitForConnectionCount: count must be a whole number from 0, got ${typeof count === 'number' ? count : typeof count}`);
  }
}
