// The last check of a chaos run: once the client is done (it broke out of its
// loop, closed its handle, or failed), it holds no streaming connection open.
import type { ChaosViolation } from './chaos-violations.js';
import { optionalDuration, runAfterRealTime } from './durations.js';
import { CHAOS_STREAMS_CLOSED_OPTIONS } from './chaos-option-names.js';
import { checkOptionNames } from './option-names.js';

/** Anything that counts a chaos server's open streaming responses: a `ChaosServer`, or a proxy to one in another process. */
export interface ChaosStreamCounter {
  openStreams(): number | Promise<number>;
}

/** Options of {@link checkChaosStreamsClosed}. */
export interface ChaosStreamsClosedOptions {
  /** How long the client may take to close its last connection, in real time (also under `vi.useFakeTimers()`). Default 2000 ms; `Infinity` waits for good. */
  withinMs?: number | undefined;
}

/** How often the count is read while waiting. */
const POLL_MS = 10;

/**
 * Waits until the server counts no open streaming connection, for at most
 * `withinMs` of real time (a test's fake timers neither stop nor hurry it, as
 * for the server's waits); resolves with a `streams-left-open` violation if
 * some are still open then, `[]` otherwise.
 *
 * @example
 * await handle.close();
 * assertNoChaosViolations(await checkChaosStreamsClosed(chaos));
 */
export async function checkChaosStreamsClosed(server: ChaosStreamCounter, options: ChaosStreamsClosedOptions = {}): Promise<ChaosViolation[]> {
  checkOptionNames('checkChaosStreamsClosed', options, CHAOS_STREAMS_CLOSED_OPTIONS);
  const withinMs = optionalDuration('checkChaosStreamsClosed: withinMs', options.withinMs, 2_000);
  // Real time, not the global clock: under vi.useFakeTimers() a faked Date.now() stands still and a faked
  // setTimeout waits for the test to move the clock, so the check hung instead of judging the client.
  let isTimeUp = withinMs === 0;
  const cancelDeadline = runAfterRealTime(withinMs, () => {
    isTimeUp = true;
  });
  try {
    for (;;) {
      const open = await server.openStreams();
      if (open === 0) return [];
      if (isTimeUp) {
        return [{ rule: 'streams-left-open', message: `${open} streaming connection(s) still open ${withinMs} ms after the client was done`, expected: 0, actual: open }];
      }
      await new Promise<void>((resolve) => runAfterRealTime(POLL_MS, resolve));
    }
  } finally {
    cancelDeadline();
  }
}
